import { and, eq, gt, inArray } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { signInThrottle, users } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { changePasswordSchema, choosePasswordSchema } from '../auth/password-change.schema';
import { hashPassword, verifyPassword } from '../auth/password';
import { activeSessionCounts, endUserSessions, forgetSessions } from '../auth/sessions';
import { clearSignInLock, emailKey, signInKeys, signInLockOf, signInSucceeded, takeSignInAttempt } from '../auth/throttle';
import { idField } from '../roles/names.schema';
import { validate } from '../actions/validate';
import { generateInitialPassword, USER_NOT_FOUND } from './users';

/** Security > Users row actions that name one user. */
export const userTargetSchema = z.object({ userId: idField('user') });
export type UserTargetInput = z.input<typeof userTargetSchema>;

export const CURRENT_PASSWORD_WRONG = 'The current password is not correct.';

/** A signed-in user acting on their own account (audit events name them). */
export type SelfActor = { userId: string; email: string; tenantId: string };
const selfAudit = (s: SelfActor) => ({ tenantId: s.tenantId, label: s.email, type: 'user' as const, via: 'console' as const });

/**
 * /account "Change password". The current password is checked under the sign-in throttle (a stolen session must
 * not become a way to guess it), then the new hash is stored, must_change_password cleared, and every other session
 * of the user ended, all in one transaction with the audit event. The caller's own session (`keepSessionId`) stays.
 */
export async function changeOwnPassword(
  db: Db,
  self: SelfActor,
  raw: unknown,
  ctx: { keepSessionId: string; address: string },
): Promise<ActionResult<{ sessionsEnded: number }>> {
  const v = validate(changePasswordSchema, raw);
  if (!v.ok) return v.failure;
  const keys = signInKeys(self.email, ctx.address);
  const verdict = await takeSignInAttempt(db, keys);
  if (!verdict.allowed) {
    const minutes = Math.ceil(verdict.retryAfterSeconds / 60);
    return fail(`Too many attempts with a wrong password. Try again in ${minutes === 1 ? '1 minute' : `${minutes} minutes`}.`, 'limit');
  }
  const [user] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, self.userId));
  if (!user) return fail(USER_NOT_FOUND, 'not_found');
  if (!(await verifyPassword(v.data.currentPassword, user.passwordHash))) {
    return { ok: false, code: 'invalid', fieldErrors: { currentPassword: CURRENT_PASSWORD_WRONG } };
  }
  const passwordHash = await hashPassword(v.data.newPassword);
  const ended = await inTransaction(db, async (t) => {
    await t
      .update(users)
      .set({ passwordHash, mustChangePassword: false, passwordChangedAt: new Date() })
      .where(eq(users.id, self.userId));
    const ids = await endUserSessions(t, self.userId, ctx.keepSessionId);
    await recordAudit(t, selfAudit(self), {
      action: 'user.password_changed',
      targetType: 'user',
      targetId: self.userId,
      details: { email: self.email, otherSessionsEnded: ids.length },
    });
    return ids;
  });
  forgetSessions(ended);
  await signInSucceeded(db, keys);
  return ok({ sessionsEnded: ended.length });
}

/**
 * "Choose your password" at sign-in, for a user whose password an administrator set (invite, reset): the user has
 * just proven the one-time password, so only the new one is asked for; it must differ from the one they were given.
 * Ends any session the user still has (there should be none), in one transaction with the audit event.
 */
export async function chooseOwnPassword(db: Db, userId: string, raw: unknown): Promise<ActionResult<{ email: string }>> {
  const v = validate(choosePasswordSchema, raw);
  if (!v.ok) return v.failure;
  const [user] = await db
    .select({ email: users.email, tenantId: users.tenantId, passwordHash: users.passwordHash })
    .from(users)
    .where(eq(users.id, userId));
  if (!user) return fail(USER_NOT_FOUND, 'not_found');
  if (await verifyPassword(v.data.newPassword, user.passwordHash)) {
    return { ok: false, code: 'invalid', fieldErrors: { newPassword: 'Choose a password different from the one you were given.' } };
  }
  const passwordHash = await hashPassword(v.data.newPassword);
  const ended = await inTransaction(db, async (t) => {
    await t.update(users).set({ passwordHash, mustChangePassword: false, passwordChangedAt: new Date() }).where(eq(users.id, userId));
    const ids = await endUserSessions(t, userId);
    await recordAudit(t, selfAudit({ userId, email: user.email, tenantId: user.tenantId }), {
      action: 'user.password_changed',
      targetType: 'user',
      targetId: userId,
      details: { email: user.email, otherSessionsEnded: ids.length, firstSignIn: true },
    });
    return ids;
  });
  forgetSessions(ended);
  return ok({ email: user.email });
}

async function tenantUser(db: Db, tenantId: string, userId: string) {
  const [u] = await db
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(eq(users.id, userId), eq(users.tenantId, tenantId)));
  return u;
}

