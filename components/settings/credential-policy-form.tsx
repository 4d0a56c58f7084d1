'use client';

import { useWatch } from 'react-hook-form';
import { updateCredentialPolicyAction } from '@/app/(console)/security/settings/actions';
import { SettingsCard, useSettingsForm } from '@/components/forms/settings-form';
import { Checkbox } from '@/components/ui/checkbox';
import { Field, Input } from '@/components/ui/field';
import type { CredentialPolicy } from '@/lib/policy/credential-policy';
import { MAX_POLICY_DAYS, updateCredentialPolicySchema } from '@/lib/policy/credential-policy.schema';

const toForm = (p: CredentialPolicy) => ({
  limitLifetime: p.maxSecretLifetimeDays !== null,
  maxDays: p.maxSecretLifetimeDays === null ? '90' : String(p.maxSecretLifetimeDays),
  allowNeverExpires: p.allowNeverExpires,
  secretlessClients: p.secretlessClients,
});

/** The credential policy: maximum secret lifetime (or no limit) and whether Never Expires is allowed. */
export function CredentialPolicyForm({ policy }: { policy: CredentialPolicy }) {
  const { form, ...card } = useSettingsForm({
    schema: updateCredentialPolicySchema,
    values: policy,
    toForm,
    action: updateCredentialPolicyAction,
    shownFields: ['limitLifetime', 'maxDays', 'allowNeverExpires', 'secretlessClients'],
  });
  const { register, setValue, control } = form;
  const { errors } = form.formState;
  const limitLifetime = useWatch({ control, name: 'limitLifetime' });
  const allowNeverExpires = useWatch({ control, name: 'allowNeverExpires' });
  const secretlessClients = useWatch({ control, name: 'secretlessClients' }) ?? false;

  return (
    <SettingsCard
      title="Credential Policy"
      description="Applies to new secrets and to changed expiration dates, in the console and through the API. Existing secrets keep their expiration."
      {...card}
    >
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
    </SettingsCard>
  );
}
