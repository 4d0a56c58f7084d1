import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clientRoles, clients, clientSecrets, tenants } from '../db/schema';
import { actorFromUser } from '../actions/admin-action';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import { hashSecret, isWellFormedSecret, secretHashesEqual } from '../secrets/secret';
import { createClient } from './create-client';
import { createClientSchema } from './create-client.schema';
import { listClients } from './queries';
import { actionsAs, createTestCommunity, inDays, newClientInput } from './test-helpers';

let h: DbHandle;
let t: TestTenant;
let other: TestTenant;
const roleId = (tt: TestTenant, type: string) => tt.roles.find((r) => r.roleType === type)!.id;

beforeAll(async () => {
  h = await createTestDb();
  t = await createTestTenant(h.db, 'Create');
  other = await createTestTenant(h.db, 'Other');
});
afterAll(async () => {
  await h.close();
});

async function countFor(tenantId: string) {
  const [{ n }] = await h.db.select({ n: count() }).from(clients).where(eq(clients.tenantId, tenantId));
  return n;
}
async function expectNothingWritten(clientId: string) {
  expect(await h.db.select().from(clients).where(eq(clients.id, clientId))).toHaveLength(0);
  expect(await h.db.select().from(clientRoles).where(eq(clientRoles.clientId, clientId))).toHaveLength(0);
  expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, clientId))).toHaveLength(0);
  expect(await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, clientId))).toHaveLength(0);
}

