import { jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

export const signingKeys = pgTable('signing_keys', {
  kid: text('kid').primaryKey(),
  alg: text('alg').notNull(),
  publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>().notNull(),
  // AES-256-GCM of the private JWK, key derived from AUTH_SECRET with HKDF (lib/tokens/keys.ts).
  privateKeyEncrypted: text('private_key_encrypted').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  // Published in the JWKS from creation; used for signing only from this time on.
  activatesAt: timestamp('activates_at', { withTimezone: true }).notNull().defaultNow(),
  retiredAt: timestamp('retired_at', { withTimezone: true }),
});
