import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { signInThrottle } from '../db/schema';
import { metrics } from '../metrics';

/**
 * The console's sign-in throttle, shared by every instance through PostgreSQL (table sign_in_throttle).
 *
 * Each attempt is counted BEFORE the password (or second factor) is checked, in one atomic statement per key, so
 * parallel requests cannot slip past the budget: of 150 simultaneous guesses at one account, at most the budget reach
 * the password check. Spending the budget locks the key for a time that grows with each lock (1 min, 5 min, 15 min,
 * then 15 min each time) and falls back to the first step after a quiet day. A successful sign-in clears the account's
 * count; an address only gets that one attempt back, so a valid account of one's own cannot reset the address.
 *
 * A stranger can lock an account for minutes, never for good; its owner can still sign in with a passkey (no password
 * is involved), and a Tenant Administrator sees and clears the lock on Security > Users.
 */
export type ThrottleVerdict = { allowed: true } | { allowed: false; retryAfterSeconds: number };

type KeyKind = 'email' | 'ip' | 'mfa' | 'device' | 'devreq';

/** Attempts allowed per window for each kind of key. */
export const SIGN_IN_BUDGET: Record<KeyKind, number> = { email: 10, ip: 100, mfa: 10, device: 10, devreq: 30 };
export const WINDOW_SECONDS = 15 * 60;
export const LOCK_STEPS_SECONDS = [60, 5 * 60, 15 * 60];
const QUIET_RESET_SECONDS = 24 * 60 * 60;

const MAX_KEY_LENGTH = 400;

function kindOf(key: string): KeyKind {
  const k = key.slice(0, key.indexOf(':'));
  return k === 'ip' || k === 'mfa' || k === 'device' || k === 'devreq' ? k : 'email';
}

export function emailKey(email: string): string {
  return `email:${email.trim().toLowerCase()}`.slice(0, MAX_KEY_LENGTH);
}

/** The keys a password attempt counts against: the account (by email) and the caller's address. */
export function signInKeys(email: string, address: string): string[] {
  return [emailKey(email), `ip:${address}`.slice(0, MAX_KEY_LENGTH)];
}

/** The key a second-factor attempt (TOTP or recovery code) counts against. */
export function secondFactorKey(userId: string): string {
  return `mfa:${userId}`;
}

/** The key a user code typed at /device counts against (lib/oidc/device.ts): the signed-in user. */
export function deviceCodeKey(userId: string): string {
  return `device:${userId}`;
}

/**
 * The key a device authorization request counts against (POST /connect/deviceauthorization, lib/oidc/grants.ts): the
 * Device Code client and the caller's address. The client id is public, so without it anyone could hold the client's
 * 500 live requests and lock its real devices out; 30 per 15 minutes is more than devices behind one address ask for.
 */
export function deviceRequestKey(clientId: string, address: string): string {
  return `devreq:${clientId}:${address}`;
}

export function lockSeconds(lockCount: number): number {
  return LOCK_STEPS_SECONDS[Math.min(lockCount, LOCK_STEPS_SECONDS.length - 1)];
}

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

