import { z } from 'zod';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { makeSignedInAction, type CurrentSession } from '../actions/user-action';
import { fail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { changePasswordSchema } from '../auth/password-change.schema';
import { endOwnSession, endUserSessions, forgetSessions } from '../auth/sessions';
import { changeOwnPassword } from './passwords';

export const endSessionSchema = z.object({ sessionId: z.uuid({ message: 'Unknown session.' }) });
export const noInputSchema = z.object({}).strict();

const selfActor = (s: CurrentSession) => ({ tenantId: s.user.tenantId, label: s.user.email, type: 'user' as const, via: 'console' as const });

/** "Sign out" on one of the user's other sessions (/account). The current one is ended by the header's Sign out. */
export async function endOneOfMySessions(db: Db, s: CurrentSession, sessionId: string): Promise<ActionResult<{ ended: boolean }>> {
  if (sessionId === s.sessionId) return fail('This is the session you are using. Use Sign out at the top of the page.', 'invalid');
  const ended = await inTransaction(db, async (t) => {
    const done = await endOwnSession(t, s.user.id, sessionId);
    if (done) {
      await recordAudit(t, selfActor(s), { action: 'user.session_ended', targetType: 'user', targetId: s.user.id, details: { email: s.user.email } });
    }
    return done;
  });
  if (!ended) return fail('That session has already ended.', 'not_found');
  forgetSessions([sessionId]);
  return ok({ ended });
}

/** "Sign out everywhere else": every session of the user but this one ends at its next request. */
export async function endMyOtherSessions(db: Db, s: CurrentSession): Promise<ActionResult<{ sessionsEnded: number }>> {
  const ended = await inTransaction(db, async (t) => {
    const ids = await endUserSessions(t, s.user.id, s.sessionId);
    await recordAudit(t, selfActor(s), {
      action: 'user.other_sessions_ended',
      targetType: 'user',
      targetId: s.user.id,
      details: { email: s.user.email, sessionsEnded: ids.length },
    });
    return ids;
  });
  forgetSessions(ended);
  return ok({ sessionsEnded: ended.length });
}

/** The /account operations behind makeSignedInAction. */
export function accountActions(getSession: () => Promise<CurrentSession | null>, address: () => Promise<string>) {
  const action = makeSignedInAction(getSession);
  return {
    changePassword: action(changePasswordSchema, async ({ db, session }, input) =>
      changeOwnPassword(db, { userId: session.user.id, email: session.user.email, tenantId: session.user.tenantId }, input, {
        keepSessionId: session.sessionId,
        address: await address(),
      }),
    ),
    endSession: action(endSessionSchema, ({ db, session }, input) => endOneOfMySessions(db, session, input.sessionId)),
    endOtherSessions: action(noInputSchema, ({ db, session }) => endMyOtherSessions(db, session)),
  };
}
