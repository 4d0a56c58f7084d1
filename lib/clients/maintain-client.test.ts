import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clientRoles, clients, clientSecrets } from '../db/schema';
import { CLIENT_CHANGED_CHANNEL, onLocalChange } from '../tokens/invalidation';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import { getClientDetails, listClients } from './queries';
import { actionsAs, createTestCommunity, newClientInput } from './test-helpers';

let h: DbHandle;
let t: TestTenant;
let other: TestTenant;
const roleId = (tt: TestTenant, type: string) => tt.roles.find((r) => r.roleType === type)!.id;
const notified: string[] = [];
let stopListening: () => void;

beforeAll(async () => {
  h = await createTestDb();
  t = await createTestTenant(h.db, 'Maintain');
  other = await createTestTenant(h.db, 'Other');
  stopListening = onLocalChange((channel, payload) => {
    if (channel === CLIENT_CHANGED_CHANNEL) notified.push(payload);
  });
});
afterAll(async () => {
  stopListening();
  await h.close();
});
afterEach(() => {
  notified.length = 0;
});

async function newClient(tt: TestTenant = t, overrides: Record<string, unknown> = {}) {
  const input = newClientInput(overrides);
  const r = await actionsAs(tt.admin).createClient(input);
  if (!r.ok) throw new Error(JSON.stringify(r));
  notified.length = 0;
  return (await getClientDetails(h.db, tt.tenantId, input.clientId))!;
}
const auditFor = (clientId: string, action: string) =>
  h.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, clientId), eq(auditEvents.action, action)));

describe('Edit Client', () => {
  it('changes name, token lifetime and roles, keeps Tenant Member, bumps the version and records what changed', async () => {
    const c = await newClient(t, { roleIds: [roleId(t, 'tenant_viewer')] });
    const { role: communityRole } = await createTestCommunity(h.db, t.tenantId);
    const r = await actionsAs(t.admin).updateClient({
      clientId: c.id,
      version: c.version,
      name: ' Renamed ',
      tokenLifetime: '120',
      roleIds: [roleId(t, 'tenant_contributor'), communityRole.id],
    });
    expect(r).toEqual({ ok: true, data: { clientId: c.id, version: c.version + 1, changed: true } });
    const after = (await getClientDetails(h.db, t.tenantId, c.id))!;
    expect(after).toMatchObject({ name: 'Renamed', tokenLifetime: 120, version: c.version + 1, updatedBy: t.admin.email });
    expect(after.roles.map((x) => x.name).sort()).toEqual([communityRole.name, 'Tenant Contributor', 'Tenant Member'].sort());
    const [event] = await auditFor(c.id, 'client.updated');
    expect(event.details).toMatchObject({
      changes: {
        name: { from: c.name, to: 'Renamed' },
        tokenLifetime: { from: 3600, to: 120 },
        rolesAdded: [communityRole.name, 'Tenant Contributor'].sort(),
        rolesRemoved: ['Tenant Viewer'],
      },
      via: 'console',
    });
    expect(notified).toEqual([c.id]);
  });

  it('saving without changes writes nothing', async () => {
    const c = await newClient();
    const r = await actionsAs(t.admin).updateClient({ clientId: c.id, version: c.version, name: c.name, tokenLifetime: '', roleIds: [] });
    expect(r).toEqual({ ok: true, data: { clientId: c.id, version: c.version, changed: false } });
    expect(await auditFor(c.id, 'client.updated')).toHaveLength(0);
    expect(notified).toEqual([]);
  });

  it('a save based on an older version is refused as a conflict and changes nothing', async () => {
    const c = await newClient();
    const first = await actionsAs(t.admin).updateClient({ clientId: c.id, version: c.version, name: 'First', roleIds: [] });
    expect(first.ok).toBe(true);
    const later = await actionsAs(t.admin).updateClient({
      clientId: c.id,
      version: c.version,
      name: 'Second',
      roleIds: [],
    });
    expect(later).toMatchObject({ ok: false, code: 'conflict', formError: expect.stringMatching(/changed by .* after you opened it/) });
    expect((await getClientDetails(h.db, t.tenantId, c.id))!.name).toBe('First');
  });

  it('two administrators saving at the same moment: one wins, the other is told', async () => {
    const c = await newClient();
    const results = await Promise.all(
      ['Admin A', 'Admin B'].map((name) => actionsAs(t.admin).updateClient({ clientId: c.id, version: c.version, name, roleIds: [] })),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'conflict')).toHaveLength(1);
    expect((await getClientDetails(h.db, t.tenantId, c.id))!.version).toBe(c.version + 1);
  });

  describe('refuses bad input with a field error and changes nothing', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['an empty name', { name: ' ' }, 'name'],
      ['a 101-character name', { name: 'n'.repeat(101) }, 'name'],
      ['a token lifetime of 59', { tokenLifetime: 59 }, 'tokenLifetime'],
      ['a token lifetime of 3601', { tokenLifetime: '3601' }, 'tokenLifetime'],
      ['a token lifetime of "abc"', { tokenLifetime: 'abc' }, 'tokenLifetime'],
      ['an unknown role id', { roleIds: [randomUUID()] }, 'roleIds'],
      ['a malformed version', { version: 'x' }, 'version'],
    ];
    for (const [label, change, field] of cases) {
      it(label, async () => {
        const c = await newClient();
        const r = await actionsAs(t.admin).updateClient({ clientId: c.id, version: c.version, name: 'Changed', roleIds: [], ...change });
        expect(r.ok).toBe(false);
        expect(!r.ok && r.fieldErrors?.[field]).toBeTruthy();
        expect(await getClientDetails(h.db, t.tenantId, c.id)).toEqual(c);
      });
    }
    it("another tenant's role", async () => {
      const c = await newClient();
      const r = await actionsAs(t.admin).updateClient({
        clientId: c.id,
        version: c.version,
        name: c.name,
        roleIds: [roleId(other, 'tenant_contributor')],
      });
      expect(r).toMatchObject({ ok: false, fieldErrors: { roleIds: expect.any(String) } });
      expect(await getClientDetails(h.db, t.tenantId, c.id)).toEqual(c);
    });
  });
});

