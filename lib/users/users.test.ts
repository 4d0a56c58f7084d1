import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { auditEvents, userRoles, users } from '../db/schema';
import type { Actor } from '../actions/admin-action';
import { verifyCredentials } from '../auth/users';
import { createTenant, createUser } from '../tenants/tenants';
import type { TestTenant } from '../testing/db';
import { withTwoTenants } from '../testing/tenants-fixture';
import { createRole } from '../roles/roles';
import { createCommunity } from '../communities/communities';
import { EMAIL_NOT_INVITABLE, EMAIL_TAKEN_HERE, inviteUser, LAST_ADMIN, listTenantUsers, MEMBER_REQUIRED, removeUser, setUserRoles } from './users';
import { userAdminActions } from './admin-actions';

let db: Db;
let t: TestTenant;
let other: TestTenant;
let actor: Actor;

withTwoTenants('Users', (s) => ({ db, t, other, actor } = s));

const suffix = () => randomUUID().slice(0, 8);
const roleId = (tt: TestTenant, type: string) => tt.roles.find((r) => r.roleType === type)!.id;
const heldBy = async (userId: string) =>
  (await db.select({ roleId: userRoles.roleId }).from(userRoles).where(eq(userRoles.userId, userId))).map((r) => r.roleId).sort();

/** A tenant of its own with `admins` Tenant Administrators, for the last-administrator rules. */
async function tenantWithAdmins(admins: number) {
  const { tenant, roles } = await createTenant(db, `Admins ${suffix()}`);
  const ids = [];
  for (let i = 0; i < admins; i++) {
    const u = await createUser(db, {
      tenantId: tenant.id,
      email: `admin${i}-${suffix()}@example.test`,
      name: `Admin ${i}`,
      password: 'correct horse battery staple',
      roleTypes: ['tenant_administrator'],
    });
    ids.push(u.id);
  }
  const member = roles.find((r) => r.roleType === 'tenant_member')!.id;
  const admin = roles.find((r) => r.roleType === 'tenant_administrator')!.id;
  const actorOf = (id: string): Actor => ({ tenantId: tenant.id, label: id, type: 'user', id, via: 'console' });
  return { tenantId: tenant.id, ids, member, admin, actorOf };
}