describe('create client action', () => {
  it('creates the client, Tenant Member + selected roles, a hashed secret and an audit event', async () => {
    const { role: communityRole } = await createTestCommunity(h.db, t.tenantId);
    const input = newClientInput({
      name: '  Historian A  ',
      tokenLifetime: '900',
      roleIds: [roleId(t, 'tenant_contributor'), communityRole.id],
      description: 'for the historian',
    });
    const r = await actionsAs(t.admin).createClient(input);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.clientId).toBe(input.clientId);
    expect(r.data.name).toBe('Historian A');
    expect(isWellFormedSecret(r.data.secret)).toBe(true);

    const [c] = await h.db.select().from(clients).where(eq(clients.id, input.clientId));
    expect(c).toMatchObject({ tenantId: t.tenantId, name: 'Historian A', tokenLifetime: 900, enabled: true, createdBy: t.admin.email });
    const roleRows = await h.db.select().from(clientRoles).where(eq(clientRoles.clientId, c.id));
    expect(roleRows.map((x) => x.roleId).sort()).toEqual(
      [roleId(t, 'tenant_member'), roleId(t, 'tenant_contributor'), communityRole.id].sort(),
    );
    const [s] = await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, c.id));
    expect(s.description).toBe('for the historian');
    expect(secretHashesEqual(s.secretHash, hashSecret(r.data.secret!))).toBe(true);
    expect(s.secretHash).not.toContain(r.data.secret!);
    expect(r.data.secret!.startsWith(s.displayHint.replace('…', ''))).toBe(true);
    expect(Math.abs(s.expiresAt!.getTime() - new Date(input.expiresAt).getTime())).toBeLessThan(1000);

    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'client.created', actor: t.admin.email, tenantId: t.tenantId });
    expect(JSON.stringify(events[0].details)).not.toContain(r.data.secret);
    expect(JSON.stringify(events[0].details)).not.toContain(s.secretHash);
  });

  it('defaults the token lifetime to 3600 and stores a never-expiring secret with no date', async () => {
    const input = newClientInput({ tokenLifetime: '', neverExpires: true, expiresAt: null });
    const r = await actionsAs(t.admin).createClient(input);
    expect(r.ok).toBe(true);
    const [c] = await h.db.select().from(clients).where(eq(clients.id, input.clientId));
    expect(c.tokenLifetime).toBe(3600);
    const [s] = await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, c.id));
    expect(s.expiresAt).toBeNull();
  });

  it('generates the Client Id when none is supplied (API callers)', async () => {
    const input: Record<string, unknown> = newClientInput();
    delete input.clientId;
    const r = await actionsAs(t.admin).createClient(input);
    expect(r.ok && /^[0-9a-f-]{36}$/.test(r.data.clientId)).toBe(true);
  });

  it('a replay with the same Client Id creates nothing more and says the client exists', async () => {
    const input = newClientInput();
    const first = await actionsAs(t.admin).createClient(input);
    const again = await actionsAs(t.admin).createClient(input);
    expect(first.ok).toBe(true);
    expect(again).toMatchObject({ ok: false, code: 'conflict' });
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, input.clientId))).toHaveLength(1);
  });

  it('two simultaneous submits of one form (double click) make one client', async () => {
    const input = newClientInput();
    const results = await Promise.all([actionsAs(t.admin).createClient(input), actionsAs(t.admin).createClient(input)]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    expect(results.filter((r) => !r.ok && r.code === 'conflict')).toHaveLength(1);
    expect(await h.db.select().from(clients).where(eq(clients.id, input.clientId))).toHaveLength(1);
  });

  describe('refuses cleanly with nothing written', () => {
    const cases: [string, Record<string, unknown>, string][] = [
      ['an empty name', { name: '' }, 'name'],
      ['a 101-character name', { name: 'x'.repeat(101) }, 'name'],
      ['a token lifetime of 59', { tokenLifetime: '59' }, 'tokenLifetime'],
      ['a token lifetime of 3601', { tokenLifetime: 3601 }, 'tokenLifetime'],
      ['a token lifetime of "abc"', { tokenLifetime: 'abc' }, 'tokenLifetime'],
      ['an expiration in the past', { expiresAt: inDays(-1) }, 'expiresAt'],
      ['a description over 200 characters', { description: 'd'.repeat(201) }, 'description'],
      ['a malformed role id', { roleIds: ['admin'] }, 'roleIds'],
    ];
    for (const [label, change, field] of cases) {
      it(label, async () => {
        const input = newClientInput(change);
        const r = await actionsAs(t.admin).createClient(input);
        expect(r.ok).toBe(false);
        if (r.ok) return;
        expect(r.code).toBe('invalid');
        expect(r.fieldErrors?.[field]).toBeTruthy();
        await expectNothingWritten(input.clientId);
      });
    }

    it('an unknown role id', async () => {
      const input = newClientInput({ roleIds: [randomUUID()] });
      const r = await actionsAs(t.admin).createClient(input);
      expect(r).toMatchObject({ ok: false, fieldErrors: { roleIds: expect.stringMatching(/do not exist/) } });
      await expectNothingWritten(input.clientId);
    });

    it("another tenant's role id, refused exactly like an unknown one", async () => {
      const input = newClientInput({ roleIds: [roleId(other, 'tenant_contributor')] });
      const r = await actionsAs(t.admin).createClient(input);
      const unknown = await actionsAs(t.admin).createClient(newClientInput({ roleIds: [randomUUID()] }));
      expect(r).toEqual(unknown);
      await expectNothingWritten(input.clientId);
    });

    it('a signed-out caller', async () => {
      const input = newClientInput();
      expect(await actionsAs(null).createClient(input)).toMatchObject({ ok: false, code: 'unauthenticated' });
      await expectNothingWritten(input.clientId);
    });

    it('a Tenant Member', async () => {
      const input = newClientInput();
      expect(await actionsAs(t.member).createClient(input)).toMatchObject({ ok: false, code: 'forbidden' });
      await expectNothingWritten(input.clientId);
    });

    it("another tenant's administrator creates only in their own tenant, and cannot use this tenant's roles", async () => {
      const input = newClientInput({ roleIds: [roleId(t, 'tenant_contributor')] });
      const r = await actionsAs(other.admin).createClient(input);
      expect(r).toMatchObject({ ok: false, fieldErrors: { roleIds: expect.any(String) } });
      await expectNothingWritten(input.clientId);
      const own = newClientInput();
      expect((await actionsAs(other.admin).createClient(own)).ok).toBe(true);
      const [c] = await h.db.select().from(clients).where(eq(clients.id, own.clientId));
      expect(c.tenantId).toBe(other.tenantId);
    });
  });

  it('is atomic: a failure after the client row was written leaves nothing behind', async () => {
    const input = createClientSchema.parse(newClientInput({ roleIds: [roleId(t, 'tenant_viewer')] }));
    const boom = () => {
      throw new Error('secret generator failed');
    };
    await expect(createClient(h.db, actorFromUser(t.admin), input, { generateSecret: boom })).rejects.toThrow();
    await expectNothingWritten(input.clientId!);
  });

  it('the action turns an unexpected failure into a generic message without the input', async () => {
    // A tenant that does not exist makes the insert fail on its foreign key after validation.
    const ghost = { ...t.admin, tenantId: randomUUID() };
    const input = newClientInput();
    const r = await actionsAs(ghost).createClient(input);
    expect(r).toMatchObject({ ok: false, formError: expect.stringMatching(/Nothing was saved/) });
    await expectNothingWritten(input.clientId);
  });

  it('50 concurrent creates give 50 clients with distinct ids and secrets', async () => {
    const tt = await createTestTenant(h.db, 'Concurrent');
    const inputs = Array.from({ length: 50 }, () => newClientInput());
    const results = await Promise.all(inputs.map((i) => actionsAs(tt.admin).createClient(i)));
    expect(results.every((r) => r.ok)).toBe(true);
    const ids = new Set(results.map((r) => (r.ok ? r.data.clientId : '')));
    const secrets = new Set(results.map((r) => (r.ok ? r.data.secret : '')));
    expect(ids.size).toBe(50);
    expect(secrets.size).toBe(50);
    expect(await countFor(tt.tenantId)).toBe(50);
    const list = await listClients(h.db, tt.tenantId, { pageSize: 100 });
    expect(list.total).toBe(50);
  });

  it('refuses the 50,001st client of a tenant', async () => {
    const tt = await createTestTenant(h.db, 'Full');
    await h.db.execute(
      // Bulk-seed the tenant to its limit in one statement.
      `insert into clients (tenant_id, name, created_by, updated_by)
       select '${tt.tenantId}', 'seed ' || g, 'seed', 'seed' from generate_series(1, 50000) g` as never,
    );
    const input = newClientInput();
    const r = await actionsAs(tt.admin).createClient(input);
    expect(r).toMatchObject({ ok: false, code: 'limit', formError: expect.stringMatching(/50,000/) });
    await expectNothingWritten(input.clientId);
    // Leave a shared PostgreSQL test database as small as it was.
    await h.db.delete(tenants).where(eq(tenants.id, tt.tenantId));
  }, 120_000);
});

