'use server';

import { AuthError } from 'next-auth';
import { signIn } from '@/lib/auth/auth';
import { safeCallbackUrl } from '@/lib/auth/session';
import { signInSchema } from '@/lib/auth/sign-in.schema';
import { zodFieldErrors, type ActionResult } from '@/lib/actions/result';

export async function signInAction(raw: unknown, callbackUrl: unknown): Promise<ActionResult<null>> {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: zodFieldErrors(parsed.error) };
  try {
    await signIn('credentials', { ...parsed.data, redirectTo: safeCallbackUrl(callbackUrl) });
    return { ok: true, data: null };
  } catch (err) {
    // One message whatever was wrong: no way to tell which emails exist.
    if (err instanceof AuthError) return { ok: false, formError: 'Incorrect email or password.' };
    throw err; // the redirect after a successful sign-in
  }
}

export async function signInWithOidcAction(callbackUrl: unknown) {
  await signIn('oidc', { redirectTo: safeCallbackUrl(callbackUrl) });
}
