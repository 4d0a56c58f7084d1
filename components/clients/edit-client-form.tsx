'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useEffect, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { updateClientAction } from '@/app/(console)/security/clients/actions';
import { NAME_MAX } from '@/lib/clients/limits';
import { updateClientSchema } from '@/lib/clients/update-client.schema';
import type { RoleOption } from '@/lib/roles/queries';
import { Button } from '@/components/ui/button';
import { Field, Input } from '@/components/ui/field';
import { applyResult } from './form-result';
import { RolePicker } from './role-picker';

type FormIn = z.input<typeof updateClientSchema>;
type FormOut = z.output<typeof updateClientSchema>;
const SHOWN_FIELDS = ['name', 'tokenLifetime', 'roleIds'];

export type EditableClient = { id: string; name: string; tokenLifetime: number; version: number; roleIds: string[] };

/**
 * Edit Client: the same fields, validation and role tabs as Add Client. The form carries the version it was loaded
 * with; if someone else saved in between, the server refuses and the user reloads.
 */
export function EditClientForm({
  formId,
  client,
  tenantRoles,
  communityRoles,
  onSaved,
  onDirtyChange,
  onPendingChange,
  onReload,
}: {
  formId: string;
  client: EditableClient;
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
  onSaved: () => void;
  onDirtyChange: (dirty: boolean) => void;
  onPendingChange: (pending: boolean) => void;
  onReload: () => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const offered = new Set([...tenantRoles, ...communityRoles].filter((r) => r.roleType !== 'tenant_member').map((r) => r.id));
  const {
    register,
    handleSubmit,
    setValue,
    setError,
    control,
    formState: { errors, isDirty, isSubmitting, isSubmitted },
  } = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(updateClientSchema),
    mode: 'onTouched',
    defaultValues: {
      clientId: client.id,
      version: client.version,
      name: client.name,
      tokenLifetime: String(client.tokenLifetime),
      // Only roles the tabs can show (Tenant Member is implied; a role no longer assignable is dropped on save).
      roleIds: client.roleIds.filter((id) => offered.has(id)),
    },
  });
  const roleIds = useWatch({ control, name: 'roleIds' }) ?? [];
  useEffect(() => onDirtyChange(isDirty), [isDirty, onDirtyChange]);
  useEffect(() => onPendingChange(isSubmitting), [isSubmitting, onPendingChange]);

  const save = async (values: FormOut) => {
    setFormError(null);
    setConflict(false);
    try {
      const result = await updateClientAction(values);
      if (result.ok) return onSaved();
      if (result.code === 'conflict') setConflict(true);
      applyResult(result, setError, setFormError, SHOWN_FIELDS);
    } catch {
      setFormError('The server could not be reached. Nothing was saved; try again.');
    }
  };

  return (
    <form method="post" id={formId} onSubmit={(e) => void handleSubmit(save)(e)} noValidate aria-label="Edit Client" className="space-y-5">
      {formError && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <p>{formError}</p>
          {conflict && (
            <Button variant="secondary" size="sm" className="mt-2" onClick={onReload}>
              Reload
            </Button>
          )}
        </div>
      )}
      <Field label="Name" hint={`Up to ${NAME_MAX} characters.`} error={errors.name?.message}>
        {(p) => <Input {...p} autoComplete="off" {...register('name')} />}
      </Field>
      <Field
        label="Token Lifetime"
        hint="Seconds an access token stays valid: from 60 to 3600. Empty means 3600 (one hour)."
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
    </form>
  );
}
