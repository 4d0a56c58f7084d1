'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { createUserClientAction } from '@/app/(console)/security/clients/actions';
import type { CreatedUserClient } from '@/lib/clients/create-user-client';
import { NAME_MAX } from '@/lib/clients/limits';
import { createUserClientSchema, USER_CLIENT_STEP_FIELDS } from '@/lib/clients/user-client.schema';
import type { UserClientType } from '@/lib/clients/client-types';
import type { RoleOption } from '@/lib/roles/queries';
import { FormError, useActionForm, useExpiryFields } from './action-form';
import { NameField, TokenLifetimeField, useAddClientSteps, useClientFields, type AddClientPaneFormProps } from './client-fields';
import { newGuid, oneYearFromNow } from './new-guid';
import { RolePicker } from '@/components/forms/role-picker';
import { ApiAccessField, type ApiOption } from './api-access-picker';
import { SecretFields } from './secret-fields';
import { SignInUrlFields, signInUrlFieldProps } from './sign-in-url-fields';

const SHOWN_FIELDS = [...USER_CLIENT_STEP_FIELDS, 'description', 'expiresAt', 'neverExpires'];

type FormIn = z.input<typeof createUserClientSchema>;
type FormOut = z.output<typeof createUserClientSchema>;

type Props = AddClientPaneFormProps & {
  clientType: UserClientType;
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
  /** The tenant's APIs (Security > APIs), offered under API Access. */
  apis: ApiOption[];
  onCreated: (created: CreatedUserClient) => void;
};

/**
 * Add Client for Authorization Code and Device Code clients (one pane, Save: no secret) and Hybrid clients (the client
 * pane, then Create Secret, then Save). One form for both panes, so Back keeps every value; the Client Id is generated once.
 */
export function AddUserClientForm({
  formId,
  clientType,
  step,
  onStepChange,
  tenantRoles,
  communityRoles,
  apis,
  onCreated,
  onDirtyChange,
  onPendingChange,
}: Props) {
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
      apiAccess: [],
      redirectUris: '',
      postLogoutRedirectUris: '',
      allowedCorsOrigins: '',
      refreshTokenLifetime: '',
      description: '',
      neverExpires: false,
      expiresAt: oneYearFromNow(),
    },
  });
  const { formError, submit } = useActionForm(form, { shownFields: SHOWN_FIELDS, onDirtyChange, onPendingChange });
  const fields = useClientFields(form);
  const expiry = useExpiryFields(form);
  const steps = useAddClientSteps(form, { step, onStepChange, stepFields: USER_CLIENT_STEP_FIELDS });

  const save = async (values: FormOut) => steps.backOnError(await submit(() => createUserClientAction(values), onCreated));

  return (
    <form
      id={formId}
      method="post"
      onSubmit={steps.onSubmit(hybrid && step === 'client', save)}
      noValidate
      aria-label={step === 'client' ? 'Add Client' : 'Create Secret'}
    >
      <FormError message={formError} className="mb-4" />
      <div hidden={step !== 'client'} className="space-y-5">
        <NameField
          hint={
            clientType === 'device_code'
              ? `The device or tool users sign in to; the /device page shows it when they approve it. Up to ${NAME_MAX} characters.`
              : `The application users sign in to; the sign-in page shows it. Up to ${NAME_MAX} characters.`
          }
          {...fields.name}
        />
        <SignInUrlFields {...signInUrlFieldProps(form, { corsOrigins: clientType === 'authorization_code', urls: clientType !== 'device_code' })} />
        <TokenLifetimeField
          hint="Optional. Seconds an access token and ID token stay valid: from 60 to 3600. Empty means 3600 (one hour)."
          {...fields.tokenLifetime}
        />
        <RolePicker tenantRoles={tenantRoles} communityRoles={communityRoles} {...fields.roles} />
        <ApiAccessField control={form.control as never} apis={apis} />
      </div>
      {hybrid && <div hidden={step !== 'secret'}>{step === 'secret' && <SecretFields autoFocus {...expiry} />}</div>}
    </form>
  );
}
