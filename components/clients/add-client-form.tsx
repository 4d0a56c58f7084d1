'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { createClientAction } from '@/app/(console)/security/clients/actions';
import type { CreatedClient } from '@/lib/clients/create-client';
import { CLIENT_STEP_FIELDS, createClientSchema } from '@/lib/clients/create-client.schema';
import { NAME_MAX } from '@/lib/clients/limits';
import type { RoleOption } from '@/lib/roles/queries';
import { Field, Input } from '@/components/ui/field';
import { applyResult } from './form-result';
import { newGuid, oneYearFromNow } from './new-guid';
import { CredentialChoice } from './credential-choice';
import { KeyFields } from './key-fields';
import { RolePicker } from './role-picker';
import { SecretFields } from './secret-fields';

const SHOWN_FIELDS = ['name', 'tokenLifetime', 'roleIds', 'description', 'expiresAt', 'neverExpires', 'credential', 'publicKey'];

type FormIn = z.input<typeof createClientSchema>;
type FormOut = z.output<typeof createClientSchema>;
export type AddClientStep = 'client' | 'secret';

type AddClientFormProps = {
  formId: string;
  step: AddClientStep;
  onStepChange: (step: AddClientStep) => void;
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
  onCreated: (created: CreatedClient) => void;
  onDirtyChange: (dirty: boolean) => void;
  onPendingChange: (pending: boolean) => void;
  onCredentialChange?: (credential: 'secret' | 'key') => void;
};

/**
 * The body of the Add Client pane: step "client" (Name, Token Lifetime, roles) then step "secret" (Create Secret).
 * Both steps are one form, so Back keeps every value. The Client Id is generated here, once per form: a second
 * submit of the same form is refused by the server instead of creating a second client.
 */
export function AddClientForm({
  formId,
  step,
  onStepChange,
  tenantRoles,
  communityRoles,
  onCreated,
  onDirtyChange,
  onPendingChange,
  onCredentialChange,
}: AddClientFormProps) {
  const [formError, setFormError] = useState<string | null>(null);
  const submitting = useRef(false);
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(createClientSchema),
    // A field is checked when it loses focus, then as it changes: an error goes away as soon as it is fixed.
    mode: 'onTouched',
    defaultValues: {
      clientId: newGuid(),
      name: '',
      tokenLifetime: '',
      roleIds: [],
      description: '',
      neverExpires: false,
      expiresAt: oneYearFromNow(),
      credential: 'secret',
      publicKey: '',
    },
  });
  const {
    register,
    handleSubmit,
    setValue,
    setError,
    trigger,
    control,
    formState: { errors, isDirty, isSubmitting, isSubmitted },
  } = form;
  const roleIds = useWatch({ control, name: 'roleIds' }) ?? [];
  const neverExpires = useWatch({ control, name: 'neverExpires' }) ?? false;
  const credential = useWatch({ control, name: 'credential' }) ?? 'secret';
  useEffect(() => onCredentialChange?.(credential), [credential, onCredentialChange]);

  useEffect(() => onDirtyChange(isDirty), [isDirty, onDirtyChange]);
  useEffect(() => onPendingChange(isSubmitting), [isSubmitting, onPendingChange]);

  async function next() {
    if (await trigger([...CLIENT_STEP_FIELDS], { shouldFocus: true })) onStepChange('secret');
  }
  // Back to the first pane: focus Name (not on mount: the pane focuses its first field itself when it opens).
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current !== step && step === 'client') form.setFocus('name');
    shownStep.current = step;
  }, [step, form]);

  const save = async (values: FormOut) => {
    if (submitting.current) return; // a second click before React re-rendered the disabled button
    submitting.current = true;
    setFormError(null);
    try {
      const result = await createClientAction(values);
      if (result.ok) {
        onCreated(result.data);
        return;
      }
      const fields = applyResult(result, setError, setFormError, SHOWN_FIELDS);
      if (fields.some((f) => (CLIENT_STEP_FIELDS as readonly string[]).includes(f))) onStepChange('client');
    } catch {
      setFormError('The server could not be reached. Nothing was saved; try again.');
    } finally {
      submitting.current = false;
    }
  };

  return (
    <form
      id={formId}
      method="post"
      // Enter (or Next) on the first pane validates it and moves on; only the second pane saves.
      onSubmit={(e) => {
        if (step === 'client') {
          e.preventDefault();
          void next();
        } else void handleSubmit(save)(e);
      }}
      noValidate aria-label={step === 'client' ? 'Add Client' : 'Create Secret'}>
      {formError && (
        <div role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {formError}
        </div>
      )}
      <div hidden={step !== 'client'} className="space-y-5">
        <Field label="Name" hint={`Identifies the device or application that uses this client. Up to ${NAME_MAX} characters.`} error={errors.name?.message}>
          {(p) => <Input {...p} autoComplete="off" {...register('name')} />}
        </Field>
        <Field
          label="Token Lifetime"
          hint="Optional. Seconds an access token stays valid: from 60 to 3600. Empty means 3600 (one hour)."
          error={errors.tokenLifetime?.message}
        >
          {(p) => <Input {...p} inputMode="numeric" placeholder="3600" autoComplete="off" className="max-w-40" {...register('tokenLifetime')} />}
        </Field>
        <RolePicker
          tenantRoles={tenantRoles}
          communityRoles={communityRoles}
          value={roleIds}
          onChange={(ids) => setValue('roleIds', ids, { shouldDirty: true, shouldValidate: isSubmitted })}
          error={errors.roleIds?.message}
        />
      </div>
      <div hidden={step !== 'secret'}>
        {step === 'secret' && (
          <CredentialChoice value={credential} onChange={(v) => setValue('credential', v, { shouldDirty: true })} />
        )}
        {step === 'secret' && credential === 'key' && (
          <KeyFields
            showSource={false}
            autoFocus
            source="key"
            publicKey={register('publicKey')}
            description={register('description')}
            expiresAt={register('expiresAt')}
            neverExpires={neverExpires}
            onNeverExpiresChange={(v) => setValue('neverExpires', v, { shouldDirty: true, shouldValidate: isSubmitted })}
            errors={{
              publicKey: errors.publicKey?.message,
              description: errors.description?.message,
              expiresAt: errors.expiresAt?.message,
              neverExpires: errors.neverExpires?.message,
            }}
          />
        )}
        {step === 'secret' && credential === 'secret' && (
          <SecretFields
            autoFocus
            description={register('description')}
            expiresAt={register('expiresAt')}
            neverExpires={neverExpires}
            onNeverExpiresChange={(v) => setValue('neverExpires', v, { shouldDirty: true, shouldValidate: isSubmitted })}
            errors={{
              description: errors.description?.message,
              expiresAt: errors.expiresAt?.message,
              neverExpires: errors.neverExpires?.message,
            }}
          />
        )}
      </div>
    </form>
  );
}