describe('inviteUser', () => {
  it('creates the user with Tenant Member plus the chosen roles and an initial password that signs in', async () => {
    const custom = await createRole(db, actor, { name: `Analysts ${suffix()}` });
    const community = await createCommunity(db, actor, { name: `Users community ${suffix()}` });
    if (!custom.ok || !community.ok) throw new Error('setup');
    const email = `New.Person-${suffix()}@Example.test`;
    const r = await inviteUser(db, actor, {
      email,
      name: 'New Person',
      roleIds: [roleId(t, 'tenant_contributor'), custom.data.id, community.data.roleId],
    });
    if (!r.ok) throw new Error(JSON.stringify(r));
    expect(r.data.email).toBe(email.toLowerCase());
    expect(r.data.initialPassword.length).toBeGreaterThanOrEqual(20);
    expect(await heldBy(r.data.id)).toEqual(
      [roleId(t, 'tenant_member'), roleId(t, 'tenant_contributor'), custom.data.id, community.data.roleId].sort(),
    );
    const signedIn = await verifyCredentials(db, email, r.data.initialPassword);
    expect(signedIn).toMatchObject({ id: r.data.id, tenantId: t.tenantId });
    const [row] = await db.select().from(users).where(eq(users.id, r.data.id));
    expect(row.passwordHash).not.toContain(r.data.initialPassword);
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.targetId, r.data.id));
    expect(event).toMatchObject({ action: 'user.invited', tenantId: t.tenantId });
    expect(JSON.stringify(event.details)).not.toContain(r.data.initialPassword);
    const listed = (await listTenantUsers(db, t.tenantId)).find((u) => u.id === r.data.id);
    expect(listed?.roles.map((x) => x.name).slice(0, 2)).toEqual(['Tenant Contributor', 'Tenant Member']);
  });

  it('names a taken email only when it is a user of this tenant (case-insensitively), writing nothing', async () => {
    const here = await inviteUser(db, actor, { email: t.member.email.toUpperCase(), name: 'Dup', roleIds: [] });
    expect(here).toEqual({ ok: false, code: 'conflict', fieldErrors: { email: EMAIL_TAKEN_HERE } });
    // The two tenants' users only: on PostgreSQL other test files add users to the same database meanwhile.
    const usersOfBoth = async () => (await db.select().from(users).where(inArray(users.tenantId, [t.tenantId, other.tenantId]))).length;
    const before = await usersOfBoth();
    const elsewhere = await inviteUser(db, actor, { email: ` ${other.admin.email.toUpperCase()}`, name: 'Dup', roleIds: [] });
    expect(elsewhere).toEqual({ ok: false, code: 'conflict', fieldErrors: { email: EMAIL_NOT_INVITABLE } });
    expect(JSON.stringify(elsewhere)).not.toMatch(/exist|tenant/i);
    expect(await usersOfBoth()).toBe(before);
  });

  it("refuses another tenant's role exactly like an unknown role, and writes nothing", async () => {
    const email = `cross-${suffix()}@example.test`;
    const cross = await inviteUser(db, actor, { email, name: 'X', roleIds: [roleId(other, 'tenant_administrator')] });
    const unknown = await inviteUser(db, actor, { email, name: 'X', roleIds: [randomUUID()] });
    expect(cross).toEqual(unknown);
    expect(cross).toMatchObject({ ok: false, code: 'not_found' });
    expect(await db.select().from(users).where(eq(users.email, email))).toHaveLength(0);
  });

  it('flags bad input at its field', async () => {
    const r = await inviteUser(db, actor, { email: 'not an email', name: '', roleIds: [] });
    expect(r).toMatchObject({ ok: false, fieldErrors: { email: 'Enter a valid email.', name: 'Enter a name.' } });
  });

  it('as a server action: Tenant Administrator only, in the session tenant', async () => {
    const action = (user: TestTenant['admin']) => userAdminActions(async () => user).inviteUser;
    const email = `action-${suffix()}@example.test`;
    expect(await action(t.member)({ email, name: 'A' })).toMatchObject({ ok: false, code: 'forbidden' });
    const asMember = userAdminActions(async () => t.member);
    expect(await asMember.setUserRoles({ userId: t.member.id, roleIds: t.roles.map((r) => r.id) })).toMatchObject({
      ok: false,
      code: 'forbidden',
    });
    expect(await asMember.removeUser({ userId: t.admin.id })).toMatchObject({ ok: false, code: 'forbidden' });
    const r = await action(other.admin)({ email, name: 'A', tenantId: t.tenantId });
    if (!r.ok) throw new Error('invite failed');
    const [row] = await db.select().from(users).where(eq(users.id, r.data.id));
    expect(row.tenantId).toBe(other.tenantId);
  });
});