describe('authorization, other tenants and removed clients', () => {
  it('refuses a Tenant Member and a signed-out caller for every operation', async () => {
    const c = await newClient();
    const calls = (user: typeof t.member | null) => [
      actionsAs(user).updateClient({ clientId: c.id, version: c.version, name: 'x', roleIds: [] }),
      actionsAs(user).setClientEnabled({ clientId: c.id, enabled: false }),
      actionsAs(user).removeClient({ clientId: c.id }),
      actionsAs(user).addSecret({ clientId: c.id, neverExpires: true }),
      actionsAs(user).updateSecret({ clientId: c.id, secretId: c.secrets[0].id, neverExpires: true }),
      actionsAs(user).removeSecret({ clientId: c.id, secretId: c.secrets[0].id }),
    ];
    for (const r of await Promise.all(calls(t.member))) expect(r).toMatchObject({ ok: false, code: 'forbidden' });
    for (const r of await Promise.all(calls(null))) expect(r).toMatchObject({ ok: false, code: 'unauthenticated' });
    expect(await getClientDetails(h.db, t.tenantId, c.id)).toEqual(c);
    expect(notified).toEqual([]);
  });

  it("answers another tenant's administrator exactly as for an id that does not exist", async () => {
    const c = await newClient();
    const unknown = randomUUID();
    const ops = (clientId: string) => [
      actionsAs(other.admin).updateClient({ clientId, version: 1, name: 'Taken over', roleIds: [] }),
      actionsAs(other.admin).setClientEnabled({ clientId, enabled: false }),
      actionsAs(other.admin).addSecret({ clientId, neverExpires: true }),
      actionsAs(other.admin).updateSecret({ clientId, secretId: c.secrets[0].id, neverExpires: true }),
      actionsAs(other.admin).removeSecret({ clientId, secretId: c.secrets[0].id }),
      actionsAs(other.admin).removeClient({ clientId }),
    ];
    const foreign = await Promise.all(ops(c.id));
    const missing = await Promise.all(ops(unknown));
    expect(foreign).toEqual(missing);
    for (const r of foreign) expect(r).toMatchObject({ ok: false, code: 'not_found' });
    expect(await getClientDetails(h.db, t.tenantId, c.id)).toEqual(c);
    expect(await getClientDetails(h.db, other.tenantId, c.id)).toBeNull();
    expect(notified).toEqual([]);
  });

  it('acting on a client removed meanwhile gives a clear message', async () => {
    const c = await newClient();
    expect((await actionsAs(t.admin).removeClient({ clientId: c.id })).ok).toBe(true);
    const results = await Promise.all([
      actionsAs(t.admin).updateClient({ clientId: c.id, version: c.version, name: 'Late', roleIds: [] }),
      actionsAs(t.admin).setClientEnabled({ clientId: c.id, enabled: false }),
      actionsAs(t.admin).addSecret({ clientId: c.id, neverExpires: true }),
      actionsAs(t.admin).removeSecret({ clientId: c.id, secretId: c.secrets[0].id }),
      actionsAs(t.admin).removeClient({ clientId: c.id }),
    ]);
    for (const r of results) {
      expect(r).toMatchObject({ ok: false, code: 'not_found', formError: expect.stringMatching(/may have been removed/) });
    }
  });

  it('refuses a malformed client id as invalid input', async () => {
    expect(await actionsAs(t.admin).setClientEnabled({ clientId: "1' or '1'='1", enabled: false })).toMatchObject({
      ok: false,
      code: 'invalid',
      fieldErrors: { clientId: 'Unknown client.' },
    });
  });
});

