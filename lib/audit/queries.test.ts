import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import { actionsAs, newClientInput } from '../clients/test-helpers';
import { auditChangeLines } from '../../components/audit/audit-summary';
import { listAuditEvents } from './queries';

let h: DbHandle;
let t: TestTenant;
let other: TestTenant;
let pump: string;
let valve: string;

beforeAll(async () => {
  h = await createTestDb();
  t = await createTestTenant(h.db, 'Audit');
  other = await createTestTenant(h.db, 'Other');
  const a = newClientInput({ name: 'Pump controller' });
  const b = newClientInput({ name: 'Valve station' });
  pump = a.clientId;
  valve = b.clientId;
  for (const input of [a, b]) expect((await actionsAs(t.admin).createClient(input)).ok).toBe(true);
  expect((await actionsAs(t.admin).updateClient({ clientId: pump, version: 1, name: 'Pump controller 2', tokenLifetime: 600, roleIds: [] })).ok).toBe(true);
  expect((await actionsAs(t.admin).setClientEnabled({ clientId: pump, enabled: false })).ok).toBe(true);
  expect((await actionsAs(t.admin).removeClient({ clientId: valve })).ok).toBe(true);
  expect((await actionsAs(other.admin).createClient(newClientInput({ name: 'Pump elsewhere' }))).ok).toBe(true);
});
afterAll(async () => {
  await h.close();
});

describe('listAuditEvents', () => {
  it("lists only the tenant's events, newest first, with the client's name", async () => {
    const log = await listAuditEvents(h.db, t.tenantId);
    expect(log.rows.map((r) => r.action)).toEqual(['client.removed', 'client.disabled', 'client.updated', 'client.created', 'client.created']);
    expect(log.rows[1]).toMatchObject({ targetId: pump, targetName: 'Pump controller 2', targetExists: true, actor: t.admin.email });
    expect(log.rows[0]).toMatchObject({ targetId: valve, targetName: 'Valve station', targetExists: false });
    expect(log.total).toBe(5);
  });

  it('filters by Client Id, and by name including a removed client', async () => {
    expect((await listAuditEvents(h.db, t.tenantId, { client: pump.toUpperCase() })).rows.map((r) => r.action)).toEqual([
      'client.disabled',
      'client.updated',
      'client.created',
    ]);
    expect((await listAuditEvents(h.db, t.tenantId, { client: 'valve' })).rows.map((r) => r.action)).toEqual([
      'client.removed',
      'client.created',
    ]);
    expect((await listAuditEvents(h.db, t.tenantId, { client: 'elsewhere' })).total).toBe(0);
    expect((await listAuditEvents(h.db, other.tenantId, { client: pump })).total).toBe(0);
  });

  it('paginates on the server', async () => {
    const p2 = await listAuditEvents(h.db, t.tenantId, { pageSize: 2, page: 2 });
    expect(p2).toMatchObject({ total: 5, page: 2, pageCount: 3 });
    expect(p2.rows.map((r) => r.action)).toEqual(['client.updated', 'client.created']);
    // Past the end: the last page, with its rows (the oldest event).
    const past = await listAuditEvents(h.db, t.tenantId, { pageSize: 2, page: 40 });
    expect(past).toMatchObject({ total: 5, page: 3, pageCount: 3 });
    const last = await listAuditEvents(h.db, t.tenantId, { pageSize: 2, page: 3 });
    expect(past.rows.map((r) => r.id)).toEqual(last.rows.map((r) => r.id));
    expect(past.rows).toHaveLength(1);
    // A page number whose OFFSET would not fit PostgreSQL's bigint: the last page too, not an error.
    expect(await listAuditEvents(h.db, t.tenantId, { pageSize: 2, page: 1e20 })).toMatchObject({ total: 5, page: 3 });
  });

  it('a filter with control characters (NUL, which PostgreSQL text cannot hold) finds by the rest, never fails', async () => {
    expect((await listAuditEvents(h.db, t.tenantId, { client: '\u0000' })).total).toBe(5);
    expect((await listAuditEvents(h.db, t.tenantId, { client: 'val\u0000ve\n' })).rows.map((r) => r.action)).toEqual(['client.removed', 'client.created']);
  });

  it('describes what changed in plain words', async () => {
    const [edit] = (await listAuditEvents(h.db, t.tenantId, { client: pump })).rows.filter((r) => r.action === 'client.updated');
    expect(auditChangeLines(edit)).toEqual(['Name: Pump controller → Pump controller 2', 'Token Lifetime: 3600 → 600 seconds']);
  });

  it('says when a client was added disabled (the REST API\'s Enabled: false)', () => {
    const created = { action: 'client.created', details: { tokenLifetime: 3600, roles: ['Tenant Member'], enabled: false } };
    expect(auditChangeLines(created)).toEqual(['Token Lifetime: 3600 seconds', 'Roles: Tenant Member', 'Added disabled']);
    expect(auditChangeLines({ ...created, details: { ...created.details, enabled: undefined } })).not.toContain('Added disabled');
  });
});
