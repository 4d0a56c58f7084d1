import { sql } from 'drizzle-orm';
import {
  boolean,
  check,
  index,
  integer,
  pgEnum,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uuid,
} from 'drizzle-orm/pg-core';
import { roles } from './roles';
import { tenants } from './tenants';

export const clientType = pgEnum('client_type', ['client_credentials', 'authorization_code', 'hybrid', 'device_code']);

export const clients = pgTable(
  'clients',
  {
    // The Client Id handed to the administrator: a GUID, generated unless supplied.
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    clientType: clientType('client_type').notNull().default('client_credentials'),
    name: text('name').notNull(),
    tokenLifetime: integer('token_lifetime').notNull().default(3600),
    // Authorization Code and Hybrid clients (lib/oidc): exact-match redirect URIs, RP-initiated logout targets,
    // browser origins allowed to call the token and userinfo endpoints, and how long a refresh token lives.
    redirectUris: text('redirect_uris').array().notNull().default(sql`'{}'::text[]`),
    postLogoutRedirectUris: text('post_logout_redirect_uris').array().notNull().default(sql`'{}'::text[]`),
    allowedCorsOrigins: text('allowed_cors_origins').array().notNull().default(sql`'{}'::text[]`),
    refreshTokenLifetime: integer('refresh_token_lifetime').notNull().default(2592000),
    enabled: boolean('enabled').notNull().default(true),
    // Require DPoP (RFC 9449): the token endpoint refuses a request of this client without a DPoP proof.
    requireDpop: boolean('require_dpop').notNull().default(false),
    // Bumped on every change: an edit based on an older version is refused as a conflict.
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [
    check('clients_token_lifetime_ck', sql`${t.tokenLifetime} between 60 and 3600`),
    check('clients_name_len_ck', sql`char_length(${t.name}) between 1 and 100`),
    check('clients_refresh_token_lifetime_ck', sql`${t.refreshTokenLifetime} between 300 and 7776000`),
    // The list: a tenant's clients of one type, newest first (keyset-friendly).
    index('clients_tenant_type_created_idx').on(t.tenantId, t.clientType, t.createdAt.desc(), t.id),
    index('clients_tenant_name_idx').on(t.tenantId, sql`lower(${t.name})`),
    // Search by name (contains, any case) at 50,000 clients: trigrams answer `lower(name) like '%text%'` from the index.
    // A small pending list (64 kB): bulk inserts stay batched, and the list never grows large enough for the
    // planner to price the index as a scan (PGlite has no autovacuum to empty it).
    index('clients_name_trgm_idx').using('gin', sql`lower(${t.name}) gin_trgm_ops`).with({ gin_pending_list_limit: 64 }),
  ],
);

export const clientRoles = pgTable(
  'client_roles',
  {
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    roleId: uuid('role_id')
      .notNull()
      .references(() => roles.id, { onDelete: 'cascade' }),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.roleId] }), index('client_roles_role_idx').on(t.roleId)],
);
