'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { inviteUserAction } from '@/app/(console)/security/users/actions';
import { applyActionResult } from '@/components/forms/action-result';
import { FormAlert } from '@/components/roles/form-alert';
import { FormSheet } from '@/components/forms/form-pane';
import { RolePicker } from '@/components/forms/role-picker';
import { Field, Input } from '@/components/ui/field';
import type { RoleOption } from '@/lib/roles/queries';
import { inviteUserSchema } from '@/lib/users/users.schema';
import type { InvitedUser } from './user-invited-dialog';

type RoleChoices = { tenantRoles: RoleOption[]; communityRoles: RoleOption[] };

/** Invite User: email, name and roles; on success the caller shows the initial password once. */
export function InviteUserSheet({
  open,
  onClose,
  onInvited,
  choices,
}: {
  open: boolean;
  onClose: () => void;
  onInvited: (invited: InvitedUser) => void;
  choices: RoleChoices;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<z.input<typeof inviteUserSchema>, unknown, z.output<typeof inviteUserSchema>>({
    resolver: zodResolver(inviteUserSchema),
    defaultValues: { email: '', name: '', roleIds: [] },
  });
  const close = () => {
    form.reset();
    setFormError(null);
    onClose();
  };
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await inviteUserAction(values);
    if (!result.ok) return void applyActionResult(result, form.setError, setFormError, ['email', 'name', 'roleIds']);
    close();
    onInvited({ email: result.data.email, initialPassword: result.data.initialPassword });
  });
  const errors = form.formState.errors;
  return (
    <FormSheet
      open={open}
      onClose={close}
      title="Invite User"
      description="The user signs in with this email and an initial password that is shown to you once."
      formId="invite-user-form"
      dirty={form.formState.isDirty}
      submitting={form.formState.isSubmitting}
    >
      <form method="post" id="invite-user-form" aria-label="Invite User" noValidate onSubmit={onSubmit} className="space-y-4">
        <FormAlert message={formError} />
        <Field label="Email" error={errors.email?.message}>
          {(p) => <Input {...p} type="email" autoComplete="off" autoFocus {...form.register('email')} />}
        </Field>
        <Field label="Name" error={errors.name?.message}>
          {(p) => <Input {...p} autoComplete="off" {...form.register('name')} />}
        </Field>
        <Controller
          control={form.control}
          name="roleIds"
          render={({ field, fieldState }) => (
            <RolePicker
              {...choices}
              holder="user"
              value={field.value ?? []}
              onChange={field.onChange}
              error={fieldState.error?.message}
            />
          )}
        />
      </form>
    </FormSheet>
  );
}
