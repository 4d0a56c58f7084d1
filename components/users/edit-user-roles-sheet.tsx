'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { setUserRolesAction } from '@/app/(console)/security/users/actions';
import { applyActionResult } from '@/components/forms/action-result';
import { FormAlert } from '@/components/roles/form-alert';
import { FormSheet } from '@/components/forms/form-pane';
import { RolePicker } from '@/components/forms/role-picker';
import type { RoleOption } from '@/lib/roles/queries';
import type { UserRow } from '@/lib/users/users';
import { setUserRolesSchema } from '@/lib/users/users.schema';

/** Edit Roles: the user's full role list; Tenant Member stays, and the last Tenant Administrator keeps that role. */
export function EditUserRolesSheet({
  user,
  choices,
  onClose,
  onDone,
}: {
  user: UserRow;
  choices: { tenantRoles: RoleOption[]; communityRoles: RoleOption[] };
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const member = choices.tenantRoles.find((r) => r.roleType === 'tenant_member');
  const form = useForm<z.input<typeof setUserRolesSchema>, unknown, z.output<typeof setUserRolesSchema>>({
    resolver: zodResolver(setUserRolesSchema),
    // Tenant Member is always part of the list sent (the picker shows it checked and locked).
    defaultValues: { userId: user.id, roleIds: [...new Set([...(member ? [member.id] : []), ...user.roles.map((r) => r.id)])] },
  });
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await setUserRolesAction(values);
    if (!result.ok) return void applyActionResult(result, form.setError, setFormError, ['roleIds']);
    onClose();
    const { added, removed } = result.data;
    onDone(
      added.length || removed.length
        ? `Roles of ${user.email} saved.${added.length ? ` Added: ${added.join(', ')}.` : ''}${removed.length ? ` Removed: ${removed.join(', ')}.` : ''}`
        : `Roles of ${user.email} unchanged.`,
    );
  });
  return (
    <FormSheet
      open
      onClose={onClose}
      title="Edit Roles"
      description={`${user.name} (${user.email})`}
      formId="edit-user-roles-form"
      dirty={form.formState.isDirty}
      submitting={form.formState.isSubmitting}
    >
      <form method="post" id="edit-user-roles-form" aria-label="Edit Roles" noValidate onSubmit={onSubmit} className="space-y-4">
        <FormAlert message={formError} />
        <Controller
          control={form.control}
          name="roleIds"
          render={({ field, fieldState }) => (
            <RolePicker {...choices} holder="user" value={field.value} onChange={field.onChange} error={fieldState.error?.message} />
          )}
        />
      </form>
    </FormSheet>
  );
}
