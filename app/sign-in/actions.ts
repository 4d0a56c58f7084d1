'use server';

import { AuthError } from 'next-auth';
import { signIn } from '@/lib/auth/auth';
import { safeCallbackUrl } from '@/lib/auth/session';
import { signInSchema } from '@/lib/auth/sign-in.schema';
import { zodFieldErrors } from '@/lib/actions/result';
import { returnsToIdentity } from '@/lib/oidc/sign-in-application';

/**
 * What the sign-in page shows after a failed attempt. Never the password: with JavaScript off this state is
 * rendered into the HTML of the answer to the POST.
 */
export type SignInState = {
  fieldErrors?: Record<string, string>;
  formError?: string;
  email?: string;
  /** Signed in for an application (/identity/connect/authorize): the hydrated form loads this as a page. */
  returnTo?: string;
};

/**
 * The sign-in form's action (useActionState): a plain HTML POST before or without JavaScript, the same call from
 * the client afterwards. On success next-auth redirects (303) to the callback URL.
 */
export async function signInFormAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const rawEmail = formData.get('email');
  const email = typeof rawEmail === 'string' ? rawEmail.slice(0, 320) : '';
  const parsed = signInSchema.safeParse({ email: rawEmail, password: formData.get('password') });
  if (!parsed.success) return { fieldErrors: zodFieldErrors(parsed.error), email };
  try {
    const target = safeCallbackUrl(formData.get('callbackUrl'));
    if (returnsToIdentity(target) && formData.get('hydrated') === '1') {
      // Back to authorize, which redirects to the application: a redirect from an action called by the hydrated
      // form would be fetched by the client router, so the form navigates itself. A plain POST gets the 303.
      await signIn('credentials', { ...parsed.data, redirect: false });
      return { returnTo: target };
    }
    await signIn('credentials', { ...parsed.data, redirectTo: target });
    return {};
  } catch (err) {
    // One message whatever was wrong: no way to tell which emails exist.
    if (err instanceof AuthError) return { formError: 'Incorrect email or password.', email };
    throw err; // the redirect after a successful sign-in
  }
}

export async function signInWithOidcAction(callbackUrl: unknown) {
  await signIn('oidc', { redirectTo: safeCallbackUrl(callbackUrl) });
}
