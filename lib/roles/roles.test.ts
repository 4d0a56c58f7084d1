import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { Db } from '../db';
import { auditEvents, clientRoles, clients, roles, userRoles } from '../db/schema';
import { actorFromUser, type Actor } from '../actions/admin-action';
import type { TestTenant } from '../testing/db';
import { withTwoTenants } from '../testing/tenants-fixture';
import { createRole, listRolesWithHolders, removeRole, updateRole } from './roles';
import { roleAdminActions } from './admin-actions';
import { listTenantRoles } from './queries';
import { notifyClientChanged } from '../tokens/invalidation';

// The token service's cache notifications: what matters here is which clients are named, after the commit.
vi.mock('../tokens/invalidation', () => ({ notifyClientChanged: vi.fn(async () => {}), notifyAllClientsChanged: vi.fn(async () => {}) }));
const notified = () => vi.mocked(notifyClientChanged).mock.calls.map((c) => c[0]).sort();
beforeEach(() => vi.mocked(notifyClientChanged).mockClear());

let db: Db;
let t: TestTenant;
let other: TestTenant;
let actor: Actor;

withTwoTenants('Roles', (s) => ({ db, t, other, actor } = s));

const unique = (label: string) => `${label} ${randomUUID().slice(0, 6)}`;

async function insertClient(tenantId: string, roleIds: string[]) {
  const [c] = await db
    .insert(clients)
    .values({ tenantId, name: unique('Client'), createdBy: 'test', updatedBy: 'test' })
    .returning();
  if (roleIds.length) await db.insert(clientRoles).values(roleIds.map((roleId) => ({ clientId: c.id, roleId })));
  return c;
}

async function auditFor(targetId: string) {
  return db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId));
}

describe('listRolesWithHolders', () => {
  it('lists the five built-in roles first, in the product order, with descriptions and holder counts', async () => {
    const member = t.roles.find((r) => r.roleType === 'tenant_member')!;
    await insertClient(t.tenantId, [member.id]);
    const custom = await createRole(db, actor, { name: unique('Alpha custom') });
    expect(custom.ok).toBe(true);
    const list = await listRolesWithHolders(db, t.tenantId);
    expect(list.slice(0, 5).map((r) => r.name)).toEqual([
      'Tenant Administrator',
      'Tenant Contributor',
      'Tenant Member',
      'Tenant Viewer',
      'Tenant Data Steward',
    ]);
    expect(list.slice(0, 5).every((r) => r.builtIn && r.description.length > 0)).toBe(true);
    expect(list.find((r) => r.roleType === 'tenant_member')).toMatchObject({ userCount: 2, clientCount: 1 });
    expect(list.find((r) => r.roleType === 'tenant_administrator')).toMatchObject({ userCount: 1, clientCount: 0 });
    expect(list.at(-1)).toMatchObject({ builtIn: false, userCount: 0, clientCount: 0 });
  });
});

describe('createRole', () => {
  it('creates a custom tenant role with its audit event', async () => {
    const name = unique('Data Engineers');
    const r = await createRole(db, actor, { name: `  ${name}  `, description: 'Pipelines' });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    const [row] = await db.select().from(roles).where(eq(roles.id, r.data.id));
    expect(row).toMatchObject({ name, description: 'Pipelines', roleType: 'custom', scope: 'tenant', tenantId: t.tenantId });
    const events = await auditFor(r.data.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'role.created', actor: t.admin.email, tenantId: t.tenantId });
  });

  it('refuses a duplicate name in the tenant regardless of case, at the name field', async () => {
    const name = unique('Operators');
    expect((await createRole(db, actor, { name })).ok).toBe(true);
    const dup = await createRole(db, actor, { name: name.toUpperCase() });
    expect(dup).toMatchObject({ ok: false, code: 'conflict' });
    expect(!dup.ok && dup.fieldErrors?.name).toMatch(/already exists/);
    const builtinDup = await createRole(db, actor, { name: 'tenant member' });
    expect(!builtinDup.ok && builtinDup.fieldErrors?.name).toMatch(/already exists/);
    const count = await db.select().from(roles).where(and(eq(roles.tenantId, t.tenantId), eq(roles.name, name)));
    expect(count).toHaveLength(1);
  });

  it('allows the same name in another tenant', async () => {
    const name = unique('Shared name');
    expect((await createRole(db, actor, { name })).ok).toBe(true);
    expect((await createRole(db, actorFromUser(other.admin), { name })).ok).toBe(true);
  });

  it('flags a missing, too long or unprintable name at the field', async () => {
    for (const name of ['   ', 'x'.repeat(101), 'bad\u0000name']) {
      const r = await createRole(db, actor, { name });
      expect(r).toMatchObject({ ok: false, code: 'invalid' });
      expect(!r.ok && r.fieldErrors?.name).toBeTruthy();
    }
  });
});

