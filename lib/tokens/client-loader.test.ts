import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { tenants } from '../db/schema';
import { createTestDb, createTestTenant } from '../testing/db';
import { createTestClient } from '../testing/clients';
import { batchedClientLoader } from './client-store';

let handle: DbHandle;
let tenantId: string;

beforeAll(async () => {
  handle = await createTestDb();
  ({ tenantId } = await createTestTenant(handle.db, 'Client loader'));
});

afterAll(async () => {
  await handle.db.delete(tenants).where(eq(tenants.id, tenantId));
  await handle.close();
});

describe('batchedClientLoader', () => {
  it('answers the ids asked for in one turn with one query, unknown ids as null', async () => {
    const a = await createTestClient(handle.db, { tenantId, roleTypes: ['tenant_contributor'], secrets: [{}, {}] });
    const b = await createTestClient(handle.db, { tenantId, enabled: false });
    const unknown = randomUUID();
    const load = batchedClientLoader(handle.db);
    const execute = vi.spyOn(handle.db, 'execute');
    const [ra, rb, rUnknown, ra2] = await Promise.all([load(a.clientId), load(b.clientId), load(unknown), load(a.clientId)]);
    expect(execute).toHaveBeenCalledTimes(1);
    execute.mockRestore();
    expect(ra).toMatchObject({ id: a.clientId, tenantId, enabled: true, roleIds: expect.arrayContaining(a.roleIds) });
    expect(ra!.secrets.map((s) => s.id)).toEqual(a.secrets.map((s) => s.id));
    expect(ra2).toEqual(ra);
    expect(rb).toMatchObject({ id: b.clientId, enabled: false });
    expect(rUnknown).toBeNull();
  });

  it('splits a large turn into batches and still answers every id', async () => {
    const clients = await Promise.all([0, 1, 2].map(() => createTestClient(handle.db, { tenantId })));
    const load = batchedClientLoader(handle.db, 2);
    const execute = vi.spyOn(handle.db, 'execute');
    const found = await Promise.all(clients.map((c) => load(c.clientId)));
    expect(execute).toHaveBeenCalledTimes(2);
    execute.mockRestore();
    expect(found.map((c) => c?.id)).toEqual(clients.map((c) => c.clientId));
  });
});