describe('Disable Client / Enable Client', () => {
  it('disables and enables with an audit event each, shows in the list, and repeats harmlessly', async () => {
    const c = await newClient();
    expect(await actionsAs(t.admin).setClientEnabled({ clientId: c.id, enabled: false })).toMatchObject({
      ok: true,
      data: { enabled: false, changed: true },
    });
    expect(notified).toEqual([c.id]);
    expect((await listClients(h.db, t.tenantId, { q: c.id })).rows[0].enabled).toBe(false);
    expect(await actionsAs(t.admin).setClientEnabled({ clientId: c.id, enabled: false })).toMatchObject({
      ok: true,
      data: { enabled: false, changed: false },
    });
    expect(await actionsAs(t.admin).setClientEnabled({ clientId: c.id, enabled: true })).toMatchObject({
      ok: true,
      data: { enabled: true, changed: true },
    });
    expect(await auditFor(c.id, 'client.disabled')).toHaveLength(1);
    expect(await auditFor(c.id, 'client.enabled')).toHaveLength(1);
    expect((await getClientDetails(h.db, t.tenantId, c.id))!).toMatchObject({ enabled: true, version: c.version + 2 });
  });
});

describe('Remove Client', () => {
  it('removes the client with its roles and secrets in one transaction and leaves an audit event', async () => {
    const c = await newClient(t, { roleIds: [roleId(t, 'tenant_contributor')] });
    await actionsAs(t.admin).addSecret({ clientId: c.id, neverExpires: true });
    notified.length = 0;
    const r = await actionsAs(t.admin).removeClient({ clientId: c.id });
    expect(r).toEqual({ ok: true, data: { clientId: c.id, name: c.name, secretsRemoved: 2 } });
    expect(await h.db.select().from(clients).where(eq(clients.id, c.id))).toHaveLength(0);
    expect(await h.db.select().from(clientRoles).where(eq(clientRoles.clientId, c.id))).toHaveLength(0);
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, c.id))).toHaveLength(0);
    const [event] = await auditFor(c.id, 'client.removed');
    expect(event.details).toMatchObject({ name: c.name, secretsRemoved: 2, roles: ['Tenant Contributor', 'Tenant Member'] });
    expect(notified).toEqual([c.id]);
  });
});
