'use client';

import { useEffect, useRef, useState } from 'react';
import { useWatch, type FieldValues, type Path, type PathValue, type UseFormReturn } from 'react-hook-form';
import type { ActionResult } from '@/lib/actions/result';
import { Button } from '@/components/ui/button';
import { applyActionResult } from '@/components/forms/action-result';

type Options = {
  /** Fields the form shows: a server error for any other field becomes the form's message. */
  shownFields: readonly string[];
  /** The pane around the form: typed values would be lost / a save is under way. */
  onDirtyChange?: (dirty: boolean) => void;
  onPendingChange?: (pending: boolean) => void;
};

/**
 * What every client form does with its server action: calls it once at a time (a second click before React
 * re-rendered the disabled button does nothing), hands the data to `onOk`, and otherwise puts the server's errors
 * where the user looks (see applyActionResult). `submit` returns the fields that got an error. `conflict` is set when the
 * server refused an edit because someone else saved first.
 */
export function useActionForm<TIn extends FieldValues, TOut>(
  form: UseFormReturn<TIn, unknown, TOut>,
  { shownFields, onDirtyChange, onPendingChange }: Options,
) {
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const running = useRef(false);
  const { isDirty, isSubmitting } = form.formState;
  useEffect(() => onDirtyChange?.(isDirty), [isDirty, onDirtyChange]);
  useEffect(() => onPendingChange?.(isSubmitting), [isSubmitting, onPendingChange]);
  const { setError } = form;

  async function submit<D>(call: () => Promise<ActionResult<D>>, onOk: (data: D) => void): Promise<string[]> {
    if (running.current) return [];
    running.current = true;
    setFormError(null);
    setConflict(false);
    try {
      const result = await call();
      if (result.ok) {
        onOk(result.data);
        return [];
      }
      if (result.code === 'conflict') setConflict(true);
      return applyActionResult(result, setError, setFormError, shownFields);
    } catch {
      setFormError('The server could not be reached. Nothing was saved; try again.');
      return [];
    } finally {
      running.current = false;
    }
  }

  return { formError, conflict, submit };
}

/** The form's own message (the server refused, or could not be reached), with Reload after an edit conflict. */
export function FormError({ message, onReload, className = '' }: { message: string | null; onReload?: () => void; className?: string }) {
  if (!message) return null;
  return (
    <div role="alert" className={`${className} rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800`.trim()}>
      <p>{message}</p>
      {onReload && (
        <Button variant="secondary" size="sm" className="mt-2" onClick={onReload}>
          Reload
        </Button>
      )}
    </div>
  );
}

/** Optional: zod's input types mark fields with defaults optional. */
type ExpiryValues = { description?: unknown; expiresAt?: unknown; neverExpires?: unknown };

/**
 * The props of SecretFields (and the expiry part of KeyFields) for a form that has description, expiresAt and
 * neverExpires. One place for how Never Expires is set: it marks the form dirty and re-validates once submitted.
 */
export function useExpiryFields<TIn extends FieldValues & ExpiryValues, TOut>(form: UseFormReturn<TIn, unknown, TOut>) {
  const { register, setValue, control, formState } = form;
  const { errors, isSubmitted } = formState;
  const name = (n: keyof ExpiryValues) => n as Path<TIn>;
  const neverExpires = (useWatch({ control, name: name('neverExpires') }) as boolean | undefined) ?? false;
  return {
    description: register(name('description')),
    expiresAt: register(name('expiresAt')),
    neverExpires,
    onNeverExpiresChange: (v: boolean) =>
      setValue(name('neverExpires'), v as PathValue<TIn, Path<TIn>>, { shouldDirty: true, shouldValidate: isSubmitted }),
    errors: {
      description: messageOf(errors.description),
      expiresAt: messageOf(errors.expiresAt),
      neverExpires: messageOf(errors.neverExpires),
    },
  };
}

export const messageOf = (e: unknown) => (e && typeof e === 'object' && 'message' in e && typeof e.message === 'string' ? e.message : undefined);
