import { and, eq, inArray, isNotNull, sql } from 'drizzle-orm';
import type { Db } from '../../db';
import { userPasskeys, userTotp, users } from '../../db/schema';
import { makeAdminAction } from '../../actions/admin-action';
import { fail } from '../../actions/result';
import type { SessionUser } from '../users';
import { resetUserMfa } from './factors';
import { resetUserMfaSchema } from './mfa.schema';

/** Ends every session of a user in the caller's transaction; returns how many (lib/auth/sessions.ts). */
export type EndUserSessions = (tx: Db, userId: string) => Promise<number>;

/** Security > Users: Reset MFA behind makeAdminAction (authenticate, Tenant Administrator, tenant from the session). */
export function mfaAdminActions(getUser: () => Promise<SessionUser | null>, endSessions: EndUserSessions) {
  const action = makeAdminAction(getUser);
  return {
    resetUserMfa: action(resetUserMfaSchema, async ({ db, actor }, input) => {
      if (input.userId === actor.id) return fail('Manage your own sign-in methods on Account > Security.', 'invalid');
      return resetUserMfa(db, actor, input.userId, endSessions);
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