describe('list', () => {
  it('lists newest first with roles and secret summary, searches by name or id, paginates', async () => {
    const tt = await createTestTenant(h.db, 'List');
    const made: string[] = [];
    for (const name of ['Alpha pump', 'Beta valve', 'Gamma pump']) {
      const input = newClientInput({ name, roleIds: [roleId(tt, 'tenant_viewer')], expiresAt: inDays(10) });
      const r = await actionsAs(tt.admin).createClient(input);
      expect(r.ok).toBe(true);
      made.push(input.clientId);
    }
    const all = await listClients(h.db, tt.tenantId);
    expect(all.rows.map((r) => r.name)).toEqual(['Gamma pump', 'Beta valve', 'Alpha pump']);
    expect(all.rows[0].roles).toEqual(['Tenant Member', 'Tenant Viewer']);
    expect(all.rows[0].secrets.count).toBe(1);
    expect(all.rows[0].secrets.nearestExpiration).toBeInstanceOf(Date);
    expect((await listClients(h.db, tt.tenantId, { q: 'PUMP' })).rows.map((r) => r.name)).toEqual(['Gamma pump', 'Alpha pump']);
    expect((await listClients(h.db, tt.tenantId, { q: made[1] })).rows.map((r) => r.name)).toEqual(['Beta valve']);
    expect((await listClients(h.db, tt.tenantId, { q: made[1].slice(0, 8).toUpperCase() })).rows[0]?.name).toBe('Beta valve');
    expect((await listClients(h.db, tt.tenantId, { q: '%' })).total).toBe(0);
    const p2 = await listClients(h.db, tt.tenantId, { pageSize: 2, page: 2 });
    expect(p2).toMatchObject({ total: 3, page: 2, pageCount: 2 });
    expect(p2.rows.map((r) => r.name)).toEqual(['Alpha pump']);
    expect((await listClients(h.db, tt.tenantId, { pageSize: 2, page: 99 })).page).toBe(2);
    // Another tenant sees none of them.
    expect((await listClients(h.db, other.tenantId, { q: made[1] })).total).toBe(0);
    expect(
      await h.db.select({ n: count() }).from(clients).where(and(eq(clients.tenantId, tt.tenantId))),
    ).toEqual([{ n: 3 }]);
  });
});
