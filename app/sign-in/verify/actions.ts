'use server';

import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { zodFieldErrors } from '@/lib/actions/result';
import { requestClientAddress } from '@/lib/auth/client-address';
import { passkeySignInSchema, secondFactorCodeSchema } from '@/lib/auth/mfa/mfa.schema';
import { beginPasskeyAuthentication } from '@/lib/auth/mfa/passkeys';
import { currentRelyingParty } from '@/lib/auth/mfa/relying-party';
import { verifyPasskeySignIn, verifySecondFactorCode } from '@/lib/auth/mfa/second-factor';
import { clearPendingCookie, completeSignIn, pendingFromCookie } from '@/lib/auth/sign-in-flow';
import { getDb } from '@/lib/db';

/**
 * The second step of sign-in (after the password). Each action reads the half-finished sign-in from its HttpOnly
 * cookie (lib/auth/sign-in-flow.ts), never from input. Never the code in the state: with JavaScript off this state is
 * rendered into the HTML of the answer to the POST.
 */
export type VerifyState = {
  fieldErrors?: Record<string, string>;
  formError?: string;
  /** The pending sign-in is gone (five minutes passed, or it was used): start again. */
  expired?: boolean;
  /** Signed in for an application (/identity/connect/authorize): the hydrated form loads this as a page. */
  returnTo?: string;
};

const EXPIRED = 'This sign-in took too long or has already finished. Sign in again.';

/** The code form (useActionState): a plain HTML POST without JavaScript, the same call from the client afterwards. */
export async function verifyCodeAction(_previous: VerifyState, formData: FormData): Promise<VerifyState> {
  const pending = await pendingFromCookie();
  if (!pending) return { formError: EXPIRED, expired: true };
  const parsed = secondFactorCodeSchema.safeParse({ code: formData.get('code') });
  if (!parsed.success) return { fieldErrors: zodFieldErrors(parsed.error) };
  const db = await getDb();
  const result = await verifySecondFactorCode(db, pending.userId, parsed.data.code, { address: requestClientAddress(await headers()) });
  if (!result.ok) return result.locked ? { formError: result.message } : { fieldErrors: { code: result.message } };
  return completeSignIn({ ...pending, amr: [...pending.amr, ...result.amr] }, { hydrated: formData.get('hydrated') === '1' });
}

/** "Use a passkey" (needs JavaScript): options for this user's passkeys, with a single-use challenge. */
export async function beginPasskeyStepAction() {
  const pending = await pendingFromCookie();
  if (!pending) return { ok: false as const, formError: EXPIRED, expired: true };
  const { stateId, options } = await beginPasskeyAuthentication(await getDb(), pending.userId, await currentRelyingParty());
  return { ok: true as const, stateId, options };
}

export async function finishPasskeyStepAction(raw: unknown): Promise<VerifyState> {
  const pending = await pendingFromCookie();
  if (!pending) return { formError: EXPIRED, expired: true };
  const parsed = passkeySignInSchema.safeParse(raw);
  if (!parsed.success) return { formError: 'The passkey answer was not understood. Try again.' };
  const db = await getDb();
  const result = await verifyPasskeySignIn(
    db,
    { stateId: parsed.data.stateId, response: parsed.data.response as unknown as AuthenticationResponseJSON },
    await currentRelyingParty(),
    { address: requestClientAddress(await headers()), expectedUserId: pending.userId },
  );
  if (!result.ok) return { formError: result.message };
  return completeSignIn({ ...pending, amr: [...pending.amr, ...result.amr] }, { hydrated: true });
}

/** "Sign in as someone else": forget the half-finished sign-in. */
export async function cancelSignInAction() {
  await clearPendingCookie();
  redirect('/sign-in');
}
