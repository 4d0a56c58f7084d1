import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clientApiAccess, clients } from '../db/schema';
import { actorFromUser } from '../actions/admin-action';
import { createApi } from '../apis/apis';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import { listClientApiAccess } from './api-access';
import { actionsAs, newClientInput } from './test-helpers';

// Identifiers are unique across tenants and PostgreSQL test runs share one database: each run uses its own.
const RUN = randomUUID().slice(0, 8);

let h: DbHandle;
let t: TestTenant;
let other: TestTenant;
let orders: string;
let reports: string;
let theirs: string;

beforeAll(async () => {
  h = await createTestDb();
  t = await createTestTenant(h.db, 'Access');
  other = await createTestTenant(h.db, 'Access other');
  const a = await createApi(h.db, actorFromUser(t.admin), { name: 'Orders', identifier: `https://orders-${RUN}.example.com`, scopes: 'orders:read orders:write' });
  const b = await createApi(h.db, actorFromUser(t.admin), { name: 'Reports', identifier: `urn:example:reports-${RUN}` });
  const c = await createApi(h.db, actorFromUser(other.admin), { name: 'Theirs', identifier: `https://theirs-${RUN}.example.com` });
  if (!a.ok || !b.ok || !c.ok) throw new Error('setup');
  [orders, reports, theirs] = [a.data.id, b.data.id, c.data.id];
});
afterAll(async () => {
  await h.close();
});

const accessOf = async (clientId: string) =>
  (await listClientApiAccess(h.db, t.tenantId, clientId)).map((a) => ({ name: a.name, scopes: a.scopes }));
const eventsOf = async (clientId: string) =>
  h.db.select({ action: auditEvents.action, details: auditEvents.details }).from(auditEvents).where(eq(auditEvents.targetId, clientId));

describe('API Access in Add Client and Edit Client', () => {
  it('Add Client grants the chosen APIs in its own transaction and names them in client.created', async () => {
    const input = newClientInput({ apiAccess: [{ apiId: orders, scopes: ['orders:read'] }, { apiId: reports.toUpperCase(), scopes: null }] });
    const r = await actionsAs(t.admin).createClient(input);
    expect(r.ok).toBe(true);
    expect(await accessOf(input.clientId)).toEqual([
      { name: 'Orders', scopes: ['orders:read'] },
      { name: 'Reports', scopes: null },
    ]);
    const [created] = await eventsOf(input.clientId);
    expect(created).toMatchObject({
      action: 'client.created',
      details: { apiAccess: [`https://orders-${RUN}.example.com (orders:read)`, `urn:example:reports-${RUN} (all scopes)`] },
    });
  });

  it('an Authorization Code client gets API access the same way', async () => {
    const input = newClientInput({ clientType: 'authorization_code', redirectUris: 'https://app.example.com/cb', apiAccess: [{ apiId: orders, scopes: null }] });
    const r = await actionsAs(t.admin).createUserClient(input);
    expect(r.ok).toBe(true);
    expect(await accessOf(input.clientId)).toEqual([{ name: 'Orders', scopes: null }]);
  });

  it("refuses another tenant's API, an unknown scope and Chosen scopes with none, writing nothing", async () => {
    for (const [apiAccess, field, message] of [
      [[{ apiId: theirs, scopes: null }], 'apiAccess', /An API was not found/],
      [[{ apiId: orders, scopes: ['orders:delete'] }], 'apiAccess', /has no scope orders:delete/],
      [[{ apiId: orders, scopes: null }, { apiId: orders, scopes: ['orders:read'] }], 'apiAccess', /Each API can be chosen once/],
      [[{ apiId: orders, scopes: [] }], 'apiAccess.0.scopes', /^Choose at least one scope, or All scopes\.$/],
    ] as const) {
      const input = newClientInput({ apiAccess });
      const r = await actionsAs(t.admin).createClient(input);
      expect(r).toMatchObject({ ok: false, fieldErrors: { [field]: expect.stringMatching(message) } });
      expect(await h.db.select().from(clients).where(eq(clients.id, input.clientId))).toHaveLength(0);
      expect(await h.db.select().from(clientApiAccess).where(eq(clientApiAccess.clientId, input.clientId))).toHaveLength(0);
    }
  });

  it('Edit Client replaces the list with the other changes in one client.updated; left out, it stays', async () => {
    const input = newClientInput({ apiAccess: [{ apiId: orders, scopes: null }] });
    expect((await actionsAs(t.admin).createClient(input)).ok).toBe(true);
    const base = { clientId: input.clientId, name: 'Renamed', tokenLifetime: '', roleIds: [] };

    const edited = await actionsAs(t.admin).updateClient({ ...base, version: 1, apiAccess: [{ apiId: reports, scopes: null }] });
    expect(edited).toMatchObject({ ok: true, data: { version: 2, changed: true } });
    expect(await accessOf(input.clientId)).toEqual([{ name: 'Reports', scopes: null }]);
    const updated = (await eventsOf(input.clientId)).find((e) => e.action === 'client.updated');
    expect(updated?.details).toMatchObject({
      changes: {
        name: { to: 'Renamed' },
        apiAccess: { from: [`https://orders-${RUN}.example.com (all scopes)`], to: [`urn:example:reports-${RUN} (all scopes)`] },
      },
    });

    // Without apiAccess (the REST API's Edit Client): the access is kept.
    expect(await actionsAs(t.admin).updateClient({ ...base, version: 2, name: 'Renamed again' })).toMatchObject({ ok: true, data: { changed: true } });
    expect(await accessOf(input.clientId)).toEqual([{ name: 'Reports', scopes: null }]);

    // A refused list changes nothing else either (name included).
    const refused = await actionsAs(t.admin).updateClient({ ...base, version: 3, name: 'Not saved', apiAccess: [{ apiId: theirs, scopes: null }] });
    expect(refused).toMatchObject({ ok: false, fieldErrors: { apiAccess: expect.stringMatching(/An API was not found/) } });
    const [row] = await h.db.select({ name: clients.name, version: clients.version }).from(clients).where(eq(clients.id, input.clientId));
    expect(row).toEqual({ name: 'Renamed again', version: 3 });

    // The same list again: nothing to save.
    expect(await actionsAs(t.admin).updateClient({ ...base, version: 3, name: 'Renamed again', apiAccess: [{ apiId: reports, scopes: null }] })).toMatchObject({
      ok: true,
      data: { changed: false },
    });
  });
});
