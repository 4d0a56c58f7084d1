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
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
    updatedBy: text('updated_by').notNull(),
  },
  (t) => [check('tenant_settings_lifetime_ck', sql`${t.maxSecretLifetimeDays} is null or ${t.maxSecretLifetimeDays} between 1 and 3650`)],
);
