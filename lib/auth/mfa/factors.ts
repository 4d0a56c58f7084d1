import { and, eq, isNotNull, sql } from 'drizzle-orm';
import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { Db } from '../../db';
import { inTransaction } from '../../db/transaction';
import { tenantSettings, userPasskeys, userRecoveryCodes, userTotp, users, webauthnChallenges } from '../../db/schema';
import type { Actor } from '../../actions/actor';
import { fail, ok, type ActionResult } from '../../actions/result';
import { recordAudit } from '../../audit/audit';
import { verifyPassword } from '../password';
import { secondFactorKey, signInSucceeded, takeSignInAttempt } from '../throttle';
import { finishPasskeyRegistration, listPasskeys, removePasskey, type PasskeyRow, type RelyingParty } from './passkeys';
import { getRecoveryCodeState, replaceRecoveryCodes, type RecoveryCodeState } from './recovery-codes';
import { confirmTotpEnrolment, getTotpState, removeTotp, verifyTotp } from './totp';

/**
 * A user's second factors as a whole: whether they have one (the sign-in flow asks for it after the password), what
 * the Account > Security page shows, and the writes that change them, each in one transaction with its audit event.
 */

/** A confirmed authenticator app or at least one passkey. Recovery codes alone are not a factor. */
export async function hasSecondFactor(db: Db, userId: string): Promise<boolean> {
  const [row] = await db.execute<{ has: boolean }>(sql`
    select exists (select 1 from ${userTotp} where ${userTotp.userId} = ${userId} and ${userTotp.confirmedAt} is not null)
        or exists (select 1 from ${userPasskeys} where ${userPasskeys.userId} = ${userId}) as has`).then(
    (r) => (r as unknown as { rows: { has: boolean }[] }).rows,
  );
  return Boolean(row?.has);
}

/** Which factors the second step can offer this user. */
export async function secondFactorMethods(db: Db, userId: string): Promise<{ totp: boolean; passkey: boolean; recoveryCode: boolean }> {
  const [totp, passkeys, codes] = await Promise.all([
    db.$count(userTotp, and(eq(userTotp.userId, userId), isNotNull(userTotp.confirmedAt))),
    db.$count(userPasskeys, eq(userPasskeys.userId, userId)),
    db.$count(userRecoveryCodes, and(eq(userRecoveryCodes.userId, userId), sql`${userRecoveryCodes.usedAt} is null`)),
  ]);
  return { totp: totp > 0, passkey: passkeys > 0, recoveryCode: codes > 0 };
}

export type MfaOverview = {
  authenticatorApp: { enrolledAt: Date } | null;
  passkeys: PasskeyRow[];
  recoveryCodes: RecoveryCodeState;
};

export async function getMfaOverview(db: Db, userId: string): Promise<MfaOverview> {
  const [totp, passkeys, recoveryCodes] = await Promise.all([getTotpState(db, userId), listPasskeys(db, userId), getRecoveryCodeState(db, userId)]);
  return {
    authenticatorApp: totp?.confirmedAt ? { enrolledAt: totp.confirmedAt } : null,
    passkeys,
    recoveryCodes,
  };
}

/** "Require multi-factor authentication for Tenant Administrators": on when the tenant has no settings row. */
export async function tenantRequiresAdminMfa(db: Db, tenantId: string): Promise<boolean> {
  const [row] = await db.select({ on: tenantSettings.requireAdminMfa }).from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId));
  return row?.on ?? true;
}

/**
 * A Tenant Administrator of a tenant that requires MFA, without a factor yet: must enrol before anything else.
 * One query: it runs for every page and action of an administrator (lib/auth/session.ts).
 */
export async function mustEnrolMfa(db: Db, user: { id: string; tenantId: string; roleTypes: string[] }): Promise<boolean> {
  if (!user.roleTypes.includes('tenant_administrator')) return false;
  const result = await db.execute(sql`
    select coalesce((select ${tenantSettings.requireAdminMfa} from ${tenantSettings} where ${tenantSettings.tenantId} = ${user.tenantId}), true)
      and not exists (select 1 from ${userTotp} where ${userTotp.userId} = ${user.id} and ${userTotp.confirmedAt} is not null)
      and not exists (select 1 from ${userPasskeys} where ${userPasskeys.userId} = ${user.id}) as must`);
  return Boolean((result as unknown as { rows: { must: boolean }[] }).rows[0]?.must);
}