async function takeOne(db: Db, key: string, now: Date): Promise<number> {
  const budget = SIGN_IN_BUDGET[kindOf(key)];
  const at = now.toISOString();
  // One statement: a lock in force leaves the row as it is; an old window starts again; otherwise count one more.
  const [row] = rowsOf<{ failures: number; locked_until: string | Date | null; lock_count: number }>(
    await db.execute(sql`
      insert into sign_in_throttle as t (key, failures, window_start, lock_count, locked_until, updated_at)
      values (${key}, 1, ${at}::timestamptz, 0, null, ${at}::timestamptz)
      on conflict (key) do update set
        failures = case
          when t.locked_until > ${at}::timestamptz then t.failures
          when t.window_start <= ${at}::timestamptz - make_interval(secs => ${WINDOW_SECONDS}) then 1
          else t.failures + 1 end,
        window_start = case
          when t.locked_until > ${at}::timestamptz then t.window_start
          when t.window_start <= ${at}::timestamptz - make_interval(secs => ${WINDOW_SECONDS}) then ${at}::timestamptz
          else t.window_start end,
        lock_count = case
          when (t.locked_until is null or t.locked_until <= ${at}::timestamptz)
            and t.updated_at <= ${at}::timestamptz - make_interval(secs => ${QUIET_RESET_SECONDS}) then 0
          else t.lock_count end,
        updated_at = ${at}::timestamptz
      returning failures, locked_until, lock_count`),
  );
  const lockedUntil = row.locked_until ? new Date(row.locked_until) : null;
  if (lockedUntil && lockedUntil > now) return Math.max(1, Math.ceil((lockedUntil.getTime() - now.getTime()) / 1000));
  if (row.failures <= budget) return 0;
  // Budget spent: lock. Only the request that sees the count still over budget sets it (the row is locked by the
  // UPDATE, so two requests cannot both step lock_count); the others are refused all the same.
  const [locked] = rowsOf<{ locked_until: string | Date }>(
    await db.execute(sql`
      update sign_in_throttle set
        locked_until = ${at}::timestamptz + make_interval(secs => (${sql.raw(`array[${LOCK_STEPS_SECONDS.join(',')}]`)})[least(lock_count, ${LOCK_STEPS_SECONDS.length - 1}) + 1]),
        lock_count = lock_count + 1,
        failures = 0,
        window_start = ${at}::timestamptz
      where key = ${key} and failures > ${budget}
      returning locked_until`),
  );
  const until = locked ? new Date(locked.locked_until) : new Date(now.getTime() + lockSeconds(row.lock_count) * 1000);
  return Math.max(1, Math.ceil((until.getTime() - now.getTime()) / 1000));
}

/**
 * Count this attempt against every key and say whether it may go on to the password (or code) check. Call it first;
 * when it is not allowed, check nothing and answer with the lock (or the same "incorrect" answer).
 */
export async function takeSignInAttempt(db: Db, keys: string[], now = new Date()): Promise<ThrottleVerdict> {
  let wait = 0;
  for (const key of keys) wait = Math.max(wait, await takeOne(db, key, now));
  if (Math.random() < 0.01) void pruneSignInThrottle(db, now).catch(() => {});
  if (!wait) return { allowed: true };
  metrics.signInThrottleBlocks.inc();
  return { allowed: false, retryAfterSeconds: wait };
}

/** A complete, successful sign-in: the account (and second-factor) keys start again; an address gets this attempt back. */
export async function signInSucceeded(db: Db, keys: string[]): Promise<void> {
  for (const key of keys) {
    if (kindOf(key) === 'ip') {
      await db.execute(sql`update sign_in_throttle set failures = greatest(failures - 1, 0) where key = ${key}`);
    } else {
      await db.delete(signInThrottle).where(eq(signInThrottle.key, key));
    }
  }
}

/** The lock on an account, for its administrator (Security > Users). */
export async function signInLockOf(db: Db, email: string, now = new Date()): Promise<{ lockedUntil: Date | null; failures: number }> {
  const [row] = await db.select().from(signInThrottle).where(eq(signInThrottle.key, emailKey(email)));
  if (!row) return { lockedUntil: null, failures: 0 };
  const inWindow = row.windowStart.getTime() > now.getTime() - WINDOW_SECONDS * 1000;
  return {
    lockedUntil: row.lockedUntil && row.lockedUntil > now ? row.lockedUntil : null,
    failures: inWindow ? row.failures : 0,
  };
}

/** An administrator clears an account's lock and count. */
export async function clearSignInLock(db: Db, email: string): Promise<void> {
  await db.delete(signInThrottle).where(eq(signInThrottle.key, emailKey(email)));
}

/** Rows with no lock in force and nothing for a day are forgotten. */
export async function pruneSignInThrottle(db: Db, now = new Date()): Promise<void> {
  const at = now.toISOString();
  await db.execute(sql`
    delete from sign_in_throttle
    where (locked_until is null or locked_until <= ${at}::timestamptz)
      and updated_at <= ${at}::timestamptz - make_interval(secs => ${QUIET_RESET_SECONDS})`);
}
