import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { communities, communityMembers, roles } from '../db/schema';
import { BUILTIN_ORDER, roleDescription } from './builtin';

export type RoleOption = {
  id: string;
  name: string;
  description: string;
  roleType: string;
  scope: 'tenant' | 'community';
  communityName?: string;
};

/** The tenant's roles: built-in first (in the product's order), then custom by name. */
export async function listTenantRoles(db: Db, tenantId: string): Promise<RoleOption[]> {
  const rows = await db
    .select({ id: roles.id, name: roles.name, description: roles.description, roleType: roles.roleType })
    .from(roles)
    .where(eq(roles.tenantId, tenantId))
    .orderBy(asc(sql`lower(${roles.name})`));
  return rows
    .map((r) => ({ ...r, description: roleDescription(r.roleType, r.description), scope: 'tenant' as const }))
    .sort((a, b) => (BUILTIN_ORDER[a.roleType] ?? 99) - (BUILTIN_ORDER[b.roleType] ?? 99));
}

/** Roles of the communities the tenant belongs to (what the Community Roles tab lists). */
export async function listCommunityRoles(db: Db, tenantId: string): Promise<RoleOption[]> {
  const rows = await db
    .select({
      id: roles.id,
      name: roles.name,
      description: roles.description,
      roleType: roles.roleType,
      communityName: communities.name,
    })
    .from(roles)
    .innerJoin(communities, eq(communities.id, roles.communityId))
    .innerJoin(communityMembers, eq(communityMembers.communityId, communities.id))
    .where(eq(communityMembers.tenantId, tenantId))
    .orderBy(asc(communities.name), asc(roles.name));
  return rows.map((r) => ({ ...r, scope: 'community' as const }));
}

/**
 * Of `roleIds`, the ones this tenant may assign: its own roles and its communities' roles.
 * Callers compare lengths: an unknown id and another tenant's id are refused alike.
 */
export async function assignableRoleIds(db: Db, tenantId: string, roleIds: string[]): Promise<Set<string>> {
  if (roleIds.length === 0) return new Set();
  const own = await db
    .select({ id: roles.id })
    .from(roles)
    .where(and(inArray(roles.id, roleIds), eq(roles.tenantId, tenantId)));
  const viaCommunity = await db
    .select({ id: roles.id })
    .from(roles)
    .innerJoin(communityMembers, eq(communityMembers.communityId, roles.communityId))
    .where(and(inArray(roles.id, roleIds), eq(communityMembers.tenantId, tenantId)));
  return new Set([...own, ...viaCommunity].map((r) => r.id));
}

/**
 * The roles a client holds when `chosen` are picked for it: Tenant Member always (every client of the tenant is one,
 * and it cannot be taken away: a form that leaves it out keeps it), then the chosen ones, each once.
 */
export async function clientRoleIds(db: Db, tenantId: string, chosen: string[]): Promise<string[]> {
  const [member] = await db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.roleType, 'tenant_member')));
  return [...new Set([...(member ? [member.id] : []), ...chosen])];
}
