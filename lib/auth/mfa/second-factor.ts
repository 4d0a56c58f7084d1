import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { and, eq, isNull } from 'drizzle-orm';
import type { Db } from '../../db';
import { inTransaction } from '../../db/transaction';
import { userRecoveryCodes, users } from '../../db/schema';
import { recordAudit } from '../../audit/audit';
import { secondFactorKey, signInSucceeded, takeSignInAttempt } from '../throttle';
import { proofLocked } from './factors';
import { finishPasskeyAuthentication, type RelyingParty } from './passkeys';
import { looksLikeRecoveryCode, useRecoveryCode } from './recovery-codes';
import { normalizeCode, verifyTotp } from './totp';

/**
 * The second step of a sign-in, after the password: a code from the authenticator app, a recovery code, or a passkey
 * of the same user. Codes count against the user's second-factor budget (lib/auth/throttle.ts, key `mfa:<user id>`)
 * before they are checked; every failure and every recovery code used is in the audit log, with the address.
 * The result says which RFC 8176 methods to add to the session's `amr`.
 */
export type SecondFactorResult =
  | { ok: true; amr: string[]; recoveryCodesLeft?: number }
  | { ok: false; message: string; locked?: boolean };

export const CODE_REFUSED = 'That code is not right, or it was already used.';

async function auditActor(db: Db, userId: string) {
  const [u] = await db.select({ tenantId: users.tenantId, email: users.email }).from(users).where(eq(users.id, userId));
  return u ? { tenantId: u.tenantId, label: u.email, type: 'user' as const, via: 'console' as const } : null;
}

async function auditFailure(db: Db, userId: string, method: string, address: string) {
  const actor = await auditActor(db, userId);
  if (actor) {
    await recordAudit(db, actor, { action: 'mfa.verification_failed', targetType: 'user', targetId: userId, details: { method, address } });
  }
}

/** An authenticator app code (6 digits) or a recovery code, told apart by their shape. */
export async function verifySecondFactorCode(
  db: Db,
  userId: string,
  rawCode: string,
  meta: { address: string },
): Promise<SecondFactorResult> {
  const key = secondFactorKey(userId);
  const verdict = await takeSignInAttempt(db, [key]);
  if (!verdict.allowed) return { ok: false, locked: true, message: proofLocked(verdict.retryAfterSeconds) };
  const code = normalizeCode(rawCode);
  if (/^\d{6}$/.test(code)) {
    if (await verifyTotp(db, userId, code)) {
      await signInSucceeded(db, [key]);
      return { ok: true, amr: ['otp', 'mfa'] };
    }
    await auditFailure(db, userId, 'authenticator_app', meta.address);
    return { ok: false, message: CODE_REFUSED };
  }
  if (looksLikeRecoveryCode(rawCode)) {
    const used = await inTransaction(db, async (tx) => {
      if (!(await useRecoveryCode(tx, userId, rawCode))) return null;
      const left = await tx.$count(userRecoveryCodes, and(eq(userRecoveryCodes.userId, userId), isNull(userRecoveryCodes.usedAt)));
      const actor = await auditActor(tx, userId);
      if (actor) {
        await recordAudit(tx, actor, {
          action: 'mfa.recovery_code_used',
          targetType: 'user',
          targetId: userId,
          details: { remaining: left, address: meta.address },
        });
      }
      return left;
    });
    if (used !== null) {
      await signInSucceeded(db, [key]);
      return { ok: true, amr: ['otp', 'mfa'], recoveryCodesLeft: used };
    }
    await auditFailure(db, userId, 'recovery_code', meta.address);
    return { ok: false, message: CODE_REFUSED };
  }
  await auditFailure(db, userId, 'malformed_code', meta.address);
  return { ok: false, message: CODE_REFUSED };
}

export const PASSKEY_REFUSED = 'The passkey could not be verified. Try again, or use another way to sign in.';

/**
 * A passkey, either as the second step for `expectedUserId` or (null) as the whole sign-in. The challenge names the
 * user it was made for, so a passkey of someone else cannot finish another user's sign-in.
 */
export async function verifyPasskeySignIn(
  db: Db,
  input: { stateId: string; response: AuthenticationResponseJSON },
  rp: RelyingParty,
  meta: { address: string; expectedUserId: string | null },
): Promise<{ ok: true; userId: string; amr: string[] } | { ok: false; message: string }> {
  const result = await finishPasskeyAuthentication(db, input, rp);
  if (!result.ok) {
    const userId = meta.expectedUserId ?? result.userId;
    if (userId) await auditFailure(db, userId, 'passkey', meta.address);
    return { ok: false, message: result.reason === 'expired' ? 'The passkey request expired. Try again.' : PASSKEY_REFUSED };
  }
  if (meta.expectedUserId && result.userId !== meta.expectedUserId) {
    await auditFailure(db, meta.expectedUserId, 'passkey', meta.address);
    return { ok: false, message: PASSKEY_REFUSED };
  }
  return { ok: true, userId: result.userId, amr: [result.amr, 'mfa'] };
}
