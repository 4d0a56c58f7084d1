import { and, eq, isNotNull, isNull, lt, or } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import type { Db } from '../../db';
import { userTotp } from '../../db/schema';
import { openTotpSeed, sealTotpSeed } from './seal';

/**
 * Authenticator apps (TOTP, RFC 6238) with otpauth: SHA-1, 6 digits, 30-second steps, the parameters every
 * authenticator app supports. A code is accepted one step either side of now (clock drift), and each step at most
 * once: `last_used_step` only grows, in one conditional UPDATE, so two requests racing with the same code cannot
 * both pass, on any instance.
 */
export const TOTP_PERIOD_SECONDS = 30;
export const TOTP_DIGITS = 6;
/** Steps either side of the current one that are still accepted. */
export const TOTP_WINDOW = 1;
export const TOTP_ISSUER = 'Tenant Security Console';

/** 160 random bits (RFC 4226's recommended length), base32 as authenticator apps take it. */
export function generateTotpSeed(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(seed: string, label = 'user') {
  return new TOTP({
    issuer: TOTP_ISSUER,
    label,
    algorithm: 'SHA1',
    digits: TOTP_DIGITS,
    period: TOTP_PERIOD_SECONDS,
    secret: Secret.fromBase32(seed),
  });
}

/** The otpauth:// URI the enrolment QR code carries. */
export function totpUri(seed: string, accountName: string): string {
  return totpFor(seed, accountName).toString();
}

export { formatSeed } from './seed-format';

export function totpStep(now = Date.now()): number {
  return Math.floor(now / 1000 / TOTP_PERIOD_SECONDS);
}

/** For tests and tools: the code of a step. */
export function totpCode(seed: string, now = Date.now()): string {
  return totpFor(seed).generate({ timestamp: now });
}

/** The step a code belongs to (within the window around `now`), or null when it is not a current code. */
export function matchTotpStep(seed: string, code: string, now = Date.now()): number | null {
  if (!new RegExp(`^\\d{${TOTP_DIGITS}}$`).test(code)) return null;
  const delta = totpFor(seed).validate({ token: code, timestamp: now, window: TOTP_WINDOW });
  return delta === null ? null : totpStep(now) + delta;
}

/** Codes as people type them: spaces and dashes allowed. */
export function normalizeCode(raw: string): string {
  return raw.replace(/[\s-]/g, '');
}

export type TotpState = { confirmed: boolean; confirmedAt: Date | null } | null;

export async function getTotpState(db: Db, userId: string): Promise<TotpState> {
  const [row] = await db.select({ confirmedAt: userTotp.confirmedAt }).from(userTotp).where(eq(userTotp.userId, userId));
  return row ? { confirmed: row.confirmedAt !== null, confirmedAt: row.confirmedAt } : null;
}

/**
 * Start (or restart) enrolment: a new seed, stored encrypted and unconfirmed. Refused (null) when an app is already
 * confirmed: that one must be removed first, so a stolen session cannot silently replace the user's factor.
 */
export async function beginTotpEnrolment(db: Db, userId: string): Promise<string | null> {
  const seed = generateTotpSeed();
  const secretEncrypted = sealTotpSeed(seed, userId);
  const rows = await db
    .insert(userTotp)
    .values({ userId, secretEncrypted })
    .onConflictDoUpdate({
      target: userTotp.userId,
      set: { secretEncrypted, createdAt: new Date(), lastUsedStep: null },
      setWhere: isNull(userTotp.confirmedAt),
    })
    .returning({ userId: userTotp.userId });
  return rows.length ? seed : null;
}

/** Confirm a pending enrolment with a current code. False when there is none pending or the code is wrong. */
export async function confirmTotpEnrolment(db: Db, userId: string, code: string, now = Date.now()): Promise<boolean> {
  const [row] = await db.select().from(userTotp).where(and(eq(userTotp.userId, userId), isNull(userTotp.confirmedAt)));
  if (!row) return false;
  const step = matchTotpStep(openTotpSeed(row.secretEncrypted, userId), normalizeCode(code), now);
  if (step === null) return false;
  const updated = await db
    .update(userTotp)
    .set({ confirmedAt: new Date(now), lastUsedStep: step })
    // The same pending seed: a restarted enrolment in another tab makes this code stale.
    .where(and(eq(userTotp.userId, userId), isNull(userTotp.confirmedAt), eq(userTotp.secretEncrypted, row.secretEncrypted)))
    .returning({ userId: userTotp.userId });
  return updated.length === 1;
}

/**
 * Check a code of the user's confirmed app, and spend its step: true at most once per step, however many requests
 * race with it (the UPDATE's WHERE decides, in the database).
 */
export async function verifyTotp(db: Db, userId: string, code: string, now = Date.now()): Promise<boolean> {
  const [row] = await db.select().from(userTotp).where(and(eq(userTotp.userId, userId), isNotNull(userTotp.confirmedAt)));
  if (!row) return false;
  const step = matchTotpStep(openTotpSeed(row.secretEncrypted, userId), normalizeCode(code), now);
  if (step === null) return false;
  const updated = await db
    .update(userTotp)
    .set({ lastUsedStep: step })
    .where(
      and(
        eq(userTotp.userId, userId),
        isNotNull(userTotp.confirmedAt),
        or(isNull(userTotp.lastUsedStep), lt(userTotp.lastUsedStep, step)),
      ),
    )
    .returning({ userId: userTotp.userId });
  return updated.length === 1;
}

export async function removeTotp(db: Db, userId: string): Promise<boolean> {
  const rows = await db.delete(userTotp).where(eq(userTotp.userId, userId)).returning({ confirmedAt: userTotp.confirmedAt });
  return rows.some((r) => r.confirmedAt !== null);
}

/** Forget enrolments started but never confirmed (the seed was shown and not used). */
export async function discardPendingTotp(db: Db, userId: string) {
  await db.delete(userTotp).where(and(eq(userTotp.userId, userId), isNull(userTotp.confirmedAt)));
}

