'use server';

import { cookies } from 'next/headers';
import { zodFieldErrors } from '@/lib/actions/result';
import { choosePasswordSchema } from '@/lib/auth/password-change.schema';
import { completeSignIn, PENDING_COOKIE, readNewPasswordPending } from '@/lib/auth/sign-in-flow';
import { getDb } from '@/lib/db';
import { chooseOwnPassword } from '@/lib/users/passwords';

/** What the page shows after a refused attempt: never the passwords (this is rendered into the HTML without JavaScript). */
export type ChoosePasswordState = { fieldErrors?: Record<string, string>; formError?: string; returnTo?: string };

const SIGN_IN_EXPIRED = 'Your sign-in has expired. Sign in again with the password you were given.';

/**
 * "Choose your password": the half-finished sign-in in the pending cookie (its password step passed within five
 * minutes, lib/auth/sign-in-flow.ts) sets the user's own password, then the sign-in completes.
 */
export async function choosePasswordFormAction(_previous: ChoosePasswordState, formData: FormData): Promise<ChoosePasswordState> {
  const pending = await readNewPasswordPending((await cookies()).get(PENDING_COOKIE)?.value);
  if (!pending) return { formError: SIGN_IN_EXPIRED };
  const raw = { newPassword: formData.get('newPassword') ?? '', confirmPassword: formData.get('confirmPassword') ?? '' };
  const parsed = choosePasswordSchema.safeParse(raw);
  if (!parsed.success) return { fieldErrors: zodFieldErrors(parsed.error) };
  const result = await chooseOwnPassword(await getDb(), pending.userId, parsed.data);
  if (!result.ok) return { fieldErrors: result.fieldErrors, formError: result.fieldErrors ? undefined : result.formError };
  return completeSignIn(pending, { hydrated: formData.get('hydrated') === '1' });
}
