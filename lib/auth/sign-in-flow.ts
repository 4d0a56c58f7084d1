import { cookies, headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { getDb, type Db } from '../db';
import { isHttpsRequest } from '../http/security-headers';
import { auth, signIn } from './auth';
import { returnsToIdentity } from './callback-url';
import { requestClientAddress } from './client-address';
import { createSession, endSession } from './sessions';
import { issueSignInTicket } from './sign-in-ticket';
import {
  PENDING_COOKIE,
  PENDING_TTL_SECONDS,
  readPending,
  sealPending,
  signInAccount,
  type PendingSignIn,
} from './sign-in-steps';
import { signInKeys, signInSucceeded } from './throttle';

/**
 * The console's sign-in, step by step, for server actions:
 *
 *   password (passwordStep) -> second factor, when the user has one (helper "mfa", at SECOND_FACTOR_PATH)
 *     -> a password of their own, when an administrator set it (NEW_PASSWORD_PATH) -> completeSignIn.
 *
 * Between steps the sign-in travels in an encrypted five-minute token in an HttpOnly SameSite=Lax cookie
 * (PENDING_COOKIE), never in a URL. completeSignIn creates the session row and next-auth's cookie, then redirects.
 */
export {
  PENDING_COOKIE,
  passwordStep,
  readNewPasswordPending,
  readPending,
  sealPending,
  setSecondFactorCheck,
  userHasSecondFactor,
  type Amr,
  type PasswordStepResult,
  type PendingSignIn,
} from './sign-in-steps';

/** The second-factor page (helper "mfa" owns it): reached with the pending cookie set. */
export const SECOND_FACTOR_PATH = '/sign-in/verify';
/** "Choose your password": for a user whose password an administrator set (invite, reset). */
export const NEW_PASSWORD_PATH = '/sign-in/new-password';

type AfterSignIn = (db: Db, s: { userId: string; tenantId: string; amr: string[] }) => Promise<string | null>;
// On globalThis: registered from one module graph, used from the other.
const hooks = ((globalThis as Record<string, unknown>).__tscAfterSignIn ??= {}) as { afterSignIn?: AfterSignIn };

/**
 * Hook for helper "mfa": after the session exists, where the user must go before anything else (e.g. enrolment of a
 * second factor for a Tenant Administrator of a tenant that requires it). Return a same-origin path, or null to
 * continue to the callback URL.
 */
export function setAfterSignInRedirect(fn: AfterSignIn | undefined) {
  hooks.afterSignIn = fn;
}

async function cookieIsSecure(): Promise<boolean> {
  if (process.env.AUTH_URL?.startsWith('https:')) return true;
  return isHttpsRequest(await headers());
}

/** Put a half-finished sign-in into the browser's pending cookie (HttpOnly, SameSite=Lax, five minutes). */
export async function setPendingCookie(value: string) {
  (await cookies()).set(PENDING_COOKIE, value, {
    httpOnly: true,
    sameSite: 'lax',
    secure: await cookieIsSecure(),
    path: '/',
    maxAge: PENDING_TTL_SECONDS,
  });
}

export async function clearPendingCookie() {
  (await cookies()).delete(PENDING_COOKIE);
}

/** The second-factor step's pending sign-in from this request's cookie, or null. */
export async function pendingFromCookie(): Promise<PendingSignIn | null> {
  return readPending((await cookies()).get(PENDING_COOKIE)?.value);
}

/**
 * Finish a sign-in whose every step has passed: create the session row (with the methods used), hand it to
 * next-auth for the cookie, clear the throttle's count for the account, drop the pending cookie, and redirect to the
 * callback URL. A user who must choose their own password is sent to do that first (no session exists until then).
 *
 * `hydrated`: called by a hydrated form whose target is /identity (an application's sign-in): the form navigates
 * itself with a full page load, so `{ returnTo }` is returned instead of a redirect. Otherwise this never returns.
 */
export async function completeSignIn(p: PendingSignIn, opts: { hydrated?: boolean } = {}): Promise<{ returnTo: string }> {
  const db = await getDb();
  const h = await headers();
  const account = await signInAccount(db, p.userId);
  if (!account) {
    await clearPendingCookie();
    redirect('/sign-in');
  }
  if (account.mustChangePassword && !p.amr.includes('fed')) {
    await setPendingCookie(await sealPending(p, 'new-password'));
    redirect(NEW_PASSWORD_PATH);
  }
  const address = requestClientAddress(h);
  // A browser that signs in again (an application's prompt=login, say) leaves no older session behind.
  const previous = await auth().catch(() => null);
  const session = await createSession(db, {
    userId: account.id,
    tenantId: account.tenantId,
    amr: p.amr,
    ip: address,
    userAgent: h.get('user-agent'),
  });
  try {
    await signIn('credentials', { ticket: issueSignInTicket(session.id, account.id), redirect: false });
  } catch (err) {
    await endSession(db, session.id);
    throw err;
  }
  if (previous?.sessionId && previous.sessionId !== session.id) await endSession(db, previous.sessionId);
  await signInSucceeded(db, signInKeys(account.email, address));
  await clearPendingCookie();
  console.info(`[auth] signed in ${JSON.stringify(account.email)} from ${address} (${p.amr.join('+')})`);
  const detour = hooks.afterSignIn ? await hooks.afterSignIn(db, { userId: account.id, tenantId: account.tenantId, amr: p.amr }) : null;
  const target = detour ?? p.callbackUrl;
  if (opts.hydrated && returnsToIdentity(target)) return { returnTo: target };
  redirect(target);
}

/** What a sign-in step's form shows for a throttled attempt. */
export function lockedMessage(retryAfterSeconds: number): string {
  const minutes = Math.ceil(retryAfterSeconds / 60);
  return `Too many failed sign-in attempts. Try again in ${minutes === 1 ? '1 minute' : `${minutes} minutes`}.`;
}


