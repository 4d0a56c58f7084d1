'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { updateCredentialPolicyAction } from '@/app/(console)/security/settings/actions';
import type { CredentialPolicy } from '@/lib/policy/credential-policy';
import { MAX_POLICY_DAYS, updateCredentialPolicySchema } from '@/lib/policy/credential-policy.schema';
import { SubmitButton } from '@/components/ui/submit-button';
import { Checkbox } from '@/components/ui/checkbox';
import { Field, Input } from '@/components/ui/field';
import { applyResult } from '@/components/clients/form-result';

type FormIn = z.input<typeof updateCredentialPolicySchema>;
type FormOut = z.output<typeof updateCredentialPolicySchema>;
const SHOWN_FIELDS = ['limitLifetime', 'maxDays', 'allowNeverExpires', 'secretlessClients'];

/** The credential policy: maximum secret lifetime (or no limit) and whether Never Expires is allowed. */
export function CredentialPolicyForm({ policy }: { policy: CredentialPolicy }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const {
    register,
    handleSubmit,
    setValue,
    setError,
    control,
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(updateCredentialPolicySchema),
    mode: 'onTouched',
    defaultValues: {
      limitLifetime: policy.maxSecretLifetimeDays !== null,
      maxDays: policy.maxSecretLifetimeDays === null ? '90' : String(policy.maxSecretLifetimeDays),
      allowNeverExpires: policy.allowNeverExpires,
      secretlessClients: policy.secretlessClients,
    },
  });
  const limitLifetime = useWatch({ control, name: 'limitLifetime' });
  const allowNeverExpires = useWatch({ control, name: 'allowNeverExpires' });
  const secretlessClients = useWatch({ control, name: 'secretlessClients' }) ?? false;

  const save = async (values: FormOut) => {
    setFormError(null);
    setSaved(false);
    try {
      const result = await updateCredentialPolicyAction(values);
      if (result.ok) {
        reset({
          limitLifetime: result.data.maxSecretLifetimeDays !== null,
          maxDays: result.data.maxSecretLifetimeDays === null ? '90' : String(result.data.maxSecretLifetimeDays),
          allowNeverExpires: result.data.allowNeverExpires,
          secretlessClients: result.data.secretlessClients,
        });
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
      aria-label="Credential Policy"
      className="max-w-2xl space-y-5 rounded-lg border border-slate-200 bg-white p-5"
    >
      <div>
        <h2 id="credential-policy-title" className="text-lg font-semibold">
          Credential Policy
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Applies to new secrets and to changed expiration dates, in the console and through the API. Existing secrets keep
          their expiration.
        </p>
      </div>
      {formError && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {formError}
        </div>
      )}
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Maximum Secret Lifetime</legend>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name="limitLifetime"
            checked={!limitLifetime}
            onChange={() => setValue('limitLifetime', false, { shouldDirty: true })}
            className="h-4 w-4 accent-brand-600"
          />
          No limit
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input
            type="radio"
            name="limitLifetime"
            checked={limitLifetime}
            onChange={() => setValue('limitLifetime', true, { shouldDirty: true })}
            className="h-4 w-4 accent-brand-600"
          />
          Limit secrets to a number of days
        </label>
      </fieldset>
      {limitLifetime && (
        <Field label="Maximum Lifetime (days)" hint={`1 to ${MAX_POLICY_DAYS} days from when the secret is created or its date changed.`} error={errors.maxDays?.message}>
          {(p) => <Input {...p} inputMode="numeric" className="max-w-40" {...register('maxDays')} />}
        </Field>
      )}
      <Checkbox
        label="Allow Never Expires"
        description="When off, every new secret needs an expiration date."
        checked={allowNeverExpires}
        onCheckedChange={(v) => setValue('allowNeverExpires', v, { shouldDirty: true })}
      />
      <Checkbox
        label="Clients may only use keys and federated credentials (no secrets)"
        description="Add Secret and a Client Secret in Add Client are refused, in the console and through the API. Existing secrets keep working until they expire or are removed."
        checked={secretlessClients}
        onCheckedChange={(v) => setValue('secretlessClients', v, { shouldDirty: true })}
      />
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
