import type { z } from 'zod';

/** The one return shape of every action and domain write: expected failures are values, only bugs throw. */
export type ActionResult<T> =
  | { ok: true; data: T }
  | { ok: false; fieldErrors?: Record<string, string>; formError?: string; code?: FailureCode };

export type FailureCode = 'unauthenticated' | 'forbidden' | 'invalid' | 'not_found' | 'conflict' | 'limit';

export const ok = <T>(data: T): ActionResult<T> => ({ ok: true, data });
export const fail = (
  formError: string,
  code: FailureCode = 'invalid',
  fieldErrors?: Record<string, string>,
): { ok: false; formError: string; code: FailureCode; fieldErrors?: Record<string, string> } => ({
  ok: false,
  formError,
  code,
  ...(fieldErrors ? { fieldErrors } : {}),
});
export const fieldFail = (fieldErrors: Record<string, string>): ActionResult<never> => ({
  ok: false,
  fieldErrors,
  code: 'invalid',
});

/** zod issues to one message per field path ("roleIds", "secret.expiresAt"). */
export function zodFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const key = issue.path.map(String).join('.') || '_form';
    out[key] ??= issue.message;
  }
  return out;
}
