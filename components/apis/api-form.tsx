'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm, type FieldErrors, type FieldValues, type Path, type UseFormRegister } from 'react-hook-form';
import type { z } from 'zod';
import { createApiAction, updateApiAction } from '@/app/(console)/security/apis/actions';
import { FormError, useActionForm } from '@/components/clients/action-form';
import { FormSheet } from '@/components/forms/form-pane';
import { Textarea } from '@/components/ui/textarea';
import { Field, Input } from '@/components/ui/field';
import { createApiSchema, MAX_API_SCOPES, updateApiSchema } from '@/lib/apis/apis.schema';

const IDENTIFIER_HINT =
  'An absolute URI such as https://api.example.com. Resource servers expect it in the token’s aud. It cannot be changed later.';
const SCOPES_HINT = `Optional. Separate scopes with spaces or new lines, such as orders.read orders.write; at most ${MAX_API_SCOPES}. A client gets only the scopes it was granted.`;

type NameAndScopes = { name: string; scopes?: unknown };

function NameField<F extends FieldValues & NameAndScopes>({ register, errors }: { register: UseFormRegister<F>; errors: FieldErrors<NameAndScopes> }) {
  return (
    <Field label="Name" error={errors.name?.message} hint="How the console names this API.">
      {(p) => <Input {...p} autoComplete="off" {...register('name' as Path<F>)} />}
    </Field>
  );
}

function ScopesField<F extends FieldValues & NameAndScopes>({ register, errors }: { register: UseFormRegister<F>; errors: FieldErrors<NameAndScopes> }) {
  return (
    <Field label="Scopes" error={errors.scopes?.message} hint={SCOPES_HINT}>
      {(p) => <Textarea {...p} rows={4} autoComplete="off" spellCheck={false} className="font-mono" {...register('scopes' as Path<F>)} />}
    </Field>
  );
}

type AddIn = z.input<typeof createApiSchema>;
type AddOut = z.output<typeof createApiSchema>;

/** Add API: name, identifier (fixed from now on) and scopes. */
export function AddApiSheet({
  open,
  onClose,
  onDone,
}: {
  open: boolean;
  onClose: () => void;
  onDone: (api: { id: string; name: string }) => void;
}) {
  const form = useForm<AddIn, unknown, AddOut>({
    resolver: zodResolver(createApiSchema),
    defaultValues: { name: '', identifier: '', scopes: '' },
  });
  const { formError, submit } = useActionForm(form, { shownFields: ['name', 'identifier', 'scopes'] });
  const close = () => {
    form.reset();
    onClose();
  };
  const save = (values: AddOut) =>
    submit(
      () => createApiAction(values),
      (data) => {
        close();
        onDone(data);
      },
    );
  const errors = form.formState.errors;
  return (
    <FormSheet
      open={open}
      onClose={close}
      title="Add API"
      description="A resource server that clients get tokens for by naming its identifier."
      formId="add-api-form"
      dirty={form.formState.isDirty}
      submitting={form.formState.isSubmitting}
    >
      <form method="post" id="add-api-form" aria-label="Add API" noValidate onSubmit={(e) => void form.handleSubmit(save)(e)} className="space-y-4">
        <FormError message={formError} />
        <NameField register={form.register} errors={errors} />
        <Field label="Identifier" error={errors.identifier?.message} hint={IDENTIFIER_HINT}>
          {(p) => (
            <Input
              {...p}
              type="url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              placeholder="https://api.example.com"
              className="font-mono"
              {...form.register('identifier')}
            />
          )}
        </Field>
        <ScopesField register={form.register} errors={errors} />
      </form>
    </FormSheet>
  );
}

type EditIn = z.input<typeof updateApiSchema>;
type EditOut = z.output<typeof updateApiSchema>;
export type EditableApi = { id: string; name: string; identifier: string; scopes: string[]; version: number };

/** Edit API: name and scopes; the identifier is shown, fixed. */
export function EditApiSheet({ api, onClose, onDone }: { api: EditableApi; onClose: () => void; onDone: (message: string) => void }) {
  const router = useRouter();
  const form = useForm<EditIn, unknown, EditOut>({
    resolver: zodResolver(updateApiSchema),
    defaultValues: { id: api.id, version: api.version, name: api.name, scopes: api.scopes.join('\n') },
  });
  const { formError, conflict, submit } = useActionForm(form, { shownFields: ['name', 'scopes'] });
  const save = (values: EditOut) =>
    submit(
      () => updateApiAction(values),
      (data) => {
        onClose();
        onDone(data.changed ? `API "${values.name}" saved.` : 'Nothing changed.');
      },
    );
  const errors = form.formState.errors;
  return (
    <FormSheet
      open
      onClose={onClose}
      title="Edit API"
      description={api.name}
      formId="edit-api-form"
      dirty={form.formState.isDirty}
      submitting={form.formState.isSubmitting}
    >
      <form method="post" id="edit-api-form" aria-label="Edit API" noValidate onSubmit={(e) => void form.handleSubmit(save)(e)} className="space-y-4">
        <FormError message={formError} onReload={conflict ? () => router.refresh() : undefined} />
        <input type="hidden" {...form.register('id')} />
        <input type="hidden" {...form.register('version')} />
        <NameField register={form.register} errors={errors} />
        <Field label="Identifier" hint="Fixed when the API was added: resource servers check it in every token’s aud.">
          {(p) => <Input {...p} readOnly value={api.identifier} className="bg-slate-50 font-mono text-slate-700" />}
        </Field>
        <ScopesField register={form.register} errors={errors} />
      </form>
    </FormSheet>
  );
}
