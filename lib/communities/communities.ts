import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { clientRoles, communities, communityMembers, roles, tenants, userRoles } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { uniqueViolation } from '../roles/db-errors';
import { clientsChangedAfterCommit } from '../roles/notify';
import { takeRolesFromClients } from '../roles/roles';
import { validate } from '../actions/validate';
import {
  createCommunitySchema,
  removeCommunitySchema,
  type CreateCommunityInput,
  type RemoveCommunityInput,
} from './communities.schema';

export type CommunityRow = {
  id: string;
  name: string;
  description: string;
  /** This tenant administers the community (and so may remove it). */
  isAdmin: boolean;
  adminTenantName: string;
  memberTenantCount: number;
  roles: { id: string; name: string; description: string }[];
  /** Clients and users, of every member tenant, holding one of the community's roles. */
  clientCount: number;
  userCount: number;
  createdAt: Date;
};

export const COMMUNITY_NOT_FOUND = 'This community does not exist. It may have been removed.';

export const communityMemberRoleName = (communityName: string) => `${communityName} Community Member`;

/** Communities: the ones this tenant belongs to, by name, with their roles and how many clients and users hold them. */
export async function listTenantCommunities(db: Db, tenantId: string): Promise<CommunityRow[]> {
  const rows = await db
    .select({
      id: communities.id,
      name: communities.name,
      description: communities.description,
      adminTenantId: communities.adminTenantId,
      adminTenantName: tenants.name,
      createdAt: communities.createdAt,
      memberTenantCount: sql<number>`(select count(*) from ${communityMembers} m where m.community_id = ${communities.id})`.mapWith(Number),
      clientCount: sql<number>`(select count(distinct cr.client_id) from ${clientRoles} cr join ${roles} r on r.id = cr.role_id where r.community_id = ${communities.id})`.mapWith(Number),
      userCount: sql<number>`(select count(distinct ur.user_id) from ${userRoles} ur join ${roles} r on r.id = ur.role_id where r.community_id = ${communities.id})`.mapWith(Number),
    })
    .from(communities)
    .innerJoin(communityMembers, and(eq(communityMembers.communityId, communities.id), eq(communityMembers.tenantId, tenantId)))
    .innerJoin(tenants, eq(tenants.id, communities.adminTenantId))
    .orderBy(asc(sql`lower(${communities.name})`));
  if (rows.length === 0) return [];
  const communityRoles = await db
    .select({ id: roles.id, name: roles.name, description: roles.description, communityId: roles.communityId })
    .from(roles)
    .where(inArray(roles.communityId, rows.map((r) => r.id)))
    .orderBy(asc(sql`lower(${roles.name})`));
  return rows.map(({ adminTenantId, ...r }) => ({
    ...r,
    isAdmin: adminTenantId === tenantId,
    roles: communityRoles
      .filter((role) => role.communityId === r.id)
      .map((role) => ({ id: role.id, name: role.name, description: role.description })),
  }));
}

/**
 * Add Community: the community with this tenant as its administrative tenant and first member, and its
 * "<name> Community Member" role, in one transaction with the audit event. Names are unique across all tenants,
 * regardless of case (a database constraint): communities are shared between tenants.
 */
export async function createCommunity(
  db: Db,
  actor: Actor,
  raw: CreateCommunityInput,
): Promise<ActionResult<{ id: string; name: string; roleId: string; roleName: string }>> {
  const v = validate(createCommunitySchema, raw);
  if (!v.ok) return v.failure;
  const input = v.data;
  try {
    const created = await inTransaction(db, async (tx) => {
      const [community] = await tx
        .insert(communities)
        .values({ name: input.name, description: input.description, adminTenantId: actor.tenantId })
        .returning({ id: communities.id, name: communities.name });
      await tx.insert(communityMembers).values({ communityId: community.id, tenantId: actor.tenantId });
      const [role] = await tx
        .insert(roles)
        .values({
          scope: 'community',
          communityId: community.id,
          roleType: 'community_member',
          name: communityMemberRoleName(community.name),
          description: `Member of the ${community.name} community.`,
        })
        .returning({ id: roles.id, name: roles.name });
      await recordAudit(tx, actor, {
        action: 'community.created',
        targetType: 'community',
        targetId: community.id,
        details: { name: community.name, description: input.description, roleId: role.id, roleName: role.name },
      });
      return { id: community.id, name: community.name, roleId: role.id, roleName: role.name };
    });
    return ok(created);
  } catch (err) {
    if (uniqueViolation(err) === 'communities_name_lower_uq') {
      return { ok: false, code: 'conflict', fieldErrors: { name: `A community named "${input.name}" already exists.` } };
    }
    throw err;
  }
}

/**
 * Remove Community: only its administrative tenant may. Its roles are taken off every client and user holding them
 * (in any member tenant), in one transaction with an audit event in each member tenant, so every tenant whose
 * clients lost a role can see why. The token service then drops those clients' cached roles.
 */
export async function removeCommunity(
  db: Db,
  actor: Actor,
  raw: RemoveCommunityInput,
): Promise<ActionResult<{ name: string; clientCount: number; userCount: number }>> {
  const v = validate(removeCommunitySchema, raw);
  if (!v.ok) return v.failure;
  const input = v.data;
  return inTransaction(db, async (t, afterCommit): Promise<ActionResult<{ name: string; clientCount: number; userCount: number }>> => {
    // A community this tenant does not belong to is refused exactly like an unknown id.
    const [community] = await t
      .select({ id: communities.id, name: communities.name, adminTenantId: communities.adminTenantId })
      .from(communities)
      .innerJoin(communityMembers, and(eq(communityMembers.communityId, communities.id), eq(communityMembers.tenantId, actor.tenantId)))
      .where(eq(communities.id, input.id))
      .for('update', { of: communities });
    if (!community) return fail(COMMUNITY_NOT_FOUND, 'not_found');
    if (community.adminTenantId !== actor.tenantId) {
      return fail('Only the administrative tenant of this community can remove it.', 'forbidden');
    }
    const members = await t
      .select({ tenantId: communityMembers.tenantId })
      .from(communityMembers)
      .where(eq(communityMembers.communityId, community.id));
    const roleRows = await t.select({ id: roles.id }).from(roles).where(eq(roles.communityId, community.id));
    const roleIds = roleRows.map((r) => r.id);
    const clientIds = await takeRolesFromClients(t, actor, roleIds);
    clientsChangedAfterCommit(afterCommit, clientIds);
    const users = roleIds.length
      ? await t.delete(userRoles).where(inArray(userRoles.roleId, roleIds)).returning({ userId: userRoles.userId })
      : [];
    const userCount = new Set(users.map((u) => u.userId)).size;
    // Cascades to its roles and memberships.
    await t.delete(communities).where(eq(communities.id, community.id));
    for (const m of members) {
      await recordAudit(t, { ...actor, tenantId: m.tenantId }, {
        action: 'community.removed',
        targetType: 'community',
        targetId: community.id,
        details: {
          name: community.name,
          ...(m.tenantId === actor.tenantId ? { clientCount: clientIds.length, userCount } : { byAdministrativeTenant: true }),
        },
      });
    }
    return ok({ name: community.name, clientCount: clientIds.length, userCount });
  });
}
