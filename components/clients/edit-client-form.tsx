'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { updateClientAction } from '@/app/(console)/security/clients/actions';
import { NAME_MAX } from '@/lib/clients/limits';
import { updateClientSchema } from '@/lib/clients/update-client.schema';
import type { RoleOption } from '@/lib/roles/queries';
import { Checkbox } from '@/components/ui/checkbox';
import { FormError, useActionForm } from './action-form';
import { NameField, TokenLifetimeField, useClientFields } from './client-fields';
import type { PaneFormProps } from '@/components/forms/form-pane';
import { RolePicker } from '@/components/forms/role-picker';
import { accessValue, ApiAccessField, type ApiAccessEntry, type ApiOption } from './api-access-picker';

type FormIn = z.input<typeof updateClientSchema>;
type FormOut = z.output<typeof updateClientSchema>;
const SHOWN_FIELDS = ['name', 'tokenLifetime', 'roleIds', 'requireDpop', 'apiAccess'];

export type EditableClient = {
  id: string;
  name: string;
  tokenLifetime: number;
  requireDpop: boolean;
  version: number;
  roleIds: string[];
  /** The APIs it may get tokens for (all scopes: null). */
  apiAccess: ApiAccessEntry[];
};

/**
 * Edit Client: the same fields, validation, role tabs and API Access as Add Client. The form carries the version it was loaded
 * with; if someone else saved in between, the server refuses and the user reloads.
 */
export function EditClientForm({
  formId,
  client,
  tenantRoles,
  communityRoles,
  apis,
  onDone,
  onDirtyChange,
  onPendingChange,
  onReload,
}: PaneFormProps & {
  formId: string;
  client: EditableClient;
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
  /** The tenant's APIs (Security > APIs), offered under API Access. */
  apis: ApiOption[];
  onReload: () => void;
}) {
  const offered = new Set([...tenantRoles, ...communityRoles].filter((r) => r.roleType !== 'tenant_member').map((r) => r.id));
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(updateClientSchema),
    mode: 'onTouched',
    defaultValues: {
      clientId: client.id,
      version: client.version,
      name: client.name,
      tokenLifetime: String(client.tokenLifetime),
      // Only roles the tabs can show (Tenant Member is implied; a role no longer assignable is dropped on save).
      roleIds: client.roleIds.filter((id) => offered.has(id)),
      requireDpop: client.requireDpop,
      // A scope the API no longer has is not offered (nor kept).
      apiAccess: accessValue(apis, client.apiAccess),
    },
  });
  const requireDpop = useWatch({ control: form.control, name: 'requireDpop' }) ?? false;
  const { formError, conflict, submit } = useActionForm(form, { shownFields: SHOWN_FIELDS, onDirtyChange, onPendingChange });
  const fields = useClientFields(form);

  const save = (values: FormOut) => submit(() => updateClientAction(values), onDone);

  return (
    <form method="post" id={formId} onSubmit={(e) => void form.handleSubmit(save)(e)} noValidate aria-label="Edit Client" className="space-y-5">
      <FormError message={formError} onReload={conflict ? onReload : undefined} />
      <NameField hint={`Up to ${NAME_MAX} characters.`} {...fields.name} />
      <TokenLifetimeField hint="Seconds an access token stays valid: from 60 to 3600. Empty means 3600 (one hour)." {...fields.tokenLifetime} />
      <Checkbox
        label="Require DPoP"
        description="Token requests without a DPoP proof (RFC 9449) are refused, so every token the client gets is bound to its key and useless to anyone who steals it."
        checked={requireDpop}
        onCheckedChange={(checked) => form.setValue('requireDpop', checked, { shouldDirty: true })}
      />
      {form.formState.errors.requireDpop?.message ? (
        <p className="text-sm text-red-700">{form.formState.errors.requireDpop.message}</p>
      ) : null}
      <RolePicker tenantRoles={tenantRoles} communityRoles={communityRoles} {...fields.roles} />
      <ApiAccessField control={form.control as never} apis={apis} />
    </form>
  );
}