/**
 * Security > Users "Reset password": a new random one-time password, returned once to be shown to the
 * administrator, which the user must replace at their next sign-in. Every session of the user ends; any sign-in lock
 * on the account is cleared (the administrator has just vouched for the person). Not for the administrator's own
 * account (they use Change password on /account).
 */
export async function resetUserPassword(
  db: Db,
  actor: Actor,
  raw: UserTargetInput,
): Promise<ActionResult<{ email: string; oneTimePassword: string; sessionsEnded: number }>> {
  const v = validate(userTargetSchema, raw);
  if (!v.ok) return v.failure;
  const target = await tenantUser(db, actor.tenantId, v.data.userId);
  if (!target) return fail(USER_NOT_FOUND, 'not_found');
  if (actor.type === 'user' && actor.id === target.id) {
    return fail('To change your own password, use Change password on Your account.', 'forbidden');
  }
  const oneTimePassword = generateInitialPassword();
  const passwordHash = await hashPassword(oneTimePassword);
  const ended = await inTransaction(db, async (t) => {
    const updated = await t
      .update(users)
      .set({ passwordHash, mustChangePassword: true, passwordChangedAt: new Date() })
      .where(and(eq(users.id, target.id), eq(users.tenantId, actor.tenantId)))
      .returning({ id: users.id });
    if (updated.length === 0) return null;
    const ids = await endUserSessions(t, target.id);
    await recordAudit(t, actor, {
      action: 'user.password_reset',
      targetType: 'user',
      targetId: target.id,
      details: { email: target.email, sessionsEnded: ids.length },
    });
    return ids;
  });
  if (!ended) return fail(USER_NOT_FOUND, 'not_found');
  forgetSessions(ended);
  await clearSignInLock(db, target.email);
  return ok({ email: target.email, oneTimePassword, sessionsEnded: ended.length });
}

/** Security > Users "Sign out all sessions": every console session of the user ends at its next request. */
export async function endAllSessionsOfUser(
  db: Db,
  actor: Actor,
  raw: UserTargetInput,
): Promise<ActionResult<{ email: string; sessionsEnded: number }>> {
  const v = validate(userTargetSchema, raw);
  if (!v.ok) return v.failure;
  const target = await tenantUser(db, actor.tenantId, v.data.userId);
  if (!target) return fail(USER_NOT_FOUND, 'not_found');
  const ended = await inTransaction(db, async (t) => {
    const ids = await endUserSessions(t, target.id);
    await recordAudit(t, actor, {
      action: 'user.sessions_ended',
      targetType: 'user',
      targetId: target.id,
      details: { email: target.email, sessionsEnded: ids.length },
    });
    return ids;
  });
  forgetSessions(ended);
  return ok({ email: target.email, sessionsEnded: ended.length });
}

/** Security > Users: a sign-in lock on the account is cleared, so its owner can sign in with their password again. */
export async function clearUserSignInLock(db: Db, actor: Actor, raw: UserTargetInput): Promise<ActionResult<{ email: string }>> {
  const v = validate(userTargetSchema, raw);
  if (!v.ok) return v.failure;
  const target = await tenantUser(db, actor.tenantId, v.data.userId);
  if (!target) return fail(USER_NOT_FOUND, 'not_found');
  const lock = await signInLockOf(db, target.email);
  await inTransaction(db, async (t) => {
    await clearSignInLock(t, target.email);
    await recordAudit(t, actor, {
      action: 'user.sign_in_lock_cleared',
      targetType: 'user',
      targetId: target.id,
      details: { email: target.email, lockedUntil: lock.lockedUntil?.toISOString() ?? null, failures: lock.failures },
    });
  });
  return ok({ email: target.email });
}

export type UserSignInStatus = { activeSessions: number; lockedUntil: string | null };

/** Security > Users: each user's open sessions and any sign-in lock on their account. */
export async function tenantSignInStatus(
  db: Db,
  tenantId: string,
  people: { id: string; email: string }[],
  now = new Date(),
): Promise<Record<string, UserSignInStatus>> {
  const counts = await activeSessionCounts(db, tenantId, now.getTime());
  const locks = await lockedAccounts(db, people.map((p) => p.email), now);
  const out: Record<string, UserSignInStatus> = {};
  for (const p of people) {
    out[p.id] = { activeSessions: counts.get(p.id) ?? 0, lockedUntil: locks.get(emailKey(p.email))?.toISOString() ?? null };
  }
  return out;
}

/** The locks in force for these accounts, by throttle key (one query for the whole page). */
async function lockedAccounts(db: Db, emails: string[], now: Date): Promise<Map<string, Date>> {
  if (emails.length === 0) return new Map();
  const rows = await db
    .select({ key: signInThrottle.key, lockedUntil: signInThrottle.lockedUntil })
    .from(signInThrottle)
    .where(and(inArray(signInThrottle.key, emails.map(emailKey)), gt(signInThrottle.lockedUntil, now)));
  return new Map(rows.map((r) => [r.key, r.lockedUntil!]));
}