const userTarget = (userId: string) => ({ targetType: 'user', targetId: userId });

/** After a user's first factor: a first set of recovery codes, so losing the device does not lock them out. */
async function firstRecoveryCodes(tx: Db, actor: Actor, userId: string): Promise<string[] | null> {
  if ((await tx.$count(userRecoveryCodes, eq(userRecoveryCodes.userId, userId))) > 0) return null;
  const codes = await replaceRecoveryCodes(tx, userId);
  await recordAudit(tx, actor, { action: 'mfa.recovery_codes_generated', ...userTarget(userId), details: { count: codes.length } });
  return codes;
}

export const WRONG_CODE = 'That code is not right, or it was already used. Enter the current code from your authenticator app.';

/** Confirm the pending authenticator app with a code; the first factor also gets recovery codes (shown once). */
export async function confirmAuthenticatorApp(
  db: Db,
  actor: Actor,
  code: string,
): Promise<ActionResult<{ recoveryCodes: string[] | null }>> {
  return inTransaction(db, async (tx) => {
    if (!(await confirmTotpEnrolment(tx, actor.id, code))) return { ok: false, code: 'invalid', fieldErrors: { code: WRONG_CODE } };
    await recordAudit(tx, actor, { action: 'mfa.totp_enrolled', ...userTarget(actor.id), details: { email: actor.label } });
    return ok({ recoveryCodes: await firstRecoveryCodes(tx, actor, actor.id) });
  });
}

export const PASSKEY_FAILURES: Record<string, string> = {
  expired: 'The passkey request expired or was already used. Try again.',
  invalid: 'The passkey could not be verified. Try again, or use another passkey.',
  duplicate: 'This passkey is already registered.',
  limit: 'You have the most passkeys allowed. Remove one first.',
};

export async function addPasskey(
  db: Db,
  actor: Actor,
  input: { stateId: string; name: string; response: RegistrationResponseJSON },
  rp: RelyingParty,
): Promise<ActionResult<{ passkey: PasskeyRow; recoveryCodes: string[] | null }>> {
  return inTransaction(db, async (tx) => {
    const result = await finishPasskeyRegistration(tx, actor.id, input, rp);
    if (!result.ok) return fail(PASSKEY_FAILURES[result.reason], result.reason === 'duplicate' ? 'conflict' : result.reason === 'limit' ? 'limit' : 'invalid');
    await recordAudit(tx, actor, {
      action: 'mfa.passkey_added',
      ...userTarget(actor.id),
      details: { email: actor.label, passkey: result.passkey.name },
    });
    return ok({ passkey: result.passkey, recoveryCodes: await firstRecoveryCodes(tx, actor, actor.id) });
  });
}

export const PROOF_REFUSED = 'That is not your current password or a current code from your authenticator app.';
export const proofLocked = (seconds: number) =>
  `Too many attempts. Try again in ${seconds >= 60 ? `${Math.ceil(seconds / 60)} minutes` : `${seconds} seconds`}.`;

/**
 * Changes to one's own factors (remove one, new recovery codes) need proof beyond the session: the current password
 * or a current authenticator app code. Counted against the user's second-factor budget, like the sign-in step.
 */
export async function checkProof(db: Db, userId: string, proof: string): Promise<{ ok: true } | { ok: false; message: string }> {
  const verdict = await takeSignInAttempt(db, [secondFactorKey(userId)]);
  if (!verdict.allowed) return { ok: false, message: proofLocked(verdict.retryAfterSeconds) };
  const [u] = await db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId));
  if (!u) return { ok: false, message: PROOF_REFUSED };
  const compact = proof.replace(/\s/g, '');
  const good = (/^\d{6}$/.test(compact) && (await verifyTotp(db, userId, compact))) || (await verifyPassword(proof, u.passwordHash));
  if (!good) return { ok: false, message: PROOF_REFUSED };
  await signInSucceeded(db, [secondFactorKey(userId)]);
  return { ok: true };
}

