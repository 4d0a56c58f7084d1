'use client';

import type { FormEvent } from 'react';
import { useEffect, useRef } from 'react';
import { useWatch, type FieldValues, type Path, type PathValue, type UseFormRegisterReturn, type UseFormReturn } from 'react-hook-form';
import { Field, Input } from '@/components/ui/field';
import { messageOf } from './action-form';

type ClientValues = { name?: unknown; tokenLifetime?: unknown; roleIds?: unknown };
const field = <T extends FieldValues>(n: keyof ClientValues) => n as Path<T>;

/**
 * The props of Name, Token Lifetime and the role picker for a form that has name, tokenLifetime and roleIds (Add
 * Client of every type, Edit Client). Picking roles marks the form dirty and re-validates once submitted.
 */
export function useClientFields<TIn extends FieldValues & ClientValues, TOut>(form: UseFormReturn<TIn, unknown, TOut>) {
  const { register, setValue, control, formState } = form;
  const { errors, isSubmitted } = formState;
  const roleIds = (useWatch({ control, name: field<TIn>('roleIds') }) as string[] | undefined) ?? [];
  return {
    name: { field: register(field<TIn>('name')), error: messageOf(errors.name) },
    tokenLifetime: { field: register(field<TIn>('tokenLifetime')), error: messageOf(errors.tokenLifetime) },
    roles: {
      value: roleIds,
      onChange: (ids: string[]) =>
        setValue(field<TIn>('roleIds'), ids as PathValue<TIn, Path<TIn>>, { shouldDirty: true, shouldValidate: isSubmitted }),
      error: messageOf(errors.roleIds),
    },
  };
}

type TextFieldProps = { hint: string; field: UseFormRegisterReturn; error?: string };

export function NameField({ hint, field: registered, error }: TextFieldProps) {
  return (
    <Field label="Name" hint={hint} error={error}>
      {(p) => <Input {...p} autoComplete="off" {...registered} />}
    </Field>
  );
}

export function TokenLifetimeField({ hint, field: registered, error }: TextFieldProps) {
  return (
    <Field label="Token Lifetime" hint={hint} error={error}>
      {(p) => <Input {...p} inputMode="numeric" placeholder="3600" autoComplete="off" className="max-w-40" {...registered} />}
    </Field>
  );
}

export type AddClientStep = 'client' | 'secret';

/** What the Add Client pane gives its form (see AddClientPane). */
export type AddClientPaneFormProps = {
  formId: string;
  step: AddClientStep;
  onStepChange: (step: AddClientStep) => void;
  onDirtyChange: (dirty: boolean) => void;
  onPendingChange: (pending: boolean) => void;
};

/**
 * Add Client's two panes in one form, so Back keeps every value. While `advance` is set, Enter (or Next) validates
 * the first pane's fields and moves on instead of saving. Back on the first pane focuses Name (not on mount: the
 * pane focuses its first field itself when it opens). After a failed save, `backOnError` returns to the first pane
 * when one of its fields got an error.
 */
export function useAddClientSteps<TIn extends FieldValues & ClientValues, TOut>(
  form: UseFormReturn<TIn, unknown, TOut>,
  { step, onStepChange, stepFields }: { step: AddClientStep; onStepChange: (step: AddClientStep) => void; stepFields: readonly string[] },
) {
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current !== step && step === 'client') form.setFocus(field<TIn>('name'));
    shownStep.current = step;
  }, [step, form]);

  return {
    onSubmit: (advance: boolean, save: (values: TOut) => Promise<unknown>) => (e: FormEvent<HTMLFormElement>) => {
      if (!advance) return void form.handleSubmit(save)(e);
      e.preventDefault();
      void form.trigger([...stepFields] as Path<TIn>[], { shouldFocus: true }).then((valid) => valid && onStepChange('secret'));
    },
    backOnError: (fields: string[]) => {
      if (fields.some((f) => stepFields.includes(f))) onStepChange('client');
    },
  };
}
