import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { clientRoles, clients, roles, userRoles } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { BUILTIN_ORDER, roleDescription } from './builtin';
import { uniqueViolation } from './db-errors';
import { clientsChangedAfterCommit } from './notify';
import { validate } from '../actions/validate';
import { createRoleSchema, removeRoleSchema, updateRoleSchema, type CreateRoleInput, type RemoveRoleInput, type UpdateRoleInput } from './roles.schema';

export type RoleWithHolders = {
  id: string;
  name: string;
  description: string;
  roleType: string;
  builtIn: boolean;
  userCount: number;
  clientCount: number;
};

export const ROLE_NOT_FOUND = 'This role does not exist. It may have been removed.';

/** Security > Roles: the tenant's roles, built-in first in the product's order, then custom by name, with holder counts. */
export async function listRolesWithHolders(db: Db, tenantId: string): Promise<RoleWithHolders[]> {
  const rows = await db
    .select({
      id: roles.id,
      name: roles.name,
      description: roles.description,
      roleType: roles.roleType,
      userCount: sql<number>`(select count(*) from ${userRoles} where ${userRoles.roleId} = ${roles.id})`.mapWith(Number),
      clientCount: sql<number>`(select count(*) from ${clientRoles} where ${clientRoles.roleId} = ${roles.id})`.mapWith(Number),
    })
    .from(roles)
    .where(eq(roles.tenantId, tenantId))
    .orderBy(sql`lower(${roles.name})`);
  return rows
    .map((r) => ({ ...r, description: roleDescription(r.roleType, r.description), builtIn: r.roleType !== 'custom' }))
    .sort((a, b) => (BUILTIN_ORDER[a.roleType] ?? 99) - (BUILTIN_ORDER[b.roleType] ?? 99));
}

const duplicateName = (name: string) => ({ name: `A role named "${name}" already exists in this tenant.` });

/** Add Role: a custom tenant role, unique by name in the tenant regardless of case (a database constraint). */
export async function createRole(
  db: Db,
  actor: Actor,
  raw: CreateRoleInput,
): Promise<ActionResult<{ id: string; name: string }>> {
  const v = validate(createRoleSchema, raw);
  if (!v.ok) return v.failure;
  const input = v.data;
  try {
    const role = await inTransaction(db, async (tx) => {
      const [created] = await tx
        .insert(roles)
        .values({ scope: 'tenant', tenantId: actor.tenantId, roleType: 'custom', name: input.name, description: input.description })
        .returning({ id: roles.id, name: roles.name });
      await recordAudit(tx, actor, {
        action: 'role.created',
        targetType: 'role',
        targetId: created.id,
        details: { name: created.name, description: input.description },
      });
      return created;
    });
    return ok(role);
  } catch (err) {
    if (uniqueViolation(err) === 'roles_tenant_name_uq') return { ok: false, code: 'conflict', fieldErrors: duplicateName(input.name) };
    throw err;
  }
}

/** The tenant's role with this id, locked for the rest of the transaction; another tenant's role is not found. */
async function lockTenantRole(tx: Db, tenantId: string, id: string) {
  const [role] = await tx
    .select()
    .from(roles)
    .where(and(eq(roles.id, id), eq(roles.tenantId, tenantId)))
    .for('update');
  return role;
}

/** Edit Role: only custom roles can be renamed; the built-in five keep their names and descriptions. */
export async function updateRole(
  db: Db,
  actor: Actor,
  raw: UpdateRoleInput,
): Promise<ActionResult<{ id: string; name: string }>> {
  const v = validate(updateRoleSchema, raw);
  if (!v.ok) return v.failure;
  const input = v.data;
  try {
    return await inTransaction(db, async (tx, afterCommit): Promise<ActionResult<{ id: string; name: string }>> => {
      const role = await lockTenantRole(tx, actor.tenantId, input.id);
      if (!role) return fail(ROLE_NOT_FOUND, 'not_found');
      if (role.roleType !== 'custom') return fail('Built-in roles cannot be renamed or edited.', 'forbidden');
      if (role.name === input.name && role.description === input.description) {
        return ok({ id: role.id, name: role.name });
      }
      await tx.update(roles).set({ name: input.name, description: input.description }).where(eq(roles.id, role.id));
      // Tokens carry role names: the clients holding this role must be re-read by the token service.
      const holders =
        role.name === input.name
          ? []
          : await tx.select({ clientId: clientRoles.clientId }).from(clientRoles).where(eq(clientRoles.roleId, role.id));
      clientsChangedAfterCommit(afterCommit, holders.map((h) => h.clientId));
      await recordAudit(tx, actor, {
        action: 'role.updated',
        targetType: 'role',
        targetId: role.id,
        details: {
          ...(role.name !== input.name ? { name: { from: role.name, to: input.name } } : {}),
          ...(role.description !== input.description ? { description: { from: role.description, to: input.description } } : {}),
        },
      });
      return ok({ id: role.id, name: input.name });
    });
  } catch (err) {
    if (uniqueViolation(err) === 'roles_tenant_name_uq') return { ok: false, code: 'conflict', fieldErrors: duplicateName(input.name) };
    throw err;
  }
}

/**
 * Take roles off every client holding them, in the caller's transaction. Those clients' versions are bumped, so an
 * Edit Client form opened before this is refused as stale. A community's roles can also be held by clients of other
 * member tenants. Returns the affected client ids, for the token service's cache.
 */
export async function takeRolesFromClients(tx: Db, actor: Actor, roleIds: string[]): Promise<string[]> {
  if (roleIds.length === 0) return [];
  const removed = await tx
    .delete(clientRoles)
    .where(inArray(clientRoles.roleId, roleIds))
    .returning({ clientId: clientRoles.clientId });
  const clientIds = [...new Set(removed.map((r) => r.clientId))];
  if (clientIds.length === 0) return [];
  await tx
    .update(clients)
    .set({
      version: sql`${clients.version} + 1`,
      updatedAt: sql`now()`,
      updatedBy: actor.label,
    })
    .where(inArray(clients.id, clientIds));
  return clientIds;
}

/**
 * Remove Role: a custom role only. It is taken off every client and user holding it in the same transaction as
 * the removal and its audit event; the token service then drops those clients' cached roles.
 */
export async function removeRole(
  db: Db,
  actor: Actor,
  raw: RemoveRoleInput,
): Promise<ActionResult<{ name: string; clientCount: number; userCount: number }>> {
  const v = validate(removeRoleSchema, raw);
  if (!v.ok) return v.failure;
  const input = v.data;
  return inTransaction(db, async (t, afterCommit): Promise<ActionResult<{ name: string; clientCount: number; userCount: number }>> => {
    const role = await lockTenantRole(t, actor.tenantId, input.id);
    if (!role) return fail(ROLE_NOT_FOUND, 'not_found');
    if (role.roleType !== 'custom') return fail('Built-in roles cannot be removed.', 'forbidden');
    const clientIds = await takeRolesFromClients(t, actor, [role.id]);
    clientsChangedAfterCommit(afterCommit, clientIds);
    const users = await t.delete(userRoles).where(eq(userRoles.roleId, role.id)).returning({ userId: userRoles.userId });
    await t.delete(roles).where(eq(roles.id, role.id));
    await recordAudit(t, actor, {
      action: 'role.removed',
      targetType: 'role',
      targetId: role.id,
      details: { name: role.name, clientCount: clientIds.length, userCount: users.length },
    });
    return ok({ name: role.name, clientCount: clientIds.length, userCount: users.length });
  });
}
