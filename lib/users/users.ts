import { randomBytes } from 'node:crypto';
import { and, asc, eq, inArray, ne, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { roles, userRoles, users } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { hashPassword } from '../auth/password';
import { endUserSessions, forgetSessions } from '../auth/sessions';
import { BUILTIN_ORDER } from '../roles/builtin';
import { uniqueViolation } from '../roles/db-errors';
import { assignableRoleIds } from '../roles/queries';
import { validate } from '../actions/validate';
import {
  inviteUserSchema,
  removeUserSchema,
  setUserRolesSchema,
  type InviteUserInput,
  type RemoveUserInput,
  type SetUserRolesInput,
} from './users.schema';

export type UserRow = {
  id: string;
  email: string;
  name: string;
  createdAt: Date;
  roles: { id: string; name: string; roleType: string; scope: 'tenant' | 'community' }[];
};

export const USER_NOT_FOUND = 'This user does not exist. They may have been removed.';
export const LAST_ADMIN =
  'This is the last Tenant Administrator of the tenant. Give the role to another user first.';
export const MEMBER_REQUIRED = 'Tenant Member cannot be removed from a user.';
export const EMAIL_TAKEN_HERE = 'A user with this email already exists in this tenant.';
/** The same words whatever the reason, so they never say whether another tenant uses the address. */
export const EMAIL_NOT_INVITABLE = "This email address can't be invited. Check it, or use a different address.";
const UNKNOWN_ROLES = 'One or more of the chosen roles no longer exist. Reload the page and choose again.';

/** Security > Users: the tenant's users by email, each with their roles (built-in first, then by name). */
export async function listTenantUsers(db: Db, tenantId: string): Promise<UserRow[]> {
  const rows = await db
    .select({ id: users.id, email: users.email, name: users.name, createdAt: users.createdAt })
    .from(users)
    .where(eq(users.tenantId, tenantId))
    .orderBy(asc(users.email));
  if (rows.length === 0) return [];
  const held = await db
    .select({ userId: userRoles.userId, id: roles.id, name: roles.name, roleType: roles.roleType, scope: roles.scope })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .innerJoin(users, eq(users.id, userRoles.userId))
    .where(eq(users.tenantId, tenantId))
    .orderBy(asc(sql`lower(${roles.name})`));
  const byUser = new Map<string, UserRow['roles']>();
  for (const { userId, ...role } of held) byUser.set(userId, [...(byUser.get(userId) ?? []), role]);
  const order = (r: UserRow['roles'][number]) => (r.scope === 'community' ? 200 : (BUILTIN_ORDER[r.roleType] ?? 100));
  return rows.map((u) => ({ ...u, roles: (byUser.get(u.id) ?? []).sort((a, b) => order(a) - order(b)) }));
}

/** A random initial password (144 bits), handed to the administrator once to pass on. */
export function generateInitialPassword(): string {
  return randomBytes(18).toString('base64url');
}

async function builtinRoleId(db: Db, tenantId: string, roleType: 'tenant_member' | 'tenant_administrator', lock = false) {
  const q = db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.roleType, roleType)));
  const [row] = lock ? await q.for('update') : await q;
  return row.id;
}

/**
 * Every write that can take Tenant Administrator away from someone takes this lock first (the tenant's
 * Tenant Administrator role row), so two concurrent demotions or removals cannot both see "another administrator
 * remains" and leave the tenant without one.
 */
const lockAdministrators = (tx: Db, tenantId: string) => builtinRoleId(tx, tenantId, 'tenant_administrator', true);

async function otherAdministrators(tx: Db, adminRoleId: string, userId: string): Promise<number> {
  const [row] = await tx
    .select({ n: sql<number>`count(*)`.mapWith(Number) })
    .from(userRoles)
    .where(and(eq(userRoles.roleId, adminRoleId), ne(userRoles.userId, userId)));
  return row.n;
}

async function roleNames(tx: Db, ids: string[]): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await tx.select({ name: roles.name }).from(roles).where(inArray(roles.id, ids));
  return rows.map((r) => r.name).sort();
}

/**
 * Invite User: a user of this tenant with Tenant Member plus the chosen roles, and a random initial password that
 * is returned once, here, to be shown to the administrator (only its scrypt hash is stored). Emails are unique
 * across all tenants (sign-in is by email alone); a taken email is refused without saying where it is used.
 */
