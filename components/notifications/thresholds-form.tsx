'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { updateThresholdsAction } from '@/app/(console)/security/notifications/actions';
import { applyResult } from '@/components/clients/form-result';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { thresholdsSchema, type ThresholdsInput } from '@/lib/notifications/channels.schema';

type FormIn = z.input<typeof thresholdsSchema>;
const SHOWN = ['unusedDays', 'failureSpikeCount', 'failureSpikeMinutes'];
const toForm = (t: ThresholdsInput): FormIn => ({
  unusedDays: String(t.unusedDays),
  failureSpikeCount: String(t.failureSpikeCount),
  failureSpikeMinutes: String(t.failureSpikeMinutes),
});

/** Thresholds: when a client counts as unused, and what counts as a spike of failed authentications. */
export function ThresholdsForm({ thresholds }: { thresholds: ThresholdsInput }) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting, isDirty },
  } = useForm<FormIn, unknown, ThresholdsInput>({ resolver: zodResolver(thresholdsSchema), mode: 'onTouched', defaultValues: toForm(thresholds) });
  const save = async (values: ThresholdsInput) => {
    setFormError(null);
    setSaved(false);
    try {
      const result = await updateThresholdsAction(values);
      if (result.ok) {
        reset(toForm(result.data));
        setSaved(true);
        router.refresh();
        return;
      }
      applyResult(result, setError, setFormError, SHOWN);
    } catch {
      setFormError('The server could not be reached. Nothing was saved; try again.');
    }
  };
  return (
    <form method="post" onSubmit={(e) => void handleSubmit(save)(e)} noValidate aria-labelledby="thresholds-title" className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <div>
        <h2 id="thresholds-title" className="text-lg font-semibold">
          Thresholds
        </h2>
        <p className="mt-1 text-sm text-slate-600">When a client counts as unused, and how many failed authentications in how long count as a spike.</p>
      </div>
      {formError && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {formError}
        </div>
      )}
      <div className="grid gap-4 sm:grid-cols-3">
        <Field label="Unused After (days)" hint="No token for this many days: Client unused." error={errors.unusedDays?.message}>
          {(p) => <Input {...p} inputMode="numeric" {...register('unusedDays')} />}
        </Field>
        <Field label="Failure Spike (failures)" hint="More than this many failed authentications…" error={errors.failureSpikeCount?.message}>
          {(p) => <Input {...p} inputMode="numeric" {...register('failureSpikeCount')} />}
        </Field>
        <Field label="Within (minutes)" hint="…within this many minutes." error={errors.failureSpikeMinutes?.message}>
          {(p) => <Input {...p} inputMode="numeric" {...register('failureSpikeMinutes')} />}
        </Field>
      </div>
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
