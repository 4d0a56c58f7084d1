import { index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { clients } from './clients';

export const clientSecrets = pgTable(
  'client_secrets',
  {
    // An integer id: the product's API addresses secrets by number.
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    // Hex SHA-256 (HMAC with the optional pepper) of the secret; the plaintext is never stored.
    secretHash: text('secret_hash').notNull().unique(),
    // The readable prefix and the first characters, enough for a person to tell secrets apart.
    displayHint: text('display_hint').notNull(),
    description: text('description').notNull().default(''),
    // null: never expires.
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    // Revoked (a leaked-secret report, lib/notifications/secret-report.ts): refused at once, kept so a second report
    // of the same string is still answered true_positive.
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
  },
  (t) => [index('client_secrets_client_idx').on(t.clientId)],
);
