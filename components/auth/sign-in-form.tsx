'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { startTransition, useActionState, useEffect, useRef } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { signInFormAction, signInWithOidcAction, type SignInState } from '@/app/sign-in/actions';
import { signInSchema } from '@/lib/auth/sign-in.schema';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';

type FormIn = z.input<typeof signInSchema>;

/**
 * A real POST form to a server action, so it signs in before the page's JavaScript has run (or without it) and the
 * password never lands in a URL. Once hydrated, the same schema validates at the fields first, as before.
 */
export function SignInForm({ callbackUrl, oidc }: { callbackUrl: string; oidc: string | null }) {
  const [state, formAction, pending] = useActionState<SignInState, FormData>(signInFormAction, {});
  const formRef = useRef<HTMLFormElement>(null);
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<FormIn, unknown, z.output<typeof signInSchema>>({
    resolver: zodResolver(signInSchema),
    defaultValues: { email: state.email ?? '' },
  });

  // Signed in for an application: a full page load of authorize (lib/oidc), never a client-side route.
  useEffect(() => {
    if (state.returnTo) window.location.assign(state.returnTo);
  }, [state.returnTo]);

  const onSubmit = (e: React.FormEvent<HTMLFormElement>) =>
    void handleSubmit(() => {
      const data = new FormData(formRef.current!);
      data.set('hydrated', '1');
      startTransition(() => formAction(data));
    })(e);

  return (
    <form
      ref={formRef}
      action={formAction}
      onSubmit={onSubmit}
      noValidate
      className="mt-6 space-y-4"
      aria-label="Sign in"
    >
      {state.formError && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.formError}
        </div>
      )}
      <input type="hidden" name="callbackUrl" value={callbackUrl} />
      <Field label="Email" error={errors.email?.message ?? state.fieldErrors?.email}>
        {(p) => (
          <Input
            {...p}
            type="email"
            autoComplete="username"
            autoFocus
            defaultValue={state.email}
            {...register('email')}
          />
        )}
      </Field>
      <Field label="Password" error={errors.password?.message ?? state.fieldErrors?.password}>
        {(p) => <Input {...p} type="password" autoComplete="current-password" {...register('password')} />}
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
      {oidc && (
        <Button variant="secondary" className="w-full" onClick={() => void signInWithOidcAction(callbackUrl)}>
          Sign in with {oidc}
        </Button>
      )}
    </form>
  );
}
