'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { changePasswordAction } from '@/app/(console)/account/actions';
import { applyActionResult } from '@/components/forms/action-result';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { changePasswordSchema } from '@/lib/auth/password-change.schema';
import { PASSWORD_MIN } from '@/lib/auth/password-policy';

type FormIn = z.input<typeof changePasswordSchema>;
type FormOut = z.output<typeof changePasswordSchema>;
const SHOWN_FIELDS = ['currentPassword', 'newPassword', 'confirmPassword'];
const EMPTY: FormIn = { currentPassword: '', newPassword: '', confirmPassword: '' };

/** /account "Change password": the current password, the new one twice; other sessions end on success. */
export function ChangePasswordForm({ email }: { email: string }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = useForm<FormIn, unknown, FormOut>({ resolver: zodResolver(changePasswordSchema), mode: 'onTouched', defaultValues: EMPTY });

  const save = async (values: FormOut) => {
    setFormError(null);
    setDone(null);
    try {
      const result = await changePasswordAction(values);
      if (result.ok) {
        // The passwords leave the form's state at once.
        reset(EMPTY);
        const n = result.data.sessionsEnded;
        setDone(`Password changed.${n ? ` ${n === 1 ? '1 other session was' : `${n} other sessions were`} signed out.` : ''}`);
        router.refresh();
        return;
      }
      applyActionResult(result, setError, setFormError, SHOWN_FIELDS);
    } catch {
      setFormError('The server could not be reached. Nothing was changed; try again.');
    }
  };

  return (
    <form
      method="post"
      onSubmit={(e) => void handleSubmit(save)(e)}
      noValidate
      aria-labelledby="change-password-title"
      className="mt-10 max-w-xl space-y-4 rounded-lg border border-slate-200 bg-white p-5"
    >
      <div>
        <h2 id="change-password-title" className="text-lg font-semibold">
          Change password
        </h2>
        <p className="mt-1 text-sm text-slate-600">Your other sessions are signed out when you change it.</p>
      </div>
      {formError && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {formError}
        </div>
      )}
      {/* For password managers: the account the new password belongs to. */}
      <input type="email" value={email} autoComplete="username" readOnly hidden />
      <Field label="Current password" error={errors.currentPassword?.message}>
        {(p) => <Input {...p} type="password" autoComplete="current-password" {...register('currentPassword')} />}
      </Field>
      <Field
        label="New password"
        hint={`At least ${PASSWORD_MIN} characters. A few unrelated words make a strong password.`}
        error={errors.newPassword?.message}
      >
        {(p) => <Input {...p} type="password" autoComplete="new-password" {...register('newPassword')} />}
      </Field>
      <Field label="Confirm new password" error={errors.confirmPassword?.message}>
        {(p) => <Input {...p} type="password" autoComplete="new-password" {...register('confirmPassword')} />}
      </Field>
      <div className="flex items-center gap-3">
        <SubmitButton disabled={isSubmitting} aria-busy={isSubmitting}>
          {isSubmitting ? 'Changing…' : 'Change password'}
        </SubmitButton>
        <p role="status" className="text-sm text-green-800">
          {done}
        </p>
      </div>
    </form>
  );
}
