import { randomUUID } from 'node:crypto';
import type { SessionUser } from '../auth/users';
import type { Db } from '../db';
import { communities, communityMembers, roles } from '../db/schema';
import { clientAdminActions } from './admin-actions';

/** The console's client actions as a given user would call them (null: signed out). Tests only. */
export function actionsAs(user: SessionUser | null) {
  return clientAdminActions(async () => user);
}

export const inDays = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();

export function newClientInput(overrides: Record<string, unknown> = {}) {
  return {
    clientId: randomUUID(),
    name: `Client ${randomUUID().slice(0, 8)}`,
    tokenLifetime: '',
    roleIds: [] as string[],
    description: 'first secret',
    neverExpires: false,
    expiresAt: inDays(365),
    ...overrides,
  };
}

/** A community that `tenantId` belongs to (administered by it), with its "<name> Community Member" role. */
export async function createTestCommunity(db: Db, tenantId: string) {
  const name = `Community ${randomUUID().slice(0, 8)}`;
  const [community] = await db.insert(communities).values({ name, adminTenantId: tenantId }).returning();
  await db.insert(communityMembers).values({ communityId: community.id, tenantId });
  const [role] = await db
    .insert(roles)
    .values({ scope: 'community', communityId: community.id, roleType: 'community_member', name: `${name} Community Member` })
    .returning();
  return { community, role };
}
