import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { userPasskeys, userTotp, users } from '../../db/schema';
import { makeAdminAction } from '../../actions/admin-action';
import { fail, ok } from '../../actions/result';
import type { SessionUser } from '../users';
import { resetUserMfa } from './factors';
import { resetUserMfaSchema } from './mfa.schema';

/**
 * lib/auth/sessions.ts: `end` deletes every session of a user in the caller's transaction and returns their ids;
 * `forget` drops them from this instance's cache once committed (other instances hear it over NOTIFY).
 */
export type UserSessionEnder = { end: (tx: Db, userId: string) => Promise<string[]>; forget: (ids: string[]) => void };

/** Security > Users: Reset MFA behind makeAdminAction (authenticate, Tenant Administrator, tenant from the session). */
export function mfaAdminActions(getUser: () => Promise<SessionUser | null>, sessions: UserSessionEnder) {
  const action = makeAdminAction(getUser);
  return {
    resetUserMfa: action(resetUserMfaSchema, async ({ db, actor }, input) => {
      if (input.userId === actor.id) return fail('Manage your own sign-in methods on Account > Security.', 'invalid');
      const result = await resetUserMfa(db, actor, input.userId, sessions.end);
      if (!result.ok) return result;
      sessions.forget(result.data.endedSessionIds);
      return ok({ email: result.data.email, sessionsEnded: result.data.endedSessionIds.length });
    }),
  };
}

export type UserMfaStatus = { authenticatorApp: boolean; passkeys: number };

/** For Security > Users: which of the tenant's users have which factors (no entry: none). */
export async function mfaStatusOfTenantUsers(db: Db, tenantId: string): Promise<Record<string, UserMfaStatus>> {
  const ids = db.select({ id: users.id }).from(users).where(eq(users.tenantId, tenantId));
  const [apps, keys] = await Promise.all([
    db
      .select({ userId: userTotp.userId })
      .from(userTotp)
      .where(and(inArray(userTotp.userId, ids), isNotNull(userTotp.confirmedAt))),
    db
      .select({ userId: userPasskeys.userId, n: sql<number>`count(*)::int` })
      .from(userPasskeys)
      .where(inArray(userPasskeys.userId, ids))
      .groupBy(userPasskeys.userId),
  ]);
  const out: Record<string, UserMfaStatus> = {};
  for (const a of apps) out[a.userId] = { authenticatorApp: true, passkeys: 0 };
  for (const k of keys) out[k.userId] = { authenticatorApp: out[k.userId]?.authenticatorApp ?? false, passkeys: Number(k.n) };
  return out;
}
