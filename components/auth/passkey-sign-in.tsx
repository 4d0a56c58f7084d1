'use client';

import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { useState } from 'react';
import { beginPasskeySignInAction, finishPasskeySignInAction } from '@/app/sign-in/passkey-actions';
import { Button } from '@/components/ui/button';
import { useHydrated } from '@/components/ui/submit-button';

/** "Sign in with a passkey" (needs JavaScript): the browser offers the passkeys it holds for this site. */
export function PasskeySignIn({ callbackUrl }: { callbackUrl: string }) {
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const supported = hydrated && browserSupportsWebAuthn();

  async function signIn() {
    setError(null);
    setBusy(true);
    try {
      const begun = await beginPasskeySignInAction();
      let response;
      try {
        response = await startAuthentication({ optionsJSON: begun.options });
      } catch (err) {
        const name = (err as { name?: string })?.name;
        return setError(
          name === 'NotAllowedError' || name === 'AbortError'
            ? 'No passkey was used: the request was cancelled or timed out.'
            : 'Your browser could not use a passkey. Sign in with your password instead.',
        );
      }
      const result = await finishPasskeySignInAction({ stateId: begun.stateId, response }, callbackUrl);
      if (result?.returnTo) window.location.assign(result.returnTo);
      else if (result?.formError) setError(result.formError);
    } catch (err) {
      if ((err as { digest?: string })?.digest?.startsWith('NEXT_REDIRECT')) throw err;
      setError('The server could not be reached. Try again.');
    } finally {
      setBusy(false);
    }
  }

  if (hydrated && !supported) return null;
  return (
    <div className="space-y-2">
      {error && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </div>
      )}
      <Button variant="secondary" className="w-full" disabled={!supported || busy} aria-busy={busy} onClick={() => void signIn()}>
        Sign in with a passkey
      </Button>
    </div>
  );
}
