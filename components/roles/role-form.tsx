'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, type FieldValues, type Path, type UseFormRegister, type FieldErrors } from 'react-hook-form';
import type { z } from 'zod';
import { createRoleAction, updateRoleAction } from '@/app/(console)/security/roles/actions';
import { Field, Input } from '@/components/ui/field';
import { createRoleSchema, updateRoleSchema } from '@/lib/roles/roles.schema';
import { applyActionResult } from '@/components/forms/action-result';
import { FormAlert } from './form-alert';
import { FormSheet } from '@/components/forms/form-pane';
import { Textarea } from '@/components/ui/textarea';

type NameAndDescription = { name: string; description?: string };

function RoleFields<F extends FieldValues & NameAndDescription>({
  register,
  errors,
}: {
  register: UseFormRegister<F>;
  errors: FieldErrors<NameAndDescription>;
}) {
  return (
    <>
      <Field label="Name" error={errors.name?.message} hint="Unique in this tenant, whatever the case.">
        {(p) => <Input {...p} autoComplete="off" autoFocus {...register('name' as Path<F>)} />}
      </Field>
      <Field label="Description" error={errors.description?.message} hint="Optional.">
        {(p) => <Textarea {...p} {...register('description' as Path<F>)} />}
      </Field>
    </>
  );
}

/** Add Role: the pane and its form (a custom tenant role). */
export function AddRoleSheet({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: (message: string) => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<z.input<typeof createRoleSchema>, unknown, z.output<typeof createRoleSchema>>({
    resolver: zodResolver(createRoleSchema),
    defaultValues: { name: '', description: '' },
  });
  const close = () => {
    form.reset();
    setFormError(null);
    onClose();
  };
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await createRoleAction(values);
    if (!result.ok) return void applyActionResult(result, form.setError, setFormError, ['name', 'description']);
    close();
    onDone(`Role "${result.data.name}" added.`);
  });
  return (
    <FormSheet
      open={open}
      onClose={close}
      title="Add Role"
      description="A custom tenant role. It has no permissions by default."
      formId="add-role-form"
      dirty={form.formState.isDirty}
      submitting={form.formState.isSubmitting}
    >
      <form method="post" id="add-role-form" aria-label="Add Role" noValidate onSubmit={onSubmit} className="space-y-4">
        <FormAlert message={formError} />
        <RoleFields register={form.register} errors={form.formState.errors} />
      </form>
    </FormSheet>
  );
}

/** Edit Role: rename a custom role or change its description. */
export function EditRoleSheet({
  role,
  onClose,
  onDone,
}: {
  role: { id: string; name: string; description: string };
  onClose: () => void;
  onDone: (message: string) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<z.input<typeof updateRoleSchema>, unknown, z.output<typeof updateRoleSchema>>({
    resolver: zodResolver(updateRoleSchema),
    defaultValues: { id: role.id, name: role.name, description: role.description },
  });
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await updateRoleAction(values);
    if (!result.ok) return void applyActionResult(result, form.setError, setFormError, ['name', 'description']);
    onClose();
    onDone(`Role "${result.data.name}" saved.`);
  });
  return (
    <FormSheet
      open
      onClose={onClose}
      title="Edit Role"
      description={role.name}
      formId="edit-role-form"
      dirty={form.formState.isDirty}
      submitting={form.formState.isSubmitting}
    >
      <form method="post" id="edit-role-form" aria-label="Edit Role" noValidate onSubmit={onSubmit} className="space-y-4">
        <FormAlert message={formError} />
        <input type="hidden" {...form.register('id')} />
        <RoleFields register={form.register} errors={form.formState.errors} />
      </form>
    </FormSheet>
  );
}