describe('updateRole', () => {
  it('renames a custom role and records old and new names', async () => {
    const created = await createRole(db, actor, { name: unique('Before') });
    if (!created.ok) throw new Error('setup');
    const name = unique('After');
    const r = await updateRole(db, actor, { id: created.data.id, name, description: 'New text' });
    expect(r.ok).toBe(true);
    const [row] = await db.select().from(roles).where(eq(roles.id, created.data.id));
    expect(row).toMatchObject({ name, description: 'New text' });
    const events = (await auditFor(created.data.id)).filter((e) => e.action === 'role.updated');
    expect(events[0].details).toMatchObject({ name: { from: created.data.name, to: name } });
  });

  it('tells the token service about the clients holding a renamed role (tokens carry role names)', async () => {
    const created = await createRole(db, actor, { name: unique('Old name') });
    if (!created.ok) throw new Error('setup');
    const c = await insertClient(t.tenantId, [created.data.id]);
    await insertClient(t.tenantId, []);
    expect((await updateRole(db, actor, { id: created.data.id, name: unique('New name') })).ok).toBe(true);
    expect(notified()).toEqual([c.id]);
  });

  it('refuses a rename onto another role name, case-insensitive', async () => {
    const a = await createRole(db, actor, { name: unique('First') });
    const b = await createRole(db, actor, { name: unique('Second') });
    if (!a.ok || !b.ok) throw new Error('setup');
    const r = await updateRole(db, actor, { id: b.data.id, name: a.data.name.toLowerCase() });
    expect(!r.ok && r.fieldErrors?.name).toMatch(/already exists/);
  });

  it('refuses to rename a built-in role', async () => {
    for (const role of t.roles) {
      const r = await updateRole(db, actor, { id: role.id, name: unique('Renamed') });
      expect(r).toMatchObject({ ok: false, code: 'forbidden' });
    }
    const names = (await listTenantRoles(db, t.tenantId)).slice(0, 5).map((r) => r.name);
    expect(names).toContain('Tenant Administrator');
  });

  it("refuses another tenant's role exactly like an unknown id", async () => {
    const theirs = await createRole(db, actorFromUser(other.admin), { name: unique('Theirs') });
    if (!theirs.ok) throw new Error('setup');
    const cross = await updateRole(db, actor, { id: theirs.data.id, name: 'Mine now' });
    const unknown = await updateRole(db, actor, { id: randomUUID(), name: 'Mine now' });
    expect(cross).toEqual(unknown);
    expect(cross).toMatchObject({ ok: false, code: 'not_found' });
    const [row] = await db.select().from(roles).where(eq(roles.id, theirs.data.id));
    expect(row.name).toBe(theirs.data.name);
  });
});

