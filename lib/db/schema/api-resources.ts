import { sql } from 'drizzle-orm';
import { check, index, integer, pgTable, primaryKey, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { clients } from './clients';
import { tenants } from './tenants';

/**
 * APIs of a tenant (Security > APIs, lib/apis): resource servers that tokens can be asked for by their identifier
 * (RFC 8707 resource indicators). A token for an API has `aud` = its identifier and a `scope` limited to what the
 * client was granted of the API's scopes.
 */
export const apiResources = pgTable(
  'api_resources',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // The absolute URI clients send as `resource` and resource servers expect in `aud`.
    identifier: text('identifier').notNull(),
    scopes: text('scopes').array().notNull().default(sql`'{}'::text[]`),
    version: integer('version').notNull().default(1),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [
    // Unique across tenants: every tenant's tokens come from the same issuer and keys, so two APIs with one identifier
    // would let one tenant's client get tokens (aud = that identifier) another tenant's resource server accepts.
    uniqueIndex('api_resources_identifier_uq').on(t.identifier),
    index('api_resources_tenant_idx').on(t.tenantId),
    check('api_resources_name_len_ck', sql`char_length(${t.name}) between 1 and 100`),
  ],
);

/**
 * Which APIs a client may get tokens for, and with which of their scopes (`scopes` null: all of the API's scopes,
 * including ones added later).
 */
export const clientApiAccess = pgTable(
  'client_api_access',
  {
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    apiId: uuid('api_id')
      .notNull()
      .references(() => apiResources.id, { onDelete: 'cascade' }),
    scopes: text('scopes').array(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.apiId] }), index('client_api_access_api_idx').on(t.apiId)],
);
