'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { signInAction, signInWithOidcAction } from '@/app/sign-in/actions';
import { signInSchema } from '@/lib/auth/sign-in.schema';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';

type FormIn = z.input<typeof signInSchema>;

export function SignInForm({ callbackUrl, oidc }: { callbackUrl: string; oidc: string | null }) {
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isSubmitting },
  } = useForm<FormIn, unknown, z.output<typeof signInSchema>>({ resolver: zodResolver(signInSchema) });

  const onSubmit = handleSubmit(async (values) => {
    setFormError(null);
    const result = await signInAction(values, callbackUrl);
    if (result?.ok && result.data) window.location.assign(result.data.returnTo);
    if (result && !result.ok) {
      for (const [k, v] of Object.entries(result.fieldErrors ?? {})) setError(k as keyof FormIn, { message: v });
      if (result.formError) setFormError(result.formError);
    }
  });

  return (
    <form onSubmit={onSubmit} noValidate className="mt-6 space-y-4" aria-label="Sign in">
      {formError && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {formError}
        </div>
      )}
      <Field label="Email" error={errors.email?.message}>
        {(p) => <Input {...p} type="email" autoComplete="username" autoFocus {...register('email')} />}
      </Field>
      <Field label="Password" error={errors.password?.message}>
        {(p) => <Input {...p} type="password" autoComplete="current-password" {...register('password')} />}
      </Field>
      <Button type="submit" className="w-full" disabled={isSubmitting}>
        {isSubmitting ? 'Signing in…' : 'Sign in'}
      </Button>
      {oidc && (
        <Button variant="secondary" className="w-full" onClick={() => void signInWithOidcAction(callbackUrl)}>
          Sign in with {oidc}
        </Button>
      )}
    </form>
  );
}
