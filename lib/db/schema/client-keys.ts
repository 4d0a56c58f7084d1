import { sql } from 'drizzle-orm';
import { boolean, check, index, integer, jsonb, pgTable, primaryKey, text, timestamp, unique, uuid } from 'drizzle-orm/pg-core';
import { clients } from './clients';

/**
 * A client's public-key credentials (private_key_jwt, RFC 7523): a public key pasted as PEM or JWK, or a JWKS URL
 * the keys are fetched from. Only public keys are ever stored; a private key is refused before anything is written.
 */
export const clientKeys = pgTable(
  'client_keys',
  {
    id: integer('id').primaryKey().generatedAlwaysAsIdentity(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    // 'pem' | 'jwk': public_jwk holds the key. 'jwks_url': the keys are fetched from jwks_url.
    source: text('source').notNull(),
    kid: text('kid'),
    alg: text('alg'),
    // false for a key registered without an algorithm (a PEM, or a JWK without "alg"): an RSA key then verifies
    // RS256 and PS256 assertions alike; `alg` is its default. true: assertions must use exactly `alg`.
    algExact: boolean('alg_exact').notNull().default(true),
    // RFC 7638 SHA-256 thumbprint (base64url) of the public key; unique per client.
    thumbprint: text('thumbprint'),
    publicJwk: jsonb('public_jwk').$type<Record<string, unknown>>(),
    jwksUrl: text('jwks_url'),
    description: text('description').notNull().default(''),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    createdBy: text('created_by').notNull(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
    // The algorithm of the last assertion this key verified (RS256 or PS256 for a key without an exact algorithm).
    lastUsedAlg: text('last_used_alg'),
  },
  (t) => [
    index('client_keys_client_idx').on(t.clientId),
    unique('client_keys_client_thumbprint_uq').on(t.clientId, t.thumbprint),
    unique('client_keys_client_jwks_url_uq').on(t.clientId, t.jwksUrl),
    check(
      'client_keys_source_ck',
      sql`(${t.source} in ('pem', 'jwk') and ${t.publicJwk} is not null and ${t.thumbprint} is not null and ${t.alg} is not null) or (${t.source} = 'jwks_url' and ${t.jwksUrl} is not null)`,
    ),
  ],
);

/**
 * jti values of accepted client assertions, until the assertion expires: the primary key makes a replay fail on
 * every instance sharing the database. Rows past expires_at are deleted by the token service.
 */
export const clientAssertionJtis = pgTable(
  'client_assertion_jtis',
  {
    clientId: uuid('client_id').notNull(),
    jti: text('jti').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [primaryKey({ columns: [t.clientId, t.jti] }), index('client_assertion_jtis_expires_idx').on(t.expiresAt)],
);

/** Access tokens revoked before their expiry (RFC 7009), by jti; rows past expires_at are deleted. */
export const revokedTokens = pgTable(
  'revoked_tokens',
  {
    jti: text('jti').primaryKey(),
    tenantId: uuid('tenant_id').notNull(),
    clientId: uuid('client_id').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    revokedAt: timestamp('revoked_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('revoked_tokens_expires_idx').on(t.expiresAt)],
);
