'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { Link } from '@/components/ui/link';
import { Controller, useForm } from 'react-hook-form';
import type { z } from 'zod';
import { setClientApiAccessAction } from '@/app/(console)/security/clients/api-access-actions';
import type { ClientApiAccess } from '@/lib/clients/api-access';
import { editApiAccessFormSchema } from '@/lib/clients/api-access.schema';
import { FormError, useActionForm } from './action-form';
import { accessValue, ApiAccessPicker, type ApiAccessErrors, type ApiOption } from './api-access-picker';
import { DISCARD_EDIT, UrlFormPane, type PaneFormProps } from '@/components/forms/form-pane';

export type { ApiOption } from './api-access-picker';

const FORM_ID = 'edit-api-access-form';
type FormIn = z.input<typeof editApiAccessFormSchema>;
type FormOut = z.output<typeof editApiAccessFormSchema>;

/** The Edit API Access pane of a client (any type), open while the URL has ?edit=api-access. */
export function EditApiAccessSheet({
  client,
  apis,
  access,
}: {
  client: { id: string; name: string; version: number };
  apis: ApiOption[];
  access: ClientApiAccess[];
}) {
  return (
    <UrlFormPane
      param={['edit', 'api-access']}
      title="Edit API Access"
      description={client.name}
      formId={FORM_ID}
      discard={{ title: 'Discard your changes?', description: DISCARD_EDIT }}
    >
      {/* Saving bumps the client's version: the form then starts again from the saved access. */}
      {(form) => <ApiAccessForm key={client.version} clientId={client.id} version={client.version} apis={apis} access={access} {...form} />}
    </UrlFormPane>
  );
}

function ApiAccessForm({
  clientId,
  version,
  apis,
  access,
  onDone,
  onDirtyChange,
  onPendingChange,
}: PaneFormProps & { clientId: string; version: number; apis: ApiOption[]; access: ClientApiAccess[] }) {
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(editApiAccessFormSchema),
    // A scope the API no longer has is not offered (nor kept).
    defaultValues: { access: accessValue(apis, access) },
  });
  const { formError, submit } = useActionForm(form, { shownFields: ['access'], onDirtyChange, onPendingChange });

  const save = (values: FormOut) => submit(() => setClientApiAccessAction({ clientId, version, access: values.access }), onDone);

  return (
    <form method="post" id={FORM_ID} onSubmit={(e) => void form.handleSubmit(save)(e)} noValidate aria-label="Edit API Access" className="space-y-4">
      <FormError message={formError} />
      {apis.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-sm text-slate-600">
          This tenant has no API yet. Add one in{' '}
          <Link href="/security/apis" className="text-brand-700 underline underline-offset-2 hover:no-underline">
            Security &gt; APIs
          </Link>
          , then give this client access to it here.
        </p>
      ) : (
        <fieldset className="space-y-3">
          <legend className="mb-1 text-sm text-slate-700">
            Check the APIs this client may get tokens for. Without a choice of scopes, it gets all of them, including scopes added later.
          </legend>
          <Controller
            control={form.control}
            name="access"
            render={({ field, fieldState }) => (
              <ApiAccessPicker apis={apis} value={field.value} onChange={field.onChange} errors={fieldState.error as ApiAccessErrors | undefined} autoFocus />
            )}
          />
        </fieldset>
      )}
    </form>
  );
}
