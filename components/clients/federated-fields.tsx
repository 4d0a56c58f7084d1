'use client';

import { useRef, useState } from 'react';
import { flushSync } from 'react-dom';
import { get, useFieldArray, useWatch, type FieldValues, type UseFormReturn } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Checkbox } from '@/components/ui/checkbox';
import { Field, Input } from '@/components/ui/field';
import { Textarea } from '@/components/ui/textarea';
import { MAX_AGE_MINUTES_MAX, MAX_CONDITIONS } from '@/lib/clients/federated/federated-credential.schema';
import { PRESET_IDS, PRESETS, type PresetId } from '@/lib/clients/federated/presets';
import { toLocalInputValue } from './new-guid';
import { RadioChoice } from './credential-choice';

/** The form's values for a federated credential (the schema's input), as Add Federated Credential and Add Client hold them. */
export function federatedDefaults(audience: string, preset: PresetId = 'github_actions') {
  const p = PRESETS[preset];
  return {
    preset,
    name: '',
    issuer: p.issuer,
    audience,
    subjectOperator: p.subjectOperator,
    subject: p.subject,
    conditions: [] as { claim: string; operator: 'equals' | 'glob' | 'one_of'; value: string }[],
    keySource: p.keys,
    jwks: '',
    maxTokenAgeMinutes: '60',
    singleUse: p.singleUse,
    neverExpires: true,
    expiresAt: '',
  };
}

/** The field names the form shows (for server errors), under `prefix` ("" or "federated."). */
export function federatedShownFields(prefix: string): string[] {
  const names = ['preset', 'name', 'issuer', 'audience', 'subjectOperator', 'subject', 'conditions', 'keySource', 'jwks', 'maxTokenAgeMinutes', 'singleUse', 'neverExpires', 'expiresAt'];
  const rows = Array.from({ length: MAX_CONDITIONS }, (_, i) => ['claim', 'operator', 'value'].map((f) => `conditions.${i}.${f}`)).flat();
  return [...names, ...rows].map((n) => `${prefix}${n}`);
}

const OPERATOR_LABEL = { equals: 'Equals', glob: 'Matches glob', one_of: 'One of' } as const;

type Props<T extends FieldValues> = {
  form: UseFormReturn<T, unknown, unknown>;
  /** "" (Add and Edit Federated Credential) or "federated." (Add Client's Create Secret step). */
  prefix: '' | 'federated.';
  autoFocus?: boolean;
  /** Edit Federated Credential: the Enabled checkbox (the form has an `enabled` field). */
  showEnabled?: boolean;
};

/**
 * A federated credential's fields: Preset (fills Issuer, Subject and the suggested claims, and explains them), Name,
 * Issuer, Audience, Subject (equals or glob), Claim Conditions, Issuer Keys (OIDC discovery or a pasted JWK Set),
 * Maximum Token Age, single use, and an optional expiration.
 */
