'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useRef, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { createUserClientAction } from '@/app/(console)/security/clients/actions';
import type { CreatedUserClient } from '@/lib/clients/create-user-client';
import { NAME_MAX } from '@/lib/clients/limits';
import { createUserClientSchema, USER_CLIENT_STEP_FIELDS } from '@/lib/clients/user-client.schema';
import type { UserClientType } from '@/lib/clients/client-types';
import type { RoleOption } from '@/lib/roles/queries';
import { Field, Input } from '@/components/ui/field';
import type { AddClientStep } from './add-client-form';
import { applyResult } from './form-result';
import { newGuid, oneYearFromNow } from './new-guid';
import { RolePicker } from './role-picker';
import { SecretFields } from './secret-fields';
import { SignInUrlFields } from './sign-in-url-fields';

const SHOWN_FIELDS = [...USER_CLIENT_STEP_FIELDS, 'description', 'expiresAt', 'neverExpires'];

type FormIn = z.input<typeof createUserClientSchema>;
type FormOut = z.output<typeof createUserClientSchema>;

type Props = {
  formId: string;
  clientType: UserClientType;
  step: AddClientStep;
  onStepChange: (step: AddClientStep) => void;
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
  onCreated: (created: CreatedUserClient) => void;
  onDirtyChange: (dirty: boolean) => void;
  onPendingChange: (pending: boolean) => void;
};

/**
 * Add Client for Authorization Code clients (one pane, Save: no secret) and Hybrid clients (the client pane, then
 * Create Secret, then Save). One form for both panes, so Back keeps every value; the Client Id is generated once.
 */
export function AddUserClientForm({
  formId,
  clientType,
  step,
  onStepChange,
  tenantRoles,
  communityRoles,
  onCreated,
  onDirtyChange,
  onPendingChange,
}: Props) {
  const [formError, setFormError] = useState<string | null>(null);
  const submitting = useRef(false);
  const hybrid = clientType === 'hybrid';
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(createUserClientSchema),
    mode: 'onTouched',
    defaultValues: {
      clientId: newGuid(),
      clientType,
      name: '',
      tokenLifetime: '',
      roleIds: [],
      redirectUris: '',
      postLogoutRedirectUris: '',
      allowedCorsOrigins: '',
      refreshTokenLifetime: '',
      description: '',
      neverExpires: false,
      expiresAt: oneYearFromNow(),
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

  useEffect(() => onDirtyChange(isDirty), [isDirty, onDirtyChange]);
  useEffect(() => onPendingChange(isSubmitting), [isSubmitting, onPendingChange]);

  async function next() {
    if (await trigger([...USER_CLIENT_STEP_FIELDS], { shouldFocus: true })) onStepChange('secret');
  }
  const shownStep = useRef(step);
  useEffect(() => {
    if (shownStep.current !== step && step === 'client') form.setFocus('name');
    shownStep.current = step;
  }, [step, form]);

  const save = async (values: FormOut) => {
    if (submitting.current) return;
    submitting.current = true;
    setFormError(null);
    try {
      const result = await createUserClientAction(values);
      if (result.ok) {
        onCreated(result.data);
        return;
      }
      const fields = applyResult(result, setError, setFormError, SHOWN_FIELDS);
      if (fields.some((f) => (USER_CLIENT_STEP_FIELDS as readonly string[]).includes(f))) onStepChange('client');
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
      onSubmit={(e) => {
        if (hybrid && step === 'client') {
          e.preventDefault();
          void next();
        } else void handleSubmit(save)(e);
      }}
      noValidate
      aria-label={step === 'client' ? 'Add Client' : 'Create Secret'}
    >
      {formError && (
        <div role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {formError}
        </div>
      )}
      <div hidden={step !== 'client'} className="space-y-5">
        <Field label="Name" hint={`The application users sign in to; the sign-in page shows it. Up to ${NAME_MAX} characters.`} error={errors.name?.message}>
          {(p) => <Input {...p} autoComplete="off" {...register('name')} />}
        </Field>
        <SignInUrlFields
          register={{
            redirectUris: register('redirectUris'),
            postLogoutRedirectUris: register('postLogoutRedirectUris'),
            allowedCorsOrigins: hybrid ? undefined : register('allowedCorsOrigins'),
            refreshTokenLifetime: register('refreshTokenLifetime'),
          }}
          errors={{
            redirectUris: errors.redirectUris?.message,
            postLogoutRedirectUris: errors.postLogoutRedirectUris?.message,
            allowedCorsOrigins: errors.allowedCorsOrigins?.message,
            refreshTokenLifetime: errors.refreshTokenLifetime?.message,
          }}
        />
        <Field
          label="Token Lifetime"
          hint="Optional. Seconds an access token and ID token stay valid: from 60 to 3600. Empty means 3600 (one hour)."
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
      {hybrid && (
        <div hidden={step !== 'secret'}>
          {step === 'secret' && (
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
      )}
    </form>
  );
}
