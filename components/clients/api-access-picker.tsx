'use client';

import { Controller, type Control } from 'react-hook-form';
import { Checkbox } from '@/components/ui/checkbox';

export type ApiOption = { id: string; name: string; identifier: string; scopes: string[] };
/** One API the client may get tokens for: all of its scopes (null, including ones added later) or the ones listed. */
export type ApiAccessEntry = { apiId: string; scopes: string[] | null };
/** react-hook-form's errors of an ApiAccessEntry[] field: one for the list, or one per entry's scopes. */
export type ApiAccessErrors = { message?: string; root?: { message?: string } } & { [index: number]: { scopes?: { message?: string } } | undefined };

/**
 * The API Access choice of Edit API Access, Add Client and Edit Client: a checkbox per tenant API, then All scopes or
 * Chosen scopes. The value lists the checked APIs in the order of `apis`, so an error's index names one of them.
 */
export function ApiAccessPicker({
  apis,
  value,
  onChange,
  errors,
  autoFocus,
}: {
  apis: ApiOption[];
  value: ApiAccessEntry[];
  onChange: (value: ApiAccessEntry[]) => void;
  errors?: ApiAccessErrors;
  autoFocus?: boolean;
}) {
  const byId = new Map(value.map((e) => [e.apiId, e]));
  // Rebuilt in the order of the tenant's APIs, whatever was changed.
  const set = (apiId: string, entry: ApiAccessEntry | null) => {
    const next = new Map(byId);
    if (entry) next.set(apiId, entry);
    else next.delete(apiId);
    onChange(apis.filter((a) => next.has(a.id)).map((a) => next.get(a.id)!));
  };
  const listError = errors?.message ?? errors?.root?.message;
  return (
    <div className="space-y-3">
      {apis.map((api, i) => {
        const entry = byId.get(api.id);
        const index = value.findIndex((e) => e.apiId === api.id);
        return (
          <ApiRow
            key={api.id}
            api={api}
            entry={entry}
            error={index >= 0 ? errors?.[index]?.scopes?.message : undefined}
            onChange={(e) => set(api.id, e)}
            autoFocus={autoFocus && i === 0}
          />
        );
      })}
      {listError && <p className="text-sm text-red-700">{listError}</p>}
    </div>
  );
}

function ApiRow({
  api,
  entry,
  error,
  onChange,
  autoFocus,
}: {
  api: ApiOption;
  entry: ApiAccessEntry | undefined;
  error?: string;
  onChange: (entry: ApiAccessEntry | null) => void;
  autoFocus?: boolean;
}) {
  const groupId = `api-access-${api.id}`;
  const errorId = `${groupId}-error`;
  const mode = entry?.scopes === null ? 'all' : 'some';
  const chosen = entry?.scopes ?? [];
  return (
    <div className="rounded-md border border-slate-200 p-3">
      <Checkbox
        label={api.name}
        description={<code className="font-mono break-all">{api.identifier}</code>}
        checked={entry !== undefined}
        onCheckedChange={(on) => onChange(on ? { apiId: api.id, scopes: null } : null)}
        autoFocusInPane={autoFocus}
      />
      {entry &&
        (api.scopes.length === 0 ? (
          <p className="mt-2 ml-6 text-xs text-slate-600">This API has no scopes: its tokens carry only its identifier in aud.</p>
        ) : (
          <fieldset className="mt-2 ml-6 space-y-2" aria-describedby={error && mode === 'some' ? errorId : undefined}>
            <legend className="sr-only">Scopes of {api.name}</legend>
            <div className="flex flex-wrap gap-x-5 gap-y-1">
              <label className="flex min-h-6 items-center gap-2 text-sm">
                <input
                  type="radio"
                  name={`${groupId}-mode`}
                  value="all"
                  checked={mode === 'all'}
                  onChange={() => onChange({ apiId: api.id, scopes: null })}
                  className="h-4 w-4 accent-brand-600"
                />
                All scopes
              </label>
              <label className="flex min-h-6 items-center gap-2 text-sm">
                <input
                  type="radio"
                  name={`${groupId}-mode`}
                  value="some"
                  checked={mode === 'some'}
                  onChange={() => onChange({ apiId: api.id, scopes: [] })}
                  className="h-4 w-4 accent-brand-600"
                />
                Chosen scopes
              </label>
            </div>
            {mode === 'some' && (
              <div className="flex flex-wrap gap-x-4 gap-y-2 pl-1">
                {api.scopes.map((s) => (
                  <Checkbox
                    key={s}
                    label={<code className="font-mono text-[0.8125rem]">{s}</code>}
                    checked={chosen.includes(s)}
                    onCheckedChange={(on) =>
                      onChange({ apiId: api.id, scopes: on ? api.scopes.filter((x) => x === s || chosen.includes(x)) : chosen.filter((x) => x !== s) })
                    }
                  />
                ))}
              </div>
            )}
            {error && mode === 'some' && (
              <p id={errorId} className="text-sm text-red-700">
                {error}
              </p>
            )}
          </fieldset>
        ))}
    </div>
  );
}

/** A client's granted access as the picker's value: APIs in the tenant's order, scopes the API no longer has dropped. */
export function accessValue(apis: ApiOption[], access: { apiId: string; scopes: string[] | null }[]): ApiAccessEntry[] {
  const granted = new Map(access.map((a) => [a.apiId, a.scopes]));
  return apis
    .filter((api) => granted.has(api.id))
    .map((api) => {
      const scopes = granted.get(api.id)!;
      return { apiId: api.id, scopes: scopes === null ? null : scopes.filter((s) => api.scopes.includes(s)) };
    });
}

/**
 * API Access in Add Client and Edit Client (the form's `apiAccess` field). Nothing when the tenant has no API, so the
 * form is the seed's own until an administrator adds one in Security > APIs.
 */
export function ApiAccessField({ control, apis }: { control: Control<never>; apis: ApiOption[] }) {
  if (apis.length === 0) return null;
  return (
    <fieldset className="space-y-2">
      <legend className="text-sm font-medium text-slate-800">API Access</legend>
      <p className="text-xs text-slate-600">
        Optional. The APIs this client may get tokens for, asking with <code className="font-mono">resource=&lt;identifier&gt;</code>. Without a choice of
        scopes, it gets all of them, including scopes added later.
      </p>
      <Controller
        control={control as unknown as Control<{ apiAccess?: ApiAccessEntry[] }>}
        name="apiAccess"
        render={({ field, fieldState }) => (
          <ApiAccessPicker
            apis={apis}
            value={field.value ?? []}
            // Its checkboxes have no blur of their own: once an error is shown (Next, Save), a change marks the field touched,
            // so it is checked again and the error goes away as soon as it is fixed. Before that, no error while choosing.
            onChange={(value) => {
              field.onChange(value);
              if (fieldState.error) field.onBlur();
            }}
            errors={fieldState.error as ApiAccessErrors | undefined}
          />
        )}
      />
    </fieldset>
  );
}
