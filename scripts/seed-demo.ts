/**
 * `npm run db:seed-demo`: demo data, kept apart from the product (a normal first start creates only the Default
 * tenant and its administrator). Adds to the first tenant a custom role, a community it administers, two users,
 * and a partner tenant that is also a member of the community. Safe to run again: what exists is left alone.
 * New users' passwords are generated and printed once. Stop the console first when it uses the same PGlite folder
 * (one process per folder); with DATABASE_URL it can run beside it.
 */
import { and, asc, eq, sql } from 'drizzle-orm';
import { getDbHandle, type Db } from '../lib/db';
import { migrateDatabase } from '../lib/db/migrate';
import { communities, communityMembers, roles, tenants, userRoles, users } from '../lib/db/schema';
import type { Actor } from '../lib/actions/admin-action';
import { findUserByEmail } from '../lib/auth/users';
import { bootstrap, createTenant } from '../lib/tenants/tenants';
import { createRole } from '../lib/roles/roles';
import { createCommunity } from '../lib/communities/communities';
import { inviteUser } from '../lib/users/users';

const ROLE_NAME = 'Data Engineers';
const COMMUNITY_NAME = 'Plant Data';
const PARTNER_TENANT = 'Demo Partner';

const log = (line = '') => console.log(`  ${line}`);

async function tenantAdminId(db: Db, tenantId: string) {
  const [row] = await db
    .select({ id: users.id })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(eq(users.tenantId, tenantId), eq(roles.roleType, 'tenant_administrator')))
    .orderBy(asc(users.createdAt))
    .limit(1);
  return row?.id;
}

/** Changes are audited as made by this script, not by a person. */
async function scriptActor(db: Db, tenantId: string): Promise<Actor> {
  return { tenantId, label: 'db:seed-demo', type: 'user', id: (await tenantAdminId(db, tenantId)) ?? tenantId, via: 'console' };
}

async function customRoleId(db: Db, tenantId: string, name: string) {
  const [row] = await db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), sql`lower(${roles.name}) = lower(${name})`))
    .limit(1);
  return row?.id;
}

async function builtinRoleId(db: Db, tenantId: string, roleType: 'tenant_administrator' | 'tenant_contributor' | 'tenant_viewer') {
  const [row] = await db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, tenantId), eq(roles.roleType, roleType)));
  return row.id;
}

async function ensureUser(db: Db, actor: Actor, email: string, name: string, roleIds: string[]) {
  if (await findUserByEmail(db, email)) {
    log(`user ${email}: exists, left alone`);
    return;
  }
  const r = await inviteUser(db, actor, { email, name, roleIds });
  if (!r.ok) throw new Error(`could not create ${email}: ${JSON.stringify(r)}`);
  log(`user ${email}: created, password ${r.data.initialPassword}   (shown once)`);
}

async function main() {
  const handle = await getDbHandle();
  await migrateDatabase(handle, async () => {
    await bootstrap(handle.db);
  });
  const db = handle.db;
  const [home] = await db.select().from(tenants).orderBy(asc(tenants.createdAt)).limit(1);
  log(`Demo data for tenant "${home.name}"`);
  const actor = await scriptActor(db, home.id);

  let dataEngineers = await customRoleId(db, home.id, ROLE_NAME);
  if (!dataEngineers) {
    const r = await createRole(db, actor, { name: ROLE_NAME, description: 'Build and run the data pipelines.' });
    if (!r.ok) throw new Error(`could not create the role: ${JSON.stringify(r)}`);
    dataEngineers = r.data.id;
    log(`role "${ROLE_NAME}": created`);
  } else log(`role "${ROLE_NAME}": exists`);

  let [community] = await db.select().from(communities).where(sql`lower(${communities.name}) = lower(${COMMUNITY_NAME})`);
  if (!community) {
    const r = await createCommunity(db, actor, { name: COMMUNITY_NAME, description: 'Shared demo data between tenants.' });
    if (!r.ok) throw new Error(`could not create the community: ${JSON.stringify(r)}`);
    [community] = await db.select().from(communities).where(eq(communities.id, r.data.id));
    log(`community "${COMMUNITY_NAME}": created, with the role "${r.data.roleName}"`);
  } else log(`community "${COMMUNITY_NAME}": exists`);
  const [communityRole] = await db.select({ id: roles.id }).from(roles).where(eq(roles.communityId, community.id)).limit(1);

  await ensureUser(db, actor, 'casey.contributor@example.com', 'Casey Contributor', [
    await builtinRoleId(db, home.id, 'tenant_contributor'),
    dataEngineers,
  ]);
  await ensureUser(db, actor, 'vic.viewer@example.com', 'Vic Viewer', [
    await builtinRoleId(db, home.id, 'tenant_viewer'),
    communityRole.id,
  ]);

  // A second tenant in the community: joining has no console page, so it is written here directly.
  let [partner] = await db.select().from(tenants).where(eq(tenants.name, PARTNER_TENANT));
  if (!partner) {
    partner = (await createTenant(db, PARTNER_TENANT)).tenant;
    log(`tenant "${PARTNER_TENANT}": created`);
  }
  await db.insert(communityMembers).values({ communityId: community.id, tenantId: partner.id }).onConflictDoNothing();
  await ensureUser(db, await scriptActor(db, partner.id), 'pat.partner@example.com', 'Pat Partner', [
    await builtinRoleId(db, partner.id, 'tenant_administrator'),
    communityRole.id,
  ]);
  log('Done.');
  await handle.close();
}

await main();