export function FederatedFields<T extends FieldValues>({ form, prefix, autoFocus, showEnabled }: Props<T>) {
  // The fields live under `prefix` in forms of different shapes: react-hook-form's paths are strings here.
  const f = form as unknown as UseFormReturn<Record<string, unknown>, unknown, unknown>;
  const { register, setValue, control, formState } = f;
  const name = (n: string) => `${prefix}${n}`;
  const err = (n: string): string | undefined => (get(formState.errors, name(n)) as { message?: string } | undefined)?.message;
  // A row field's message once that field was left, or once the form was sent with the row in it (see rowField below),
  // not before: a row added after a refused save starts without messages, like the first one.
  const rowErr = (i: number, field: 'claim' | 'operator' | 'value'): string | undefined => {
    const n = `conditions.${i}.${field}`;
    const row = conditions.fields[i];
    const sentWithRow = row !== undefined && formState.submitCount > (rowAddedAt.get(row.id) ?? formState.submitCount);
    return sentWithRow || get(formState.touchedFields, name(n)) ? err(n) : undefined;
  };
  const presetId = (useWatch({ control, name: name('preset') }) as PresetId | undefined) ?? 'oidc';
  const keySource = (useWatch({ control, name: name('keySource') }) as string | undefined) ?? 'discovery';
  const singleUse = (useWatch({ control, name: name('singleUse') }) as boolean | undefined) ?? true;
  const neverExpires = (useWatch({ control, name: name('neverExpires') }) as boolean | undefined) ?? true;
  const enabled = (useWatch({ control, name: name('enabled') }) as boolean | undefined) ?? true;
  const subjectOperator = (useWatch({ control, name: name('subjectOperator') }) as 'equals' | 'glob' | undefined) ?? 'equals';
  const conditions = useFieldArray({ control, name: name('conditions') as never });
  // The number of submits when each row appeared (rows are keyed by id): its messages wait for a submit after that.
  // Noted while rendering (React's "information from previous renders" pattern), so the new row's first render is right.
  const [rowAddedAt, setRowAddedAt] = useState<ReadonlyMap<string, number>>(() => new Map());
  const unnoted = conditions.fields.filter((row) => !rowAddedAt.has(row.id));
  if (unnoted.length > 0) setRowAddedAt(new Map([...rowAddedAt, ...unnoted.map((row) => [row.id, formState.submitCount] as const)]));
  const preset = PRESETS[presetId] ?? PRESETS.oidc;
  const dirty = { shouldDirty: true } as const;

  // Focus after adding or removing a condition row: the new row's Claim, or after a removal the next row's Claim (else
  // Add Condition), so keyboard users never lose their place (a "+ claim" button disappears once its row exists). The
  // row is rendered at once (flushSync) so it can take the focus in the same click, before anything else moves it.
  const addButton = useRef<HTMLButtonElement>(null);
  // Add Condition, the "+ claim" suggestions and Remove keep the focus where it is on mouse press: the click handler
  // moves it. A press that took the focus would first blur the field being typed in, which can show or clear that
  // field's message and move the button away from under the pointer before the release, and the click is lost.
  const keepFocus = (e: React.MouseEvent) => e.preventDefault();
  const { setFocus } = f;
  const focusRow = (i: number) => setFocus(`${prefix}conditions.${i}.claim`);
  // A condition row is validated as a whole (the value's message depends on the operator), so leaving its Claim can
  // show the Value's message before the Value was typed. Each of the row's fields re-checks itself as it changes while
  // it shows a message: the message goes as soon as the value is fixed, not when the field is left (which would move
  // Add Condition away from under the pointer between press and release, and lose the click).
  const rowField = (i: number, field: 'claim' | 'operator' | 'value') => {
    const path = name(`conditions.${i}.${field}`);
    return register(path, {
      onChange: () => {
        if (f.getFieldState(path).error) void f.trigger(path);
      },
    });
  };
  function addCondition(row: { claim: string; operator: 'equals' | 'glob' | 'one_of'; value: string }) {
    const index = conditions.fields.length;
    flushSync(() => conditions.append(row as never, { shouldFocus: false }));
    focusRow(index);
  }
  function removeCondition(i: number) {
    const next = i + 1 < conditions.fields.length ? i : null;
    flushSync(() => conditions.remove(i));
    if (next === null) addButton.current?.focus();
    else focusRow(next);
  }

  function choosePreset(id: PresetId) {
    const p = PRESETS[id];
    setValue(name('preset'), id, dirty);
    setValue(name('issuer'), p.issuer, dirty);
    setValue(name('subjectOperator'), p.subjectOperator, dirty);
    setValue(name('subject'), p.subject, dirty);
    setValue(name('keySource'), p.keys, dirty);
    setValue(name('singleUse'), p.singleUse, dirty);
    conditions.replace([]);
  }

  const suggested = preset.conditions.filter((s) => !conditions.fields.some((_, i) => get(f.getValues(), name(`conditions.${i}.claim`)) === s.claim));

  return (
    <div className="space-y-5">
      <Field label="Preset" hint={preset.summary}>
        {(p) => (
          <select
            {...p}
            autoFocus={autoFocus}
            value={presetId}
            onChange={(e) => choosePreset(e.target.value as PresetId)}
            className="block w-full rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
          >
            {PRESET_IDS.map((id) => (
              <option key={id} value={id}>
                {PRESETS[id].label}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Name" hint="Identifies the workload, e.g. deploy-production. Unique within the client." error={err('name')}>
        {(p) => <Input {...p} autoComplete="off" {...register(name('name'))} />}
      </Field>
      <Field label="Issuer" hint={preset.issuerHint} error={err('issuer')}>
        {(p) => <Input {...p} type="url" inputMode="url" autoComplete="off" spellCheck={false} {...register(name('issuer'))} />}
      </Field>
      <Field label="Audience" hint={`${preset.audienceHint} Defaults to this server's issuer URL.`} error={err('audience')}>
        {(p) => <Input {...p} autoComplete="off" spellCheck={false} {...register(name('audience'))} />}
      </Field>
      <RadioChoice
        legend="Subject Match"
        field={register(name('subjectOperator'))}
        value={subjectOperator}
        onChange={(v) => setValue(name('subjectOperator'), v, dirty)}
        options={[
          ['equals', 'Equals', 'The token\'s sub must be exactly the subject.'],
          ['glob', 'Matches glob', '* matches any characters (also / and :), ? one character, \\ makes the next one literal.'],
        ]}
      />
      <Field label="Subject" hint={preset.subjectHint} error={err('subject')}>
        {(p) => <Input {...p} autoComplete="off" spellCheck={false} className="font-mono" {...register(name('subject'))} />}
      </Field>

      <fieldset className="space-y-3">
        <legend className="text-sm font-medium text-slate-800">Claim Conditions</legend>
        <p className="text-xs text-slate-600">
          Optional. Every condition must hold. A claim that is a list holds when one of its values does. A nested claim is a path
          from <code className="font-mono">/</code>, one level per step: <code className="font-mono">/kubernetes.io/namespace</code> (inside a
          name, <code className="font-mono">~1</code> stands for <code className="font-mono">/</code>).
        </p>
        {conditions.fields.map((row, i) => (
          <div key={row.id} className="grid grid-cols-1 gap-2 rounded-md border border-slate-200 p-3 sm:grid-cols-[1fr_9rem_1fr_auto] sm:items-start">
            <Field label={`Claim ${i + 1}`} error={rowErr(i, 'claim')}>
              {(p) => <Input {...p} autoComplete="off" spellCheck={false} {...rowField(i, 'claim')} />}
            </Field>
            <Field label={`Operator ${i + 1}`} error={rowErr(i, 'operator')}>
              {(p) => (
                <select {...p} className="block w-full rounded-md border border-slate-300 bg-white px-2 py-2 text-sm" {...rowField(i, 'operator')}>
                  {(['equals', 'glob', 'one_of'] as const).map((o) => (
                    <option key={o} value={o}>
                      {OPERATOR_LABEL[o]}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <Field label={`Value ${i + 1}`} hint={preset.conditions.find((s) => s.claim === get(f.getValues(), name(`conditions.${i}.claim`)))?.hint} error={rowErr(i, 'value')}>
              {(p) => <Input {...p} autoComplete="off" spellCheck={false} {...rowField(i, 'value')} />}
            </Field>
            <Button variant="ghost" size="sm" className="justify-self-start text-red-700 sm:mt-6" aria-label={`Remove condition ${i + 1}`} onMouseDown={keepFocus} onClick={() => removeCondition(i)}>
              Remove
            </Button>
          </div>
        ))}
        {err('conditions') && <p className="text-sm text-red-700">{err('conditions')}</p>}
        <div className="flex flex-wrap gap-2">
          <Button ref={addButton} variant="secondary" size="sm" disabled={conditions.fields.length >= MAX_CONDITIONS} onMouseDown={keepFocus} onClick={() => addCondition({ claim: '', operator: 'equals', value: '' })}>
            Add Condition
          </Button>
          {suggested.map((s) => (
            <Button
              key={s.claim}
              variant="ghost"
              size="sm"
              title={s.hint}
              disabled={conditions.fields.length >= MAX_CONDITIONS}
              onMouseDown={keepFocus}
              onClick={() => addCondition({ claim: s.claim, operator: s.operator, value: s.value })}
            >
              + {s.claim}
            </Button>
          ))}
        </div>
      </fieldset>

      <RadioChoice
        legend="Issuer Keys"
        field={register(name('keySource'))}
        value={keySource as 'discovery' | 'pasted'}
        onChange={(v) => setValue(name('keySource'), v, dirty)}
        options={[
          ['discovery', 'OIDC discovery', 'Fetched from the issuer\'s /.well-known/openid-configuration over https (public addresses only).'],
          ['pasted', 'Paste JWKS', preset.keysHint],
        ]}
      />
      {keySource === 'pasted' && (
        <Field label="JWK Set" hint="The issuer's public keys as JSON ({&quot;keys&quot;: [...]}). Never a private key." error={err('jwks')}>
          {(p) => <Textarea {...p} rows={6} spellCheck={false} autoComplete="off" className="font-mono text-xs" placeholder='{"keys": [...]}' {...register(name('jwks'))} />}
        </Field>
      )}
      <Field label="Maximum Token Age (minutes)" hint={`How old a token may be (from its iat): 1 to ${MAX_AGE_MINUTES_MAX}. Default 60.`} error={err('maxTokenAgeMinutes')}>
        {(p) => <Input {...p} inputMode="numeric" className="max-w-40" {...register(name('maxTokenAgeMinutes'))} />}
      </Field>
      <Checkbox
        label="Accept each token only once"
        description={preset.singleUseHint}
        checked={singleUse}
        onCheckedChange={(v) => setValue(name('singleUse'), v, dirty)}
      />
      <Checkbox
        label="Never Expires"
        description="Federated credentials that never expire can still be removed later."
        checked={neverExpires}
        onCheckedChange={(v) => setValue(name('neverExpires'), v, dirty)}
      />
      {!neverExpires && (
        <Field label="Expiration Date" hint="Date and time in your time zone." error={err('expiresAt')}>
          {(p) => <Input {...p} type="datetime-local" min={toLocalInputValue(new Date())} {...register(name('expiresAt'))} />}
        </Field>
      )}
      {showEnabled && (
        <Checkbox
          label="Enabled"
          description="A disabled federated credential keeps its settings but accepts no token until it is enabled again."
          checked={enabled}
          onCheckedChange={(v) => setValue(name('enabled'), v, dirty)}
        />
      )}
    </div>
  );
}
