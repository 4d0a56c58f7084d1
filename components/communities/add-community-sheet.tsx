'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { createCommunityAction } from '@/app/(console)/security/communities/actions';
import { applyActionResult } from '@/components/forms/action-result';
import { FormAlert } from '@/components/roles/form-alert';
import { FormSheet } from '@/components/forms/form-pane';
import { Textarea } from '@/components/ui/textarea';
import { Field, Input } from '@/components/ui/field';
import { createCommunitySchema } from '@/lib/communities/communities.schema';

type FormIn = z.input<typeof createCommunitySchema>;

/** Add Community: this tenant administers it and is its first member; it comes with its Community Member role. */
export function AddCommunitySheet({ open, onClose, onDone }: { open: boolean; onClose: () => void; onDone: (message: string) => void }) {
  const [formError, setFormError] = useState<string | null>(null);
  const form = useForm<FormIn, unknown, z.output<typeof createCommunitySchema>>({
    resolver: zodResolver(createCommunitySchema),
    defaultValues: { name: '', description: '' },
  });
  const name = useWatch({ control: form.control, name: 'name' })?.trim();
  const close = () => {
    form.reset();
    setFormError(null);
    onClose();
  };
  const onSubmit = form.handleSubmit(async (values) => {
    setFormError(null);
    const result = await createCommunityAction(values);
    if (!result.ok) return void applyActionResult(result, form.setError, setFormError, ['name', 'description']);
    close();
    onDone(`Community "${result.data.name}" added, with the role "${result.data.roleName}".`);
  });
  const errors = form.formState.errors;
  return (
    <FormSheet
      open={open}
      onClose={close}
      title="Add Community"
      description="A community is shared between tenants. This tenant becomes its administrative tenant and first member."
      formId="add-community-form"
      dirty={form.formState.isDirty}
      submitting={form.formState.isSubmitting}
    >
      <form method="post" id="add-community-form" aria-label="Add Community" noValidate onSubmit={onSubmit} className="space-y-4">
        <FormAlert message={formError} />
        <Field
          label="Name"
          error={errors.name?.message}
          hint={
            name ? (
              <>
                Creates the role <strong>{name} Community Member</strong>. Names are unique across all tenants.
              </>
            ) : (
              'Names are unique across all tenants, whatever the case.'
            )
          }
        >
          {(p) => <Input {...p} autoComplete="off" autoFocus {...form.register('name')} />}
        </Field>
        <Field label="Description" error={errors.description?.message} hint="Optional.">
          {(p) => <Textarea {...p} {...form.register('description')} />}
        </Field>
      </form>
    </FormSheet>
  );
}
