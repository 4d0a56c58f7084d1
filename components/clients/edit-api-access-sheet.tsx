'use client';

import Link from 'next/link';
import { Controller, useForm, useWatch, type Control, type UseFormRegister } from 'react-hook-form';
import { setClientApiAccessAction } from '@/app/(console)/security/clients/api-access-actions';
import { Checkbox } from '@/components/ui/checkbox';
import type { ClientApiAccess } from '@/lib/apis/apis';
import type { ClientApiAccessInput } from '@/lib/apis/apis.schema';
import { FormError, useActionForm } from './action-form';
import { DISCARD_EDIT, UrlFormPane, type PaneFormProps } from './form-pane';

const FORM_ID = 'edit-api-access-form';

export type ApiOption = { id: string; name: string; identifier: string; scopes: string[] };

/** One row of the form per tenant API: checked or not, and all of its scopes or some of them. */
type Entry = { apiId: string; on: boolean; mode: 'all' | 'some'; scopes: string[] };
type FormValues = { entries: Entry[] };

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
      {(form) => <ApiAccessForm key={client.version} clientId={client.id} apis={apis} access={access} {...form} />}
    </UrlFormPane>
  );
}

function ApiAccessForm({
  clientId,
  apis,
  access,
  onDone,
  onDirtyChange,
  onPendingChange,
}: PaneFormProps & { clientId: string; apis: ApiOption[]; access: ClientApiAccess[] }) {
  const granted = new Map(access.map((a) => [a.apiId, a.scopes]));
  const form = useForm<FormValues>({
    defaultValues: {
      entries: apis.map((api) => {
        const scopes = granted.get(api.id);
        return {
          apiId: api.id,
          on: granted.has(api.id),
          mode: scopes === null || scopes === undefined ? 'all' : 'some',
          // A scope the API no longer has is not offered (nor kept).
          scopes: (scopes ?? []).filter((s) => api.scopes.includes(s)),
        };
      }),
    },
  });
  const { formError, submit } = useActionForm(form, { shownFields: [], onDirtyChange, onPendingChange });

  const save = async (values: FormValues) => {
    const input: ClientApiAccessInput = {
      clientId,
      access: values.entries.filter((e) => e.on).map((e) => ({ apiId: e.apiId, scopes: e.mode === 'all' ? null : e.scopes })),
    };
    await submit(() => setClientApiAccessAction(input), onDone);
  };

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
          {apis.map((api, i) => (
            <ApiEntry key={api.id} api={api} index={i} control={form.control} register={form.register} />
          ))}
        </fieldset>
      )}
    </form>
  );
}

function ApiEntry({ api, index, control, register }: { api: ApiOption; index: number; control: Control<FormValues>; register: UseFormRegister<FormValues> }) {
  const entry = useWatch({ control, name: `entries.${index}` });
  const groupId = `api-access-${api.id}`;
  const errorId = `${groupId}-error`;
  return (
    <div className="rounded-md border border-slate-200 p-3">
      <Controller
        control={control}
        name={`entries.${index}.on`}
        render={({ field }) => (
          <Checkbox
            label={api.name}
            description={<code className="font-mono break-all">{api.identifier}</code>}
            checked={field.value}
            onCheckedChange={field.onChange}
            autoFocusInPane={index === 0}
          />
        )}
      />
      {entry.on &&
        (api.scopes.length === 0 ? (
          <p className="mt-2 ml-6 text-xs text-slate-600">This API has no scopes: its tokens carry only its identifier in aud.</p>
        ) : (
          <Controller
            control={control}
            name={`entries.${index}.scopes`}
            rules={{
              validate: (scopes, values) => {
                const e = values.entries[index];
                return !e.on || e.mode === 'all' || scopes.length > 0 || 'Choose at least one scope, or All scopes.';
              },
            }}
            render={({ field, fieldState }) => (
              <fieldset className="mt-2 ml-6 space-y-2" aria-describedby={fieldState.error && entry.mode === 'some' ? errorId : undefined}>
                <legend className="sr-only">Scopes of {api.name}</legend>
                <div className="flex flex-wrap gap-x-5 gap-y-1">
                  <label className="flex min-h-6 items-center gap-2 text-sm">
                    <input type="radio" value="all" {...register(`entries.${index}.mode`)} className="h-4 w-4 accent-brand-600" />
                    All scopes
                  </label>
                  <label className="flex min-h-6 items-center gap-2 text-sm">
                    <input type="radio" value="some" {...register(`entries.${index}.mode`)} className="h-4 w-4 accent-brand-600" />
                    Chosen scopes
                  </label>
                </div>
                {entry.mode === 'some' && (
                  <div className="flex flex-wrap gap-x-4 gap-y-2 pl-1">
                    {api.scopes.map((s) => (
                      <Checkbox
                        key={s}
                        label={<code className="font-mono text-[0.8125rem]">{s}</code>}
                        checked={field.value.includes(s)}
                        onCheckedChange={(on) => field.onChange(on ? api.scopes.filter((x) => x === s || field.value.includes(x)) : field.value.filter((x) => x !== s))}
                      />
                    ))}
                  </div>
                )}
                {fieldState.error && entry.mode === 'some' && (
                  <p id={errorId} className="text-sm text-red-700">
                    {fieldState.error.message}
                  </p>
                )}
              </fieldset>
            )}
          />
        ))}
    </div>
  );
}