describe('removeRole', () => {
  it('takes the role off its clients and users in one transaction, with an audit event', async () => {
    const created = await createRole(db, actor, { name: unique('Doomed') });
    if (!created.ok) throw new Error('setup');
    const roleId = created.data.id;
    const member = t.roles.find((r) => r.roleType === 'tenant_member')!;
    const c1 = await insertClient(t.tenantId, [member.id, roleId]);
    const c2 = await insertClient(t.tenantId, [member.id, roleId]);
    await db.insert(userRoles).values({ userId: t.member.id, roleId });

    const r = await removeRole(db, actor, { id: roleId });
    expect(r).toEqual({ ok: true, data: { name: created.data.name, clientCount: 2, userCount: 1 } });
    expect(await db.select().from(roles).where(eq(roles.id, roleId))).toHaveLength(0);
    expect(await db.select().from(clientRoles).where(eq(clientRoles.roleId, roleId))).toHaveLength(0);
    expect(await db.select().from(userRoles).where(eq(userRoles.roleId, roleId))).toHaveLength(0);
    // Their other roles stay; their version moves on so a stale edit is refused.
    for (const c of [c1, c2]) {
      const held = await db.select().from(clientRoles).where(eq(clientRoles.clientId, c.id));
      expect(held.map((x) => x.roleId)).toEqual([member.id]);
      const [row] = await db.select().from(clients).where(eq(clients.id, c.id));
      expect(row.version).toBe(c.version + 1);
      expect(row.updatedBy).toBe(t.admin.email);
    }
    expect(notified()).toEqual([c1.id, c2.id].sort());
    const events = (await auditFor(roleId)).filter((e) => e.action === 'role.removed');
    expect(events).toHaveLength(1);
    expect(events[0].details).toMatchObject({ name: created.data.name, clientCount: 2, userCount: 1 });
  });

  it('refuses to remove a built-in role', async () => {
    for (const role of t.roles) {
      expect(await removeRole(db, actor, { id: role.id })).toMatchObject({ ok: false, code: 'forbidden' });
    }
    expect(await listTenantRoles(db, t.tenantId)).toHaveLength(
      (await db.select().from(roles).where(eq(roles.tenantId, t.tenantId))).length,
    );
    expect((await db.select().from(roles).where(eq(roles.tenantId, t.tenantId))).filter((r) => r.roleType !== 'custom')).toHaveLength(5);
  });

  it("refuses another tenant's role exactly like an unknown id, and leaves it in place", async () => {
    const theirs = await createRole(db, actorFromUser(other.admin), { name: unique('Keep') });
    if (!theirs.ok) throw new Error('setup');
    const cross = await removeRole(db, actor, { id: theirs.data.id });
    const unknown = await removeRole(db, actor, { id: randomUUID() });
    expect(cross).toEqual(unknown);
    expect(await db.select().from(roles).where(eq(roles.id, theirs.data.id))).toHaveLength(1);
    expect(notified()).toEqual([]);
  });
});

describe('as server actions', () => {
  const action = (user: TestTenant['admin'] | null) => roleAdminActions(async () => user).createRole;

  it('requires a signed-in Tenant Administrator for every role operation', async () => {
    const custom = await createRole(db, actor, { name: unique('Guarded') });
    if (!custom.ok) throw new Error('setup');
    for (const user of [null, t.member]) {
      const code = user ? 'forbidden' : 'unauthenticated';
      const a = roleAdminActions(async () => user);
      expect(await a.createRole({ name: 'X' })).toMatchObject({ ok: false, code });
      expect(await a.updateRole({ id: custom.data.id, name: 'X' })).toMatchObject({ ok: false, code });
      expect(await a.removeRole({ id: custom.data.id })).toMatchObject({ ok: false, code });
    }
    expect(await db.select().from(roles).where(eq(roles.id, custom.data.id))).toHaveLength(1);
  });

  it("validates with the form's schema and scopes to the session's tenant, never the input's", async () => {
    expect(await action(t.admin)({ name: '' })).toMatchObject({ ok: false, fieldErrors: { name: 'Enter a name.' } });
    const name = unique('Scoped');
    const r = await action(t.admin)({ name, tenantId: other.tenantId });
    if (!r.ok) throw new Error('create failed');
    const [row] = await db.select().from(roles).where(eq(roles.id, r.data.id));
    expect(row.tenantId).toBe(t.tenantId);
  });
});
