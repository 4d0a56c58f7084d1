import { check, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { sql } from 'drizzle-orm';
import { clients } from './clients';
import { users } from './users';

/**
 * Authorization codes (lib/oidc/codes.ts): single use, 60 s, bound to the client, the redirect URI and the PKCE
 * challenge. Only the SHA-256 of the code is stored; the code itself exists only in the redirect to the client.
 */
export const authorizationCodes = pgTable(
  'authorization_codes',
  {
    codeHash: text('code_hash').primaryKey(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    redirectUri: text('redirect_uri').notNull(),
    codeChallenge: text('code_challenge').notNull(),
    scope: text('scope').notNull(),
    nonce: text('nonce'),
    authTime: timestamp('auth_time', { withTimezone: true }).notNull(),
    // The refresh-token family the exchange started: a replayed code revokes it (RFC 6749 4.1.2).
    familyId: uuid('family_id').notNull().defaultRandom(),
    // RFC 9449 section 10: the authorization request's dpop_jkt; the code is then exchanged only with a DPoP proof
    // signed by that key.
    dpopJkt: text('dpop_jkt'),
    // RFC 8707: the API (lib/apis) the tokens are for; null: the default audience.
    resource: text('resource'),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    consumedAt: timestamp('consumed_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('authorization_codes_expires_idx').on(t.expiresAt)],
);

/**
 * Refresh tokens, stored as SHA-256. Each use rotates: the presented token is marked used and a new one of the same
 * family is issued. Presenting a used token again revokes the whole family (a stolen token was replayed).
 */
export const refreshTokens = pgTable(
  'refresh_tokens',
  {
    tokenHash: text('token_hash').primaryKey(),
    familyId: uuid('family_id').notNull(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    authTime: timestamp('auth_time', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    revokedAt: timestamp('revoked_at', { withTimezone: true }),
    // DPoP (RFC 9449 section 5): a public client's refresh token is bound to the key of the proof it was issued
    // with (RFC 7638 thumbprint); a refresh must then present a proof signed by that key.
    dpopJkt: text('dpop_jkt'),
    // RFC 8707: the API the family's access tokens are for (from the authorization request); null: the default.
    resource: text('resource'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index('refresh_tokens_family_idx').on(t.familyId), index('refresh_tokens_client_idx').on(t.clientId)],
);

/**
 * Device authorization requests (RFC 8628, lib/oidc/device.ts): a Device Code client asked for a device code and a
 * user code; a signed-in user of the client's tenant enters the user code at /device and allows or denies it; the
 * device polls the token endpoint with the device code. Both codes are stored as SHA-256 only. `status`: pending,
 * approved (user and auth_time set), denied, or consumed (its tokens were issued: single use). `interval` is the
 * polling interval in seconds, raised by 5 on every slow_down (RFC 8628 3.5).
 */
export const deviceAuthorizations = pgTable(
  'device_authorizations',
  {
    deviceCodeHash: text('device_code_hash').primaryKey(),
    userCodeHash: text('user_code_hash').notNull().unique(),
    clientId: uuid('client_id')
      .notNull()
      .references(() => clients.id, { onDelete: 'cascade' }),
    scope: text('scope').notNull(),
    status: text('status').notNull().default('pending'),
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    authTime: timestamp('auth_time', { withTimezone: true }),
    interval: integer('interval').notNull(),
    // RFC 8707: the API the device's tokens are for; null: the default audience.
    resource: text('resource'),
    lastPolledAt: timestamp('last_polled_at', { withTimezone: true }),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index('device_authorizations_expires_idx').on(t.expiresAt),
    // The pending requests of a client (the flood cap of lib/oidc/device.ts) and the cascade when it is removed.
    index('device_authorizations_client_idx').on(t.clientId, t.expiresAt),
    check('device_authorizations_status_ck', sql`${t.status} in ('pending', 'approved', 'denied', 'consumed')`),
  ],
);
