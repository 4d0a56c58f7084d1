'use client';

import { updateSessionPolicyAction } from '@/app/(console)/security/settings/actions';
import { SettingsCard, useSettingsForm } from '@/components/forms/settings-form';
import { Field, Input } from '@/components/ui/field';
import type { SessionPolicy } from '@/lib/auth/session-policy';
import { IDLE_MINUTES, MAX_HOURS, updateSessionPolicySchema } from '@/lib/auth/session-policy.schema';

/** Console Sessions: how long a console sign-in lasts without activity, and at most. */
export function SessionPolicyForm({ policy }: { policy: SessionPolicy }) {
  const { form, ...card } = useSettingsForm({
    schema: updateSessionPolicySchema,
    values: policy,
    toForm: (p: SessionPolicy) => ({ idleMinutes: String(p.idleMinutes), maxHours: String(p.maxHours) }),
    action: updateSessionPolicyAction,
    shownFields: ['idleMinutes', 'maxHours'],
  });
  const { errors } = form.formState;
  return (
    <SettingsCard title="Console Sessions" description="How long people of this tenant stay signed in to the console. Applies to sessions already open too." {...card}>
      <Field
        label="Idle Timeout (minutes)"
        hint={`Signed out after this long without using the console: ${IDLE_MINUTES.min} to ${IDLE_MINUTES.max} minutes.`}
        error={errors.idleMinutes?.message}
      >
        {(p) => <Input {...p} inputMode="numeric" className="max-w-40" {...form.register('idleMinutes')} />}
      </Field>
      <Field
        label="Maximum Session Length (hours)"
        hint={`Signed out this long after signing in, however active: ${MAX_HOURS.min} to ${MAX_HOURS.max} hours.`}
        error={errors.maxHours?.message}
      >
        {(p) => <Input {...p} inputMode="numeric" className="max-w-40" {...form.register('maxHours')} />}
      </Field>
    </SettingsCard>
  );
}