describe('setUserRoles', () => {
  it('replaces the roles and records what was added and removed', async () => {
    const userId = t.member.id;
    const add = [roleId(t, 'tenant_member'), roleId(t, 'tenant_viewer'), roleId(t, 'tenant_data_steward')];
    expect(await setUserRoles(db, actor, { userId, roleIds: add })).toEqual({
      ok: true,
      data: { added: ['Tenant Data Steward', 'Tenant Viewer'], removed: [] },
    });
    expect(await heldBy(userId)).toEqual([...add].sort());
    expect(await setUserRoles(db, actor, { userId, roleIds: [roleId(t, 'tenant_member')] })).toEqual({
      ok: true,
      data: { added: [], removed: ['Tenant Data Steward', 'Tenant Viewer'] },
    });
    const events = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, userId), eq(auditEvents.action, 'user.roles_changed')));
    expect(events).toHaveLength(2);
  });

  it('refuses to take Tenant Member away from a user', async () => {
    const r = await setUserRoles(db, actor, { userId: t.member.id, roleIds: [roleId(t, 'tenant_viewer')] });
    expect(r).toMatchObject({ ok: false, fieldErrors: { roleIds: MEMBER_REQUIRED } });
    expect(await heldBy(t.member.id)).toContain(roleId(t, 'tenant_member'));
  });

  it('refuses to take Tenant Administrator from the last administrator, allows it while another remains', async () => {
    const a = await tenantWithAdmins(2);
    const [first, second] = a.ids;
    expect(await setUserRoles(db, a.actorOf(first), { userId: second, roleIds: [a.member] })).toMatchObject({ ok: true });
    const r = await setUserRoles(db, a.actorOf(first), { userId: first, roleIds: [a.member] });
    expect(r).toMatchObject({ ok: false, code: 'conflict', fieldErrors: { roleIds: LAST_ADMIN } });
    expect(await heldBy(first)).toContain(a.admin);
  });

  it('keeps one administrator when two demotions race (administrators lock)', async () => {
    const a = await tenantWithAdmins(2);
    const [first, second] = a.ids;
    const results = await Promise.all([
      setUserRoles(db, a.actorOf(first), { userId: second, roleIds: [a.member] }),
      setUserRoles(db, a.actorOf(second), { userId: first, roleIds: [a.member] }),
    ]);
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    expect(results.filter((x) => !x.ok)[0]).toMatchObject({ code: 'conflict' });
    const admins = await db.select().from(userRoles).where(eq(userRoles.roleId, a.admin));
    expect(admins).toHaveLength(1);
  });

  it("refuses another tenant's user, or their roles, exactly like unknown ones", async () => {
    const roleIds = [roleId(t, 'tenant_member')];
    const cross = await setUserRoles(db, actor, { userId: other.member.id, roleIds });
    const unknown = await setUserRoles(db, actor, { userId: randomUUID(), roleIds });
    expect(cross).toEqual(unknown);
    expect(cross).toMatchObject({ ok: false, code: 'not_found' });
    const crossRole = await setUserRoles(db, actor, { userId: t.member.id, roleIds: [...roleIds, roleId(other, 'tenant_viewer')] });
    const unknownRole = await setUserRoles(db, actor, { userId: t.member.id, roleIds: [...roleIds, randomUUID()] });
    expect(crossRole).toEqual(unknownRole);
    expect(await heldBy(other.member.id)).toEqual([roleId(other, 'tenant_member')]);
  });
});

describe('removeUser', () => {
  it('removes a user of the tenant with an audit event', async () => {
    const invited = await inviteUser(db, actor, { email: `leaver-${suffix()}@example.test`, name: 'Leaver', roleIds: [] });
    if (!invited.ok) throw new Error('setup');
    expect(await removeUser(db, actor, { userId: invited.data.id })).toEqual({ ok: true, data: { email: invited.data.email } });
    expect(await db.select().from(users).where(eq(users.id, invited.data.id))).toHaveLength(0);
    const [event] = await db.select().from(auditEvents).where(eq(auditEvents.targetId, invited.data.id)).orderBy(auditEvents.id);
    expect(event.action).toBe('user.invited');
    const all = await db.select().from(auditEvents).where(eq(auditEvents.targetId, invited.data.id));
    expect(all.map((e) => e.action)).toContain('user.removed');
  });

  it('refuses to remove yourself', async () => {
    expect(await removeUser(db, actor, { userId: t.admin.id })).toMatchObject({ ok: false, code: 'forbidden' });
  });

  it('refuses to remove the last Tenant Administrator', async () => {
    const a = await tenantWithAdmins(1);
    // An API client acting for the tenant is the one actor that is not itself an administrator user.
    const client: Actor = { tenantId: a.tenantId, label: 'client:x', type: 'client', id: randomUUID(), via: 'api' };
    expect(await removeUser(db, client, { userId: a.ids[0] })).toEqual({
      ok: false,
      code: 'conflict',
      formError: LAST_ADMIN,
    });
    expect(await db.select().from(users).where(eq(users.id, a.ids[0]))).toHaveLength(1);
  });

  it('keeps one administrator when a removal races a demotion', async () => {
    const a = await tenantWithAdmins(2);
    const [first, second] = a.ids;
    const results = await Promise.all([
      removeUser(db, a.actorOf(first), { userId: second }),
      setUserRoles(db, a.actorOf(second), { userId: first, roleIds: [a.member] }),
    ]);
    expect(results.filter((x) => x.ok)).toHaveLength(1);
    const admins = await db.select().from(userRoles).where(eq(userRoles.roleId, a.admin));
    expect(admins).toHaveLength(1);
  });

  it("refuses another tenant's user exactly like an unknown one", async () => {
    const cross = await removeUser(db, actor, { userId: other.member.id });
    const unknown = await removeUser(db, actor, { userId: randomUUID() });
    expect(cross).toEqual(unknown);
    expect(await db.select().from(users).where(eq(users.id, other.member.id))).toHaveLength(1);
  });
});