export async function inviteUser(
  db: Db,
  actor: Actor,
  raw: InviteUserInput,
): Promise<ActionResult<{ id: string; email: string; name: string; initialPassword: string }>> {
  const v = validate(inviteUserSchema, raw);
  if (!v.ok) return v.failure;
  const input = v.data;
  const initialPassword = generateInitialPassword();
  // The slow hash runs before the transaction, so no locks are held while it does.
  const passwordHash = await hashPassword(initialPassword);
  try {
    const result = await inTransaction(db, async (t) => {
      const memberRoleId = await builtinRoleId(t, actor.tenantId, 'tenant_member');
      const wanted = [...new Set([memberRoleId, ...input.roleIds])];
      const allowed = await assignableRoleIds(t, actor.tenantId, wanted);
      if (allowed.size !== wanted.length) return fail(UNKNOWN_ROLES, 'not_found', { roleIds: UNKNOWN_ROLES });
      const [user] = await t
        .insert(users)
        .values({ tenantId: actor.tenantId, email: input.email, name: input.name, passwordHash, mustChangePassword: true })
        .returning({ id: users.id, email: users.email, name: users.name });
      await t.insert(userRoles).values(wanted.map((roleId) => ({ userId: user.id, roleId })));
      await recordAudit(t, actor, {
        action: 'user.invited',
        targetType: 'user',
        targetId: user.id,
        details: { email: user.email, name: user.name, roles: await roleNames(t, wanted) },
      });
      return ok(user);
    });
    if (!result.ok) return result;
    return ok({ ...result.data, initialPassword });
  } catch (err) {
    if (uniqueViolation(err) === 'users_email_lower_uq') {
      // Emails are unique across the installation (sign-in is by email alone), but whether an address is in use by
      // another tenant is that tenant's business: only a user of this tenant is named as such.
      const [mine] = await db
        .select({ id: users.id })
        .from(users)
        .where(and(sql`lower(${users.email}) = ${input.email.trim().toLowerCase()}`, eq(users.tenantId, actor.tenantId)));
      return { ok: false, code: 'conflict', fieldErrors: { email: mine ? EMAIL_TAKEN_HERE : EMAIL_NOT_INVITABLE } };
    }
    throw err;
  }
}

/**
 * Edit Roles: replace the user's roles with `roleIds`. Tenant Member must stay; the last Tenant Administrator of
 * the tenant keeps that role (under the administrators lock, so concurrent edits cannot both remove it).
 */
export async function setUserRoles(
  db: Db,
  actor: Actor,
  raw: SetUserRolesInput,
): Promise<ActionResult<{ added: string[]; removed: string[] }>> {
  const v = validate(setUserRolesSchema, raw);
  if (!v.ok) return v.failure;
  const input = v.data;
  return inTransaction(db, async (t) => {
    const adminRoleId = await lockAdministrators(t, actor.tenantId);
    const [user] = await t
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.id, input.userId), eq(users.tenantId, actor.tenantId)));
    if (!user) return fail(USER_NOT_FOUND, 'not_found');
    const wanted = [...new Set(input.roleIds)];
    const memberRoleId = await builtinRoleId(t, actor.tenantId, 'tenant_member');
    if (!wanted.includes(memberRoleId)) return fail(MEMBER_REQUIRED, 'invalid', { roleIds: MEMBER_REQUIRED });
    const allowed = await assignableRoleIds(t, actor.tenantId, wanted);
    if (allowed.size !== wanted.length) return fail(UNKNOWN_ROLES, 'not_found', { roleIds: UNKNOWN_ROLES });

    const current = (await t.select({ roleId: userRoles.roleId }).from(userRoles).where(eq(userRoles.userId, user.id))).map(
      (r) => r.roleId,
    );
    const added = wanted.filter((id) => !current.includes(id));
    const removed = current.filter((id) => !wanted.includes(id));
    if (removed.includes(adminRoleId) && (await otherAdministrators(t, adminRoleId, user.id)) === 0) {
      return fail(LAST_ADMIN, 'conflict', { roleIds: LAST_ADMIN });
    }
    if (added.length === 0 && removed.length === 0) return ok({ added: [], removed: [] });
    if (removed.length) {
      await t.delete(userRoles).where(and(eq(userRoles.userId, user.id), inArray(userRoles.roleId, removed)));
    }
    if (added.length) await t.insert(userRoles).values(added.map((roleId) => ({ userId: user.id, roleId })));
    const change = { added: await roleNames(t, added), removed: await roleNames(t, removed) };
    await recordAudit(t, actor, {
      action: 'user.roles_changed',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email, ...change },
    });
    return ok(change);
  });
}

/** Remove User: not yourself, and not the tenant's last Tenant Administrator (under the administrators lock). */
export async function removeUser(db: Db, actor: Actor, raw: RemoveUserInput): Promise<ActionResult<{ email: string }>> {
  const v = validate(removeUserSchema, raw);
  if (!v.ok) return v.failure;
  const input = v.data;
  const removed = await inTransaction(db, async (t) => {
    const adminRoleId = await lockAdministrators(t, actor.tenantId);
    const [user] = await t
      .select({ id: users.id, email: users.email, name: users.name })
      .from(users)
      .where(and(eq(users.id, input.userId), eq(users.tenantId, actor.tenantId)));
    if (!user) return fail(USER_NOT_FOUND, 'not_found');
    if (actor.type === 'user' && actor.id === user.id) return fail('You cannot remove yourself.', 'forbidden');
    const [isAdmin] = await t
      .select({ roleId: userRoles.roleId })
      .from(userRoles)
      .where(and(eq(userRoles.userId, user.id), eq(userRoles.roleId, adminRoleId)));
    if (isAdmin && (await otherAdministrators(t, adminRoleId, user.id)) === 0) return fail(LAST_ADMIN, 'conflict');
    // Their sessions go with them (ON DELETE CASCADE; the trigger announces each to every instance on commit).
    const sessionsEnded = await endUserSessions(t, user.id);
    await t.delete(users).where(eq(users.id, user.id));
    await recordAudit(t, actor, {
      action: 'user.removed',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email, name: user.name, sessionsEnded: sessionsEnded.length },
    });
    return { result: ok({ email: user.email }), sessionsEnded };
  });
  if ('sessionsEnded' in removed) forgetSessions(removed.sessionsEnded);
  return 'result' in removed ? removed.result : removed;
}
