'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { startTransition, useActionState, useEffect, useRef } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { choosePasswordFormAction, type ChoosePasswordState } from '@/app/sign-in/new-password/actions';
import { choosePasswordSchema } from '@/lib/auth/password-change.schema';
import { PASSWORD_MIN } from '@/lib/auth/password-policy';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';

type FormIn = z.input<typeof choosePasswordSchema>;

/**
 * A real POST form to a server action (works before hydration, like sign-in); once hydrated the same schema checks
 * each field first, the common-passwords rule included.
 */
export function ChoosePasswordForm({ email }: { email: string }) {
  const [state, formAction, pending] = useActionState<ChoosePasswordState, FormData>(choosePasswordFormAction, {});
  const formRef = useRef<HTMLFormElement>(null);
  const {
    register,
    handleSubmit,
    formState: { errors },
  } = useForm<FormIn, unknown, z.output<typeof choosePasswordSchema>>({ resolver: zodResolver(choosePasswordSchema) });

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
    <form ref={formRef} action={formAction} onSubmit={onSubmit} noValidate className="mt-6 space-y-4" aria-label="Choose your password">
      {state.formError && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {state.formError} {state.formError.startsWith('Your sign-in has expired') && <a className="underline" href="/sign-in">Sign in</a>}
        </div>
      )}
      {/* For password managers: the account the new password belongs to. */}
      <input type="email" value={email} autoComplete="username" readOnly hidden />
      <Field
        label="New password"
        hint={`At least ${PASSWORD_MIN} characters. A few unrelated words make a strong password.`}
        error={errors.newPassword?.message ?? state.fieldErrors?.newPassword}
      >
        {(p) => <Input {...p} type="password" autoComplete="new-password" autoFocus {...register('newPassword')} />}
      </Field>
      <Field label="Confirm new password" error={errors.confirmPassword?.message ?? state.fieldErrors?.confirmPassword}>
        {(p) => <Input {...p} type="password" autoComplete="new-password" {...register('confirmPassword')} />}
      </Field>
      <Button type="submit" className="w-full" disabled={pending}>
        {pending ? 'Saving…' : 'Set password and continue'}
      </Button>
    </form>
  );
}
