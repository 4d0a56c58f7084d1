import { sql } from 'drizzle-orm';
import { bigint, boolean, check, index, integer, jsonb, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { tenants } from './tenants';
import { users } from './users';

/**
 * Console sign-in sessions (lib/auth/sessions.ts). The session cookie (next-auth's encrypted JWT) carries only the
 * session id; every request checks this row (cached per instance, invalidated over NOTIFY tsc_session_ended, see
 * migration 0006). Signing out deletes the row; an unknown, expired or idle row is signed out on every instance.
 */
export const sessions = pgTable(
  'sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    tenantId: uuid('tenant_id')
      .notNull()
      .references(() => tenants.id, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    // Coalesced: written at most about once a minute per session.
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull().defaultNow(),
    // Absolute lifetime: the session ends then, however active.
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    ip: text('ip'),
    userAgent: text('user_agent'),
    // RFC 8176 authentication method references used at sign-in: "pwd", "otp", "hwk"/"swk" (passkey), "mfa", "fed".
    amr: jsonb('amr').$type<string[]>().notNull().default([]),
  },
  (t) => [index('sessions_user_idx').on(t.userId), index('sessions_expires_idx').on(t.expiresAt)],
);

/**
 * Sign-in throttle shared by every instance (lib/auth/throttle.ts). One row per key ("email:<lower>" or
 * "ip:<address>"): failures in the current window, and a lock that grows each time the budget is spent again.
 */
export const signInThrottle = pgTable('sign_in_throttle', {
  key: text('key').primaryKey(),
  failures: integer('failures').notNull().default(0),
  windowStart: timestamp('window_start', { withTimezone: true }).notNull().defaultNow(),
  // How many times the budget was spent (drives the growing lock: 1 min, 5 min, 15 min ...).
  lockCount: integer('lock_count').notNull().default(0),
  lockedUntil: timestamp('locked_until', { withTimezone: true }),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * A user's authenticator app (TOTP, RFC 6238). The seed is encrypted at rest (lib/tokens/key-encryption.ts with
 * AUTH_SECRET). confirmed_at null: enrolment started but not yet confirmed with a code (not used at sign-in).
 * last_used_step: the highest 30-second step accepted, so a code is single-use within its window.
 */
export const userTotp = pgTable('user_totp', {
  userId: uuid('user_id')
    .primaryKey()
    .references(() => users.id, { onDelete: 'cascade' }),
  secretEncrypted: text('secret_encrypted').notNull(),
  confirmedAt: timestamp('confirmed_at', { withTimezone: true }),
  lastUsedStep: bigint('last_used_step', { mode: 'number' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Passkeys (WebAuthn credentials), several per user, named by the user. */
export const userPasskeys = pgTable(
  'user_passkeys',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    // base64url credential id, unique across the installation (a passkey sign-in looks the user up by it).
    credentialId: text('credential_id').notNull(),
    // base64url COSE public key.
    publicKey: text('public_key').notNull(),
    counter: bigint('counter', { mode: 'number' }).notNull().default(0),
    transports: jsonb('transports').$type<string[]>().notNull().default([]),
    deviceType: text('device_type'),
    backedUp: boolean('backed_up').notNull().default(false),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    lastUsedAt: timestamp('last_used_at', { withTimezone: true }),
  },
  (t) => [uniqueIndex('user_passkeys_credential_uq').on(t.credentialId), index('user_passkeys_user_idx').on(t.userId)],
);

/** One-time recovery codes: 10 per set, stored hashed, each usable once. A new set replaces the old one. */
export const userRecoveryCodes = pgTable(
  'user_recovery_codes',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    userId: uuid('user_id')
      .notNull()
      .references(() => users.id, { onDelete: 'cascade' }),
    codeHash: text('code_hash').notNull(),
    usedAt: timestamp('used_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex('user_recovery_codes_hash_uq').on(t.userId, t.codeHash)],
);

/**
 * Single-use WebAuthn challenges (registration and sign-in), shared by every instance. Only the SHA-256 of the
 * state id is stored; the id lives in a short-lived HttpOnly cookie or in the page.
 */
export const webauthnChallenges = pgTable(
  'webauthn_challenges',
  {
    idHash: text('id_hash').primaryKey(),
    // null for a passkey-only sign-in (the user is not known until the assertion names its credential).
    userId: uuid('user_id').references(() => users.id, { onDelete: 'cascade' }),
    purpose: text('purpose').notNull(),
    challenge: text('challenge').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (t) => [
    check('webauthn_challenges_purpose_ck', sql`${t.purpose} in ('register', 'authenticate')`),
    index('webauthn_challenges_expires_idx').on(t.expiresAt),
  ],
);
