import { sql } from 'drizzle-orm';
import { boolean, index, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';

export const users = pgTable(
  'users',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    // A user belongs to exactly one tenant; deleting the tenant deletes its users.
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    email: text('email').notNull(),
    name: text('name').notNull(),
    // scrypt: "scrypt$N$r$p$salt$hash" (see lib/auth/password.ts)
    passwordHash: text('password_hash').notNull(),
    // An initial or reset password (shown to an administrator, or printed by admin:reset-password): the user must
    // choose their own at the next sign-in before anything else.
    mustChangePassword: boolean('must_change_password').notNull().default(false),
    passwordChangedAt: timestamp('password_changed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    // Sign-in is by email alone, so an email is unique across tenants, case-insensitively.
    uniqueIndex('users_email_lower_uq').on(sql`lower(${t.email})`),
    index('users_tenant_idx').on(t.tenantId),
  ],
);
