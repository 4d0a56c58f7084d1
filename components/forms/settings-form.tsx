'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { useForm, type DefaultValues, type FieldValues } from 'react-hook-form';
import type { z } from 'zod';
import { applyActionResult } from '@/components/forms/action-result';
import { SubmitButton } from '@/components/ui/submit-button';
import type { ActionResult } from '@/lib/actions/result';

const UNREACHABLE = 'The server could not be reached. Nothing was saved; try again.';

/**
 * A settings card's form (Security > Settings, the notification thresholds): react-hook-form with the schema the server
 * action validates with too; Save sends it, the saved values come back into the form (so "Saved." shows until the next
 * change), the page's server data is refreshed, and a refusal lands at its fields or as the card's alert.
 */
export function useSettingsForm<In extends FieldValues, Out, Saved>({
  schema,
  values,
  toForm,
  action,
  shownFields,
}: {
  schema: z.ZodType<Out, In>;
  values: Saved;
  toForm: (saved: Saved) => In;
  action: (values: Out) => Promise<ActionResult<Saved>>;
  shownFields: readonly string[];
}) {
  const router = useRouter();
  const [formError, setFormError] = useState<string | null>(null);
  const [saved, setSaved] = useState(false);
  const form = useForm<In, unknown, Out>({
    resolver: zodResolver(schema),
    mode: 'onTouched',
    defaultValues: toForm(values) as DefaultValues<In>,
  });
  const save = async (input: Out) => {
    setFormError(null);
    setSaved(false);
    try {
      const result = await action(input);
      if (result.ok) {
        form.reset(toForm(result.data));
        setSaved(true);
        router.refresh();
        return;
      }
      applyActionResult(result, form.setError, setFormError, shownFields);
    } catch {
      setFormError(UNREACHABLE);
    }
  };
  return {
    form,
    formError,
    saved: saved && !form.formState.isDirty,
    pending: form.formState.isSubmitting,
    onSubmit: (e: React.FormEvent<HTMLFormElement>) => void form.handleSubmit(save)(e),
  };
}

/** The card every settings form is drawn in: a titled form (its accessible name), the alert, the fields, Save. */
export function SettingsCard({
  title,
  description,
  formError,
  pending,
  saved,
  onSubmit,
  className = 'max-w-2xl space-y-5',
  children,
}: {
  title: string;
  description: React.ReactNode;
  formError: string | null;
  pending: boolean;
  saved: boolean;
  onSubmit: (e: React.FormEvent<HTMLFormElement>) => void;
  className?: string;
  children: React.ReactNode;
}) {
  return (
    <form method="post" onSubmit={onSubmit} noValidate aria-label={title} className={`rounded-lg border border-slate-200 bg-white p-5 ${className}`}>
      <div>
        <h2 className="text-lg font-semibold">
          {title}
        </h2>
        <p className="mt-1 text-sm text-slate-600">{description}</p>
      </div>
      {formError && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {formError}
        </div>
      )}
      {children}
      <div className="flex items-center gap-3">
        <SubmitButton disabled={pending} aria-busy={pending}>
          {pending ? 'Saving…' : 'Save'}
        </SubmitButton>
        {saved && (
          <p role="status" className="text-sm text-green-800">
            Saved.
          </p>
        )}
      </div>
    </form>
  );
}

export { UNREACHABLE as SERVER_UNREACHABLE };
