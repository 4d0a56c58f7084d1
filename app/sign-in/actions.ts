'use server';

import { AuthError } from 'next-auth';
import { signIn } from '@/lib/auth/auth';
import { safeCallbackUrl } from '@/lib/auth/session';
import { signInSchema } from '@/lib/auth/sign-in.schema';
import { zodFieldErrors, type ActionResult } from '@/lib/actions/result';
import { returnsToIdentity } from '@/lib/oidc/sign-in-application';

export async function signInAction(raw: unknown, callbackUrl: unknown): Promise<ActionResult<{ returnTo: string } | null>> {
  const parsed = signInSchema.safeParse(raw);
  if (!parsed.success) return { ok: false, fieldErrors: zodFieldErrors(parsed.error) };
  const target = safeCallbackUrl(callbackUrl);
  try {
    if (returnsToIdentity(target)) {
      // Back to /identity/connect/authorize, which redirects to the application: the browser must load it as a
      // page, so the form navigates (a redirect from an action would be fetched by the client router).
      await signIn('credentials', { ...parsed.data, redirect: false });
      return { ok: true, data: { returnTo: target } };
    }
    await signIn('credentials', { ...parsed.data, redirectTo: target });
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
