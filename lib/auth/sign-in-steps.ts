import { hkdfSync } from 'node:crypto';
import { and, eq, isNotNull } from 'drizzle-orm';
import { EncryptJWT, jwtDecrypt } from 'jose';
import type { Db } from '../db';
import { userPasskeys, userTotp, users } from '../db/schema';
import { safeCallbackUrl } from './callback-url';
import { signInKeys, takeSignInAttempt } from './throttle';
import { verifyCredentials, type SessionUser } from './users';

/**
 * The steps of a console sign-in that need no request objects (lib/auth/sign-in-flow.ts drives them from server
 * actions): the password step, and the short-lived "pending" token that carries a half-finished sign-in from one
 * step to the next (password -> second factor -> a new password when one must be chosen) in an HttpOnly cookie.
 */

/** RFC 8176 authentication method references recorded on a session. */
export type Amr = 'pwd' | 'otp' | 'hwk' | 'swk' | 'mfa' | 'fed' | (string & {});

/** A sign-in that has proven something but is not finished: who, with what so far, and where to go afterwards. */
export type PendingSignIn = { userId: string; amr: Amr[]; callbackUrl: string };

/** What the pending token is good for: the second-factor step (helper "mfa") or choosing a new password. */
export type PendingStage = 'second-factor' | 'new-password';

export const PENDING_COOKIE = 'tsc.sign-in-pending';
/** Five minutes to finish the next step. */
export const PENDING_TTL_SECONDS = 5 * 60;

export type PasswordStepResult =
  | { kind: 'invalid' }
  | { kind: 'locked'; retryAfterSeconds: number }
  | { kind: 'second-factor'; pending: string; user: SessionUser }
  | { kind: 'complete'; user: SessionUser; amr: ['pwd'] };

type SecondFactorCheck = (db: Db, userId: string) => Promise<boolean>;
type Hooks = { secondFactor?: SecondFactorCheck };
// On globalThis: a hook registered from one module graph must be seen by the other.
const hooks = ((globalThis as Record<string, unknown>).__tscSignInHooks ??= {}) as Hooks;

/**
 * Whether a user must pass a second factor after the password. The default reads the MFA tables directly (a
 * confirmed authenticator app, or a passkey); lib/auth/mfa may register its own definition here.
 */
export function setSecondFactorCheck(fn: SecondFactorCheck | undefined) {
  hooks.secondFactor = fn;
}

export async function userHasSecondFactor(db: Db, userId: string): Promise<boolean> {
  if (hooks.secondFactor) return hooks.secondFactor(db, userId);
  const [totp] = await db
    .select({ userId: userTotp.userId })
    .from(userTotp)
    .where(and(eq(userTotp.userId, userId), isNotNull(userTotp.confirmedAt)));
  if (totp) return true;
  const [passkey] = await db.select({ id: userPasskeys.id }).from(userPasskeys).where(eq(userPasskeys.userId, userId)).limit(1);
  return Boolean(passkey);
}

/** Counts every call that reaches the password check (tests prove the throttle bounds it). */
export const passwordChecks = { count: 0 };

/**
 * Email + password. The attempt is counted against the account and the address first (lib/auth/throttle.ts,
 * atomically across instances); a locked key gets no password check at all. Unknown emails cost the same scrypt work.
 */
export async function passwordStep(
  db: Db,
  input: { email: string; password: string; address: string; userAgent?: string | null; callbackUrl?: string },
): Promise<PasswordStepResult> {
  const keys = signInKeys(input.email, input.address);
  const verdict = await takeSignInAttempt(db, keys);
  const who = `${JSON.stringify(input.email.slice(0, 200))} from ${input.address}`;
  if (!verdict.allowed) {
    console.warn(`[auth] sign-in refused (locked for ${verdict.retryAfterSeconds} s) for ${who}`);
    return { kind: 'locked', retryAfterSeconds: verdict.retryAfterSeconds };
  }
  passwordChecks.count += 1;
  const user = await verifyCredentials(db, input.email, input.password);
  if (!user) {
    // One line, never the password.
    console.warn(`[auth] failed sign-in for ${who}`);
    return { kind: 'invalid' };
  }
  if (await userHasSecondFactor(db, user.id)) {
    const pending = await sealPending({ userId: user.id, amr: ['pwd'], callbackUrl: safeCallbackUrl(input.callbackUrl) }, 'second-factor');
    return { kind: 'second-factor', pending, user };
  }
  return { kind: 'complete', user, amr: ['pwd'] };
}

/** Key for the pending token: derived from AUTH_SECRET for this purpose only (never the session cookie's key). */
function pendingKey(): Uint8Array {
  const secret = process.env.AUTH_SECRET;
  if (!secret) throw new Error('AUTH_SECRET is not set');
  return new Uint8Array(hkdfSync('sha256', secret, 'tsc.sign-in-pending', 'console sign-in pending step v1', 32));
}

/** An encrypted (A256GCM), five-minute token for the next step of a sign-in. */
export async function sealPending(p: PendingSignIn, stage: PendingStage, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  return new EncryptJWT({ uid: p.userId, amr: [...new Set(p.amr)], cb: safeCallbackUrl(p.callbackUrl), stage })
    .setProtectedHeader({ alg: 'dir', enc: 'A256GCM' })
    .setIssuedAt(nowSeconds)
    .setExpirationTime(nowSeconds + PENDING_TTL_SECONDS)
    .encrypt(pendingKey());
}

async function openPending(value: unknown, stage: PendingStage, nowSeconds?: number): Promise<PendingSignIn | null> {
  if (typeof value !== 'string' || value.length === 0 || value.length > 4096) return null;
  try {
    const { payload } = await jwtDecrypt(value, pendingKey(), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
      ...(nowSeconds !== undefined ? { currentDate: new Date(nowSeconds * 1000) } : {}),
    });
    if (payload.stage !== stage || typeof payload.uid !== 'string' || !Array.isArray(payload.amr)) return null;
    return {
      userId: payload.uid,
      amr: payload.amr.filter((a): a is string => typeof a === 'string'),
      callbackUrl: safeCallbackUrl(payload.cb),
    };
  } catch {
    return null;
  }
}

/** The half-finished sign-in waiting for its second factor (the value of the PENDING_COOKIE), or null. */
export function readPending(cookieValue: unknown, nowSeconds?: number): Promise<PendingSignIn | null> {
  return openPending(cookieValue, 'second-factor', nowSeconds);
}

/** The half-finished sign-in waiting for the user to choose their own password, or null. */
export function readNewPasswordPending(cookieValue: unknown, nowSeconds?: number): Promise<PendingSignIn | null> {
  return openPending(cookieValue, 'new-password', nowSeconds);
}

/** The account facts completing a sign-in needs. */
export async function signInAccount(db: Db, userId: string) {
  const [u] = await db
    .select({ id: users.id, email: users.email, tenantId: users.tenantId, mustChangePassword: users.mustChangePassword })
    .from(users)
    .where(eq(users.id, userId));
  return u ?? null;
}
