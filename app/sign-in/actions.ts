'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import { signIn } from '@/lib/auth/auth';
import { requestClientAddress } from '@/lib/auth/client-address';
import { safeCallbackUrl } from '@/lib/auth/session';
import { signInSchema } from '@/lib/auth/sign-in.schema';
import {
  completeSignIn,
  lockedMessage,
  passwordStep,
  SECOND_FACTOR_PATH,
  setPendingCookie,
} from '@/lib/auth/sign-in-flow';
import { zodFieldErrors } from '@/lib/actions/result';
import { getDb } from '@/lib/db';

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
 * the client afterwards. The password step (lib/auth/sign-in-flow.ts); then the second factor's page, or the
 * session and a 303 to the callback URL.
 */
export async function signInFormAction(_previous: SignInState, formData: FormData): Promise<SignInState> {
  const rawEmail = formData.get('email');
  const email = typeof rawEmail === 'string' ? rawEmail.slice(0, 320) : '';
  const parsed = signInSchema.safeParse({ email: rawEmail, password: formData.get('password') });
  if (!parsed.success) return { fieldErrors: zodFieldErrors(parsed.error), email };
  const callbackUrl = safeCallbackUrl(formData.get('callbackUrl'));
  const h = await headers();
  const result = await passwordStep(await getDb(), {
    ...parsed.data,
    address: requestClientAddress(h),
    userAgent: h.get('user-agent'),
    callbackUrl,
  });
  switch (result.kind) {
    case 'invalid':
      // One message whatever was wrong: no way to tell which emails exist.
      return { formError: 'Incorrect email or password.', email };
    case 'locked':
      return { formError: lockedMessage(result.retryAfterSeconds), email };
    case 'second-factor':
      await setPendingCookie(result.pending);
      redirect(SECOND_FACTOR_PATH);
    case 'complete':
      return completeSignIn({ userId: result.user.id, amr: result.amr, callbackUrl }, { hydrated: formData.get('hydrated') === '1' });
  }
}

export async function signInWithOidcAction(callbackUrl: unknown) {
  await signIn('oidc', { redirectTo: safeCallbackUrl(callbackUrl) });
}
