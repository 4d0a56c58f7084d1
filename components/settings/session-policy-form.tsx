'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { updateSessionPolicyAction } from '@/app/(console)/security/settings/actions';
import { applyResult } from '@/components/clients/form-result';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import type { SessionPolicy } from '@/lib/auth/session-policy';
import { IDLE_MINUTES, MAX_HOURS, updateSessionPolicySchema } from '@/lib/auth/session-policy.schema';

type FormIn = z.input<typeof updateSessionPolicySchema>;
type FormOut = z.output<typeof updateSessionPolicySchema>;
const SHOWN_FIELDS = ['idleMinutes', 'maxHours'];

/** Console Sessions: how long a console sign-in lasts without activity, and at most. */
export function SessionPolicyForm({ policy }: { policy: SessionPolicy }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const toForm = (p: SessionPolicy): FormIn => ({ idleMinutes: String(p.idleMinutes), maxHours: String(p.maxHours) });
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<FormIn, unknown, FormOut>({ resolver: zodResolver(updateSessionPolicySchema), mode: 'onTouched', defaultValues: toForm(policy) });

  const save = async (values: FormOut) => {
    setFormError(null);
    setSaved(false);
    try {
      const result = await updateSessionPolicyAction(values);
      if (result.ok) {
        reset(toForm(result.data));
        setSaved(true);
        router.refresh();
        return;
      }
      applyResult(result, setError, setFormError, SHOWN_FIELDS);
    } catch {
      setFormError('The server could not be reached. Nothing was saved; try again.');
    }
  };

  return (
    <form
      method="post"
      onSubmit={(e) => void handleSubmit(save)(e)}
      noValidate
      aria-labelledby="session-policy-title"
      className="max-w-2xl space-y-5 rounded-lg border border-slate-200 bg-white p-5"
    >
      <div>
        <h2 id="session-policy-title" className="text-lg font-semibold">
          Console Sessions
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          How long people of this tenant stay signed in to the console. Applies to sessions already open too.
        </p>
      </div>
      {formError && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {formError}
        </div>
      )}
      <Field
        label="Idle Timeout (minutes)"
        hint={`Signed out after this long without using the console: ${IDLE_MINUTES.min} to ${IDLE_MINUTES.max} minutes.`}
        error={errors.idleMinutes?.message}
      >
        {(p) => <Input {...p} inputMode="numeric" className="max-w-40" {...register('idleMinutes')} />}
      </Field>
      <Field
        label="Maximum Session Length (hours)"
        hint={`Signed out this long after signing in, however active: ${MAX_HOURS.min} to ${MAX_HOURS.max} hours.`}
        error={errors.maxHours?.message}
      >
        {(p) => <Input {...p} inputMode="numeric" className="max-w-40" {...register('maxHours')} />}
      </Field>
      <div className="flex items-center gap-3">
        <SubmitButton disabled={isSubmitting} aria-busy={isSubmitting}>
          {isSubmitting ? 'Saving…' : 'Save'}
        </SubmitButton>
        {saved && !isDirty && (
          <p role="status" className="text-sm text-green-800">
            Saved.
          </p>
        )}
      </div>
    </form>
  );
}
