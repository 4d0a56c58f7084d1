import type { z } from 'zod';
import { getDb, type Db } from '../db';
import type { SessionUser } from './actor';
import { fail, zodFieldErrors, type ActionResult } from './result';

export type CurrentSession = { user: SessionUser; sessionId: string };

/**
 * For actions on one's own account (/account): like makeAdminAction, every call authenticates (the session row is
 * checked), validates with the form's own schema, and turns an unexpected error into a generic message; no role is
 * needed, and everything is scoped to the session's own user.
 */
export function makeSignedInAction(getSession: () => Promise<CurrentSession | null>) {
  return function signedInAction<S extends z.ZodType, T>(
    schema: S,
    fn: (ctx: { db: Db; session: CurrentSession }, input: z.output<S>) => Promise<ActionResult<T>>,
  ) {
    return async (raw: unknown): Promise<ActionResult<T>> => {
      const session = await getSession();
      if (!session) return fail('Your session has ended. Sign in again.', 'unauthenticated');
      const parsed = schema.safeParse(raw);
      if (!parsed.success) return { ok: false, code: 'invalid', fieldErrors: zodFieldErrors(parsed.error) };
      try {
        return await fn({ db: await getDb(), session }, parsed.data);
      } catch (err) {
        console.error('[action] unexpected error:', (err as Error).message.split('\n')[0]);
        return fail('Something went wrong on our side. Nothing was saved; try again.');
      }
    };
  };
}
