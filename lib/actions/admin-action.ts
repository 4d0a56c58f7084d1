import type { z } from 'zod';
import { getDb, type Db } from '../db';
import { fail, zodFieldErrors, type ActionResult } from './result';

export type { Actor } from './actor';
import type { Actor, SessionUser } from './actor';

/** What an administrator who must first set up multi-factor authentication is told (lib/auth/mfa/requirement.ts). */
export const MFA_ENROLMENT_REQUIRED =
  'Your tenant requires multi-factor authentication for Tenant Administrators. Set it up under Your account > Multi-factor authentication first.';

export function actorFromUser(user: SessionUser): Actor {
  return { tenantId: user.tenantId, label: user.email, type: 'user', id: user.id, via: 'console' };
}

/**
 * Every server action is a public endpoint: this wrapper authenticates, requires Tenant Administrator of the
 * session's tenant (the tenant comes from the session, never from input), validates with the form's own schema,
 * and turns an unexpected error into a generic message (the details go to the log, without the input).
 */
export function makeAdminAction(getUser: () => Promise<SessionUser | null>) {
  return function adminAction<S extends z.ZodType, T>(
    schema: S,
    fn: (ctx: { db: Db; actor: Actor }, input: z.output<S>) => Promise<ActionResult<T>>,
  ) {
    return async (raw: unknown): Promise<ActionResult<T>> => {
      const user = await getUser();
      if (!user) return fail('Your session has ended. Sign in again.', 'unauthenticated');
      if (!user.roleTypes.includes('tenant_administrator')) {
        return fail('You need the Tenant Administrator role to do this.', 'forbidden');
      }
      if (user.mfaEnrolmentRequired) return fail(MFA_ENROLMENT_REQUIRED, 'forbidden');
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return { ok: false, code: 'invalid', fieldErrors: zodFieldErrors(parsed.error) };
      try {
        return await fn({ db: await getDb(), actor: actorFromUser(user) }, parsed.data);
      } catch (err) {
        console.error('[action] unexpected error:', (err as Error).message.split('\n')[0]);
        return fail('Something went wrong on our side. Nothing was saved; try again.');
      }
    };
  };
}
