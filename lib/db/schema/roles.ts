import { sql } from 'drizzle-orm';
import { check, index, pgEnum, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';
import { users } from './users';

export const roleScope = pgEnum('role_scope', ['tenant', 'community']);
export const roleType = pgEnum('role_type', [
  'tenant_administrator',
  'tenant_contributor',
  'tenant_member',
  'tenant_viewer',
  'tenant_data_steward',
  'community_member',
  'custom',
]);

export const communities = pgTable(
  'communities',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    // The tenant that administers the community; it cannot be deleted while it administers one.
    adminTenantId: uuid('admin_tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'restrict' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  // Communities are shared between tenants, so a name is unique across all of them, case-insensitively.
  (t) => [uniqueIndex('communities_name_lower_uq').on(sql`lower(${t.name})`)],
);

export const communityMembers = pgTable(
  'community_members',
  {
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.communityId, t.tenantId] }), index('community_members_tenant_idx').on(t.tenantId)],
);

export const roles = pgTable(
  'roles',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    scope: roleScope('scope').notNull(),
    tenantId: uuid('tenant_id').references(() => tenants.id, { onDelete: 'cascade' }),
    communityId: uuid('community_id').references(() => communities.id, { onDelete: 'cascade' }),
    roleType: roleType('role_type').notNull(),
    name: text('name').notNull(),
    description: text('description').notNull().default(''),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check(
      'roles_scope_owner_ck',
      sql`(${t.scope} = 'tenant' and ${t.tenantId} is not null and ${t.communityId} is null) or (${t.scope} = 'community' and ${t.communityId} is not null and ${t.tenantId} is null)`,
    ),
    uniqueIndex('roles_tenant_name_uq').on(t.tenantId, sql`lower(${t.name})`),
    uniqueIndex('roles_community_name_uq').on(t.communityId, sql`lower(${t.name})`),
    // One role of each built-in type per tenant.
    uniqueIndex('roles_tenant_builtin_uq').on(t.tenantId, t.roleType).where(sql`${t.roleType} <> 'custom' and ${t.tenantId} is not null`),
  ],
);

export const userRoles = pgTable(
  'user_roles',
  {
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.roleId] }), index('user_roles_role_idx').on(t.roleId)],
);
