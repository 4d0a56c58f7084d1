import { sql } from 'drizzle-orm';
import { boolean, check, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';

/** The tenant's credential policy (Security > Settings). No row: no limit, Never Expires allowed. */
export const tenantSettings = pgTable(
  'tenant_settings',
  {
    tenantId: uuid('tenant_id')
      .primaryKey()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    // null: no limit.
    maxSecretLifetimeDays: integer('max_secret_lifetime_days'),
    allowNeverExpires: boolean('allow_never_expires').notNull().default(true),
    // "Clients may only use keys and federated credentials (no secrets)": Add Secret and Create Secret are refused.
    secretlessClients: boolean('secretless_clients').notNull().default(false),
    // "Require multi-factor authentication for Tenant Administrators". On for new tenants (no row: on); migration
    // 0006 turns it off for tenants that existed before, so an upgrade does not change how their administrators sign in.
    requireAdminMfa: boolean('require_admin_mfa').notNull().default(true),
    // Console sessions: signed out after this many idle minutes, and after this many hours whatever happens.
    sessionIdleMinutes: integer('session_idle_minutes').notNull().default(30),
    sessionMaxHours: integer('session_max_hours').notNull().default(12),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [
    check('tenant_settings_lifetime_ck', sql`${t.maxSecretLifetimeDays} is null or ${t.maxSecretLifetimeDays} between 1 and 3650`),
    check('tenant_settings_idle_ck', sql`${t.sessionIdleMinutes} between 5 and 1440`),
    check('tenant_settings_max_hours_ck', sql`${t.sessionMaxHours} between 1 and 720`),
  ],
);