/** No factor left: recovery codes would be a way in with nothing to recover, so they go too. */
async function dropCodesWithoutFactor(tx: Db, userId: string): Promise<boolean> {
  if (await hasSecondFactor(tx, userId)) return false;
  const removed = await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId)).returning({ id: userRecoveryCodes.id });
  return removed.length > 0;
}

export async function removeAuthenticatorApp(db: Db, actor: Actor): Promise<ActionResult<{ removed: true }>> {
  return inTransaction(db, async (tx) => {
    if (!(await removeTotp(tx, actor.id))) return fail('You have no authenticator app set up.', 'not_found');
    const codesRemoved = await dropCodesWithoutFactor(tx, actor.id);
    await recordAudit(tx, actor, { action: 'mfa.totp_removed', ...userTarget(actor.id), details: { email: actor.label, recoveryCodesRemoved: codesRemoved } });
    return ok({ removed: true as const });
  });
}

export async function removeOwnPasskey(db: Db, actor: Actor, passkeyId: string): Promise<ActionResult<{ name: string }>> {
  return inTransaction(db, async (tx) => {
    const name = await removePasskey(tx, actor.id, passkeyId);
    if (name === null) return fail('This passkey does not exist. It may have been removed.', 'not_found');
    const codesRemoved = await dropCodesWithoutFactor(tx, actor.id);
    await recordAudit(tx, actor, {
      action: 'mfa.passkey_removed',
      ...userTarget(actor.id),
      details: { email: actor.label, passkey: name, recoveryCodesRemoved: codesRemoved },
    });
    return ok({ name });
  });
}

export async function regenerateRecoveryCodes(db: Db, actor: Actor): Promise<ActionResult<{ recoveryCodes: string[] }>> {
  return inTransaction(db, async (tx) => {
    if (!(await hasSecondFactor(tx, actor.id))) {
      return fail('Set up an authenticator app or a passkey first: recovery codes stand in for those.', 'invalid');
    }
    const codes = await replaceRecoveryCodes(tx, actor.id);
    await recordAudit(tx, actor, { action: 'mfa.recovery_codes_generated', ...userTarget(actor.id), details: { count: codes.length } });
    return ok({ recoveryCodes: codes });
  });
}

/**
 * Remove every factor of a user (Reset MFA, by a Tenant Administrator of the user's tenant), with the user's pending
 * enrolments and challenges; `endSessions` ends the user's sessions in the same transaction. The user signs in with
 * the password alone next time (and, as an administrator of a tenant that requires MFA, must enrol again at once).
 */
export async function resetUserMfa(
  db: Db,
  actor: Actor,
  userId: string,
  endSessions: (tx: Db, userId: string) => Promise<string[]>,
): Promise<ActionResult<{ email: string; endedSessionIds: string[] }>> {
  return inTransaction(db, async (tx) => {
    const [target] = await tx
      .select({ id: users.id, email: users.email })
      .from(users)
      .where(and(eq(users.id, userId), eq(users.tenantId, actor.tenantId)));
    if (!target) return fail('This user does not exist. They may have been removed.', 'not_found');
    const totp = await tx.delete(userTotp).where(eq(userTotp.userId, userId)).returning({ confirmedAt: userTotp.confirmedAt });
    const passkeys = await tx.delete(userPasskeys).where(eq(userPasskeys.userId, userId)).returning({ name: userPasskeys.name });
    const codes = await tx.delete(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId)).returning({ id: userRecoveryCodes.id });
    await tx.delete(webauthnChallenges).where(eq(webauthnChallenges.userId, userId));
    const endedSessionIds = await endSessions(tx, userId);
    await recordAudit(tx, actor, {
      action: 'mfa.reset',
      ...userTarget(userId),
      details: {
        email: target.email,
        authenticatorApp: totp.some((t) => t.confirmedAt !== null),
        passkeys: passkeys.map((p) => p.name),
        recoveryCodes: codes.length,
        sessionsEnded: endedSessionIds.length,
      },
    });
    return ok({ email: target.email, endedSessionIds });
  });
}
