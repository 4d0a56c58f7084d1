'use server';

import { headers } from 'next/headers';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import { requestClientAddress } from '@/lib/auth/client-address';
import { safeCallbackUrl } from '@/lib/auth/session';
import { passkeySignInSchema } from '@/lib/auth/mfa/mfa.schema';
import { beginPasskeyAuthentication } from '@/lib/auth/mfa/passkeys';
import { currentRelyingParty } from '@/lib/auth/mfa/relying-party';
import { verifyPasskeySignIn } from '@/lib/auth/mfa/second-factor';
import { completeSignIn } from '@/lib/auth/sign-in-flow';
import { getDb } from '@/lib/db';

/**
 * "Sign in with a passkey": the whole sign-in with a discoverable passkey and user verification (no password, so the
 * password throttle's lock does not apply: its owner can still sign in while a stranger guesses at the password).
 */
export async function beginPasskeySignInAction() {
  const { stateId, options } = await beginPasskeyAuthentication(await getDb(), null, await currentRelyingParty());
  return { stateId, options };
}

export async function finishPasskeySignInAction(raw: unknown, callbackUrl: unknown): Promise<{ formError?: string; returnTo?: string }> {
  const parsed = passkeySignInSchema.safeParse(raw);
  if (!parsed.success) return { formError: 'The passkey answer was not understood. Try again.' };
  const result = await verifyPasskeySignIn(
    await getDb(),
    { stateId: parsed.data.stateId, response: parsed.data.response as unknown as AuthenticationResponseJSON },
    await currentRelyingParty(),
    { address: requestClientAddress(await headers()), expectedUserId: null },
  );
  if (!result.ok) return { formError: result.message };
  return completeSignIn({ userId: result.userId, amr: result.amr, callbackUrl: safeCallbackUrl(callbackUrl) }, { hydrated: true });
}
