'use client';

import type { UseFormRegisterReturn } from 'react-hook-form';

export type CredentialKind = 'secret' | 'key' | 'federated';

/**
 * The Create Secret step's choice of credential: a client secret (the default), a public key (private_key_jwt) or a
 * federated credential (the workload's platform token).
 */
export function CredentialChoice({ value, onChange }: { value: CredentialKind; onChange: (value: CredentialKind) => void }) {
  return (
    <RadioChoice
      legend="Credential"
      name="credential"
      className="mb-5"
      value={value}
      onChange={onChange}
      options={[
        ['secret', 'Client Secret', 'A generated secret, shown once after Save.'],
        ['key', 'Public Key', 'The client signs its token requests with its own private key; nothing secret is stored here.'],
        ['federated', 'Federated Credential', 'A CI job, Kubernetes pod or other workload uses the token its platform gives it: no secret at all.'],
      ]}
    />
  );
}

type RadioChoiceProps<V extends string> = {
  legend: string;
  /** Each option: value, label, hint under the label. */
  options: readonly (readonly [V, string, string])[];
  value: V;
  onChange: (value: V) => void;
  /** The radios' name, or the form field they are registered as (its onChange is replaced by `onChange`). */
  name?: string;
  field?: UseFormRegisterReturn;
  className?: string;
};

/** A fieldset of radio buttons, each with a label and a hint (Credential, Key Source). */
export function RadioChoice<V extends string>({ legend, options, value, onChange, name, field, className = '' }: RadioChoiceProps<V>) {
  return (
    <fieldset className={`${className} space-y-2`.trim()}>
      <legend className="text-sm font-medium text-slate-800">{legend}</legend>
      {options.map(([v, label, hint]) => (
        <label key={v} className="flex items-start gap-2 text-sm">
          <input
            type="radio"
            name={name}
            {...field}
            value={v}
            checked={value === v}
            onChange={() => onChange(v)}
            className="mt-0.5 h-4 w-4 accent-brand-600"
          />
          <span>
            <span className="font-medium text-slate-800">{label}</span>
            <span className="block text-xs text-slate-600">{hint}</span>
          </span>
        </label>
      ))}
    </fieldset>
  );
}
