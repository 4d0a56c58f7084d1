'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { createClientAction } from '@/app/(console)/security/clients/actions';
import type { CreatedClient } from '@/lib/clients/create-client';
import { CLIENT_STEP_FIELDS, createClientSchema } from '@/lib/clients/create-client.schema';
import { NAME_MAX } from '@/lib/clients/limits';
import type { RoleOption } from '@/lib/roles/queries';
import { FormError, useActionForm, useExpiryFields } from './action-form';
import { NameField, TokenLifetimeField, useAddClientSteps, useClientFields, type AddClientPaneFormProps } from './client-fields';
import { newGuid, oneYearFromNow } from './new-guid';
import { CredentialChoice, type CredentialKind } from './credential-choice';
import { federatedDefaults, FederatedFields, federatedShownFields } from './federated-fields';
import { KeyFields } from './key-fields';
import { RolePicker } from '@/components/forms/role-picker';
import { ApiAccessField, type ApiOption } from './api-access-picker';
import { SecretFields } from './secret-fields';

const SHOWN_FIELDS = ['name', 'tokenLifetime', 'roleIds', 'apiAccess', 'description', 'expiresAt', 'neverExpires', 'credential', 'publicKey', ...federatedShownFields('federated.')];

type FormIn = z.input<typeof createClientSchema>;
type FormOut = z.output<typeof createClientSchema>;

type AddClientFormProps = AddClientPaneFormProps & {
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
  /** The tenant's APIs (Security > APIs), offered under API Access. */
  apis: ApiOption[];
  onCreated: (created: CreatedClient) => void;
  onCredentialChange?: (credential: CredentialKind) => void;
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
  apis,
  onCreated,
  onDirtyChange,
  onPendingChange,
  onCredentialChange,
}: AddClientFormProps) {
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(createClientSchema),
    // A field is checked when it loses focus, then as it changes: an error goes away as soon as it is fixed.
    mode: 'onTouched',
    defaultValues: {
      clientId: newGuid(),
      name: '',
      tokenLifetime: '',
      roleIds: [],
      apiAccess: [],
      description: '',
      neverExpires: false,
      expiresAt: oneYearFromNow(),
      credential: 'secret',
      publicKey: '',
      // The audience is filled in when Federated Credential is chosen: this server's issuer URL as the browser sees it.
      federated: federatedDefaults(''),
    },
  });
  const { register, setValue, control, formState: { errors } } = form;
  const { formError, submit } = useActionForm(form, { shownFields: SHOWN_FIELDS, onDirtyChange, onPendingChange });
  const fields = useClientFields(form);
  const expiry = useExpiryFields(form);
  const steps = useAddClientSteps(form, { step, onStepChange, stepFields: CLIENT_STEP_FIELDS });
  const credential = useWatch({ control, name: 'credential' }) ?? 'secret';
  useEffect(() => onCredentialChange?.(credential), [credential, onCredentialChange]);

  const save = async (values: FormOut) => steps.backOnError(await submit(() => createClientAction(values), onCreated));

  return (
    <form
      id={formId}
      method="post"
      // Enter (or Next) on the first pane validates it and moves on; only the second pane saves.
      onSubmit={steps.onSubmit(step === 'client', save)}
      noValidate
      aria-label={step === 'client' ? 'Add Client' : 'Create Secret'}
    >
      <FormError message={formError} className="mb-4" />
      <div hidden={step !== 'client'} className="space-y-5">
        <NameField hint={`Identifies the device or application that uses this client. Up to ${NAME_MAX} characters.`} {...fields.name} />
        <TokenLifetimeField
          hint="Optional. Seconds an access token stays valid: from 60 to 3600. Empty means 3600 (one hour)."
          {...fields.tokenLifetime}
        />
        <RolePicker tenantRoles={tenantRoles} communityRoles={communityRoles} {...fields.roles} />
        <ApiAccessField control={form.control as never} apis={apis} />
      </div>
      <div hidden={step !== 'secret'}>
        {step === 'secret' && (
          <CredentialChoice
            value={credential}
            onChange={(v) => {
              setValue('credential', v, { shouldDirty: true });
              if (v === 'federated' && !form.getValues('federated.audience' as never)) {
                setValue('federated.audience' as never, `${window.location.origin}/identity` as never);
              }
            }}
          />
        )}
        {step === 'secret' && credential === 'key' && (
          <KeyFields
            showSource={false}
            autoFocus
            source="key"
            {...expiry}
            publicKey={register('publicKey')}
            errors={{ ...expiry.errors, publicKey: errors.publicKey?.message }}
          />
        )}
        {step === 'secret' && credential === 'secret' && <SecretFields autoFocus {...expiry} />}
        {step === 'secret' && credential === 'federated' && <FederatedFields form={form as never} prefix="federated." />}
      </div>
    </form>
  );
}
