'use client';

import { browserSupportsWebAuthn, startAuthentication } from '@simplewebauthn/browser';
import { startTransition, useActionState, useEffect, useRef, useState } from 'react';
import {
  beginPasskeyStepAction,
  cancelSignInAction,
  finishPasskeyStepAction,
  verifyCodeAction,
  type VerifyState,
} from '@/app/sign-in/verify/actions';
import { secondFactorCodeSchema } from '@/lib/auth/mfa/mfa.schema';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { useHydrated } from '@/components/ui/submit-button';

function Alert({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </div>
  );
}

/**
 * The second step's code form: a real POST form to a server action, so it works before the page's JavaScript has run
 * (or without it). Once hydrated, the same schema checks the field first. "Use a passkey" needs JavaScript.
 */
export function SecondFactorForm({ passkey }: { passkey: boolean }) {
  const [state, formAction, pending] = useActionState<VerifyState, FormData>(verifyCodeAction, {});
  const [clientError, setClientError] = useState<string | null>(null);
  const formRef = useRef<HTMLFormElement>(null);

  useEffect(() => {
    if (state.returnTo) window.location.assign(state.returnTo);
  }, [state.returnTo]);

  const onSubmit = (e: React.FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(formRef.current!);
    const parsed = secondFactorCodeSchema.safeParse({ code: data.get('code') });
    if (!parsed.success) {
      setClientError(parsed.error.issues[0].message);
      return;
    }
    setClientError(null);
    data.set('hydrated', '1');
    startTransition(() => formAction(data));
  };

  return (
    <div className="mt-6 space-y-4">
      <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="space-y-4" aria-label="Verify your sign-in">
        <Alert message={state.formError} />
        <Field
          label="Authentication code"
          hint="6 digits from your app, or a recovery code like xxxx-xxxx-xxxx-xxxx."
          error={clientError ?? state.fieldErrors?.code}
        >
          {(p) => <Input {...p} name="code" autoComplete="one-time-code" autoFocus spellCheck={false} autoCapitalize="off" />}
        </Field>
        <Button type="submit" className="w-full" disabled={pending}>
          {pending ? 'Verifying…' : 'Verify'}
        </Button>
      </form>
      {passkey && <PasskeyStep />}
      <form action={cancelSignInAction} className="text-center">
        <button type="submit" className="text-sm text-brand-700 underline">
          Sign in as someone else
        </button>
      </form>
    </div>
  );
}

function passkeyError(err: unknown): string {
  const name = (err as { name?: string })?.name;
  if (name === 'NotAllowedError' || name === 'AbortError') return 'The passkey request was cancelled or timed out. Try again.';
  return 'Your browser could not use a passkey. Try again, or enter a code.';
}

function PasskeyStep() {
  const hydrated = useHydrated();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const supported = hydrated && browserSupportsWebAuthn();

  async function signInWithPasskey() {
    setError(null);
    setBusy(true);
    try {
      const begun = await beginPasskeyStepAction();
      if (!begun.ok) return setError(begun.formError);
      let response;
      try {
        response = await startAuthentication({ optionsJSON: begun.options });
      } catch (err) {
        return setError(passkeyError(err));
      }
      const result = await finishPasskeyStepAction({ stateId: begun.stateId, response });
      // Success redirects (a navigation by the router), or hands back an application's address to load.
      if (result?.returnTo) window.location.assign(result.returnTo);
      else if (result?.formError) setError(result.formError);
    } catch (err) {
      if ((err as { digest?: string })?.digest?.startsWith('NEXT_REDIRECT')) throw err;
      setError('The server could not be reached. Try again.');
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="space-y-2 border-t border-slate-200 pt-4">
      <Alert message={error} />
      <Button variant="secondary" className="w-full" disabled={!supported || busy} aria-busy={busy} onClick={() => void signInWithPasskey()}>
        Use a passkey
      </Button>
      {hydrated && !supported && <p className="text-xs text-slate-600">This browser does not support passkeys.</p>}
    </div>
  );
}
