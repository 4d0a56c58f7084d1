import type { z } from 'zod';
import { zodFieldErrors, type ActionResult } from './result';

/**
 * Domain writes validate their input again with the operation's schema: the server action has already done so,
 * but the same functions serve tests and the REST API, and a bad input must come back as field errors, not a throw.
 */
export function validate<S extends z.ZodType>(
  schema: S,
  raw: unknown,
): { ok: true; data: z.output<S> } | { ok: false; failure: ActionResult<never> } {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, failure: { ok: false, code: 'invalid', fieldErrors: zodFieldErrors(parsed.error) } };
}
