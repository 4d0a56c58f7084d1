'use client';

import { updateThresholdsAction } from '@/app/(console)/security/notifications/actions';
import { SettingsCard, useSettingsForm } from '@/components/forms/settings-form';
import { Field, Input } from '@/components/ui/field';
import { thresholdsSchema, type ThresholdsInput } from '@/lib/notifications/channels.schema';

/** Thresholds: when a client counts as unused, and what counts as a spike of failed authentications. */
export function ThresholdsForm({ thresholds }: { thresholds: ThresholdsInput }) {
  const { form, ...card } = useSettingsForm({
    schema: thresholdsSchema,
    values: thresholds,
    toForm: (t: ThresholdsInput) => ({
      unusedDays: String(t.unusedDays),
      failureSpikeCount: String(t.failureSpikeCount),
      failureSpikeMinutes: String(t.failureSpikeMinutes),
    }),
    action: updateThresholdsAction,
    shownFields: ['unusedDays', 'failureSpikeCount', 'failureSpikeMinutes'],
  });
  const { errors } = form.formState;
  return (
    <SettingsCard
      title="Thresholds"
      description="When a client counts as unused, and how many failed authentications in how long count as a spike."
      className="space-y-4"
      {...card}
    >
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Unused After (days)" hint="No token for this many days: Client unused." error={errors.unusedDays?.message}>
          {(p) => <Input {...p} inputMode="numeric" {...form.register('unusedDays')} />}
        </Field>
        <Field label="Failure Spike (failures)" hint="More than this many failed authentications…" error={errors.failureSpikeCount?.message}>
          {(p) => <Input {...p} inputMode="numeric" {...form.register('failureSpikeCount')} />}
        </Field>
        <Field label="Within (minutes)" hint="…within this many minutes." error={errors.failureSpikeMinutes?.message}>
          {(p) => <Input {...p} inputMode="numeric" {...form.register('failureSpikeMinutes')} />}
        </Field>
      </div>
    </SettingsCard>
  );
}
