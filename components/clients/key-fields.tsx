'use client';

import type { UseFormRegisterReturn } from 'react-hook-form';
import { Checkbox } from '@/components/ui/checkbox';
import { Field, Input } from '@/components/ui/field';
import { Textarea } from '@/components/roles/textarea';
import { SECRET_DESCRIPTION_MAX } from '@/lib/clients/limits';
import { toLocalInputValue } from './new-guid';

type Source = 'key' | 'jwks_url';

type KeyFieldsProps = {
  /** false: a pasted public key only (Add Client), without the JWKS URL choice. */
  showSource?: boolean;
  autoFocus?: boolean;
  source: Source;
  onSourceChange?: (value: Source) => void;
  sourceField?: UseFormRegisterReturn;
  publicKey: UseFormRegisterReturn;
  jwksUrl?: UseFormRegisterReturn;
  description: UseFormRegisterReturn;
  expiresAt: UseFormRegisterReturn;
  neverExpires: boolean;
  onNeverExpiresChange: (value: boolean) => void;
  errors: { publicKey?: string; jwksUrl?: string; description?: string; expiresAt?: string; neverExpires?: string };
};

/** Public Key or JWKS URL, Description, Expiration Date and Never Expires: Add Key and Add Client's key choice. */
export function KeyFields(props: KeyFieldsProps) {
  const { source, onSourceChange, sourceField, errors, neverExpires, showSource = true } = props;
  return (
    <div className="space-y-5">
      {showSource && (
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-slate-800">Key Source</legend>
        {(
          [
            ['key', 'Public Key', 'Paste a PEM public key or a JWK.'],
            ['jwks_url', 'JWKS URL', 'The client publishes its keys at an https URL; they are fetched from there.'],
          ] as const
        ).map(([value, label, hint]) => (
          <label key={value} className="flex items-start gap-2 text-sm">
            <input
              type="radio"
              {...sourceField}
              value={value}
              checked={source === value}
              onChange={() => onSourceChange?.(value)}
              className="mt-0.5 h-4 w-4 accent-brand-600"
            />
            <span>
              <span className="font-medium text-slate-800">{label}</span>
              <span className="block text-xs text-slate-600">{hint}</span>
            </span>
          </label>
        ))}
      </fieldset>
      )}
      {source === 'key' || !props.jwksUrl ? (
        <Field
          label="Public Key"
          hint="RSA (2048 bits or more), EC P-256 or P-384, or Ed25519. Never paste the private key."
          error={errors.publicKey}
        >
          {(p) => (
            <Textarea
              {...p}
              rows={8}
              spellCheck={false}
              autoComplete="off"
              className="font-mono text-xs"
              placeholder="-----BEGIN PUBLIC KEY-----"
              autoFocus={props.autoFocus}
              {...props.publicKey}
            />
          )}
        </Field>
      ) : (
        <Field label="JWKS URL" hint="For example https://app.example.com/.well-known/jwks.json" error={errors.jwksUrl}>
          {(p) => <Input {...p} type="url" inputMode="url" autoComplete="off" {...props.jwksUrl} />}
        </Field>
      )}
      <Field label="Description" hint={`Optional. Up to ${SECRET_DESCRIPTION_MAX} characters.`} error={errors.description}>
        {(p) => <Input {...p} maxLength={SECRET_DESCRIPTION_MAX + 50} {...props.description} />}
      </Field>
      <Field
        label="Expiration Date"
        hint={neverExpires ? 'The key never expires.' : 'Date and time in your time zone. Defaults to one year from now.'}
        error={neverExpires ? undefined : errors.expiresAt}
      >
        {(p) => (
          <Input
            {...p}
            type="datetime-local"
            min={toLocalInputValue(new Date())}
            disabled={neverExpires}
            aria-invalid={!neverExpires && Boolean(errors.expiresAt)}
            {...props.expiresAt}
          />
        )}
      </Field>
      <Checkbox
        label="Never Expires"
        description="Keys that never expire can still be removed later."
        checked={neverExpires}
        onCheckedChange={props.onNeverExpiresChange}
      />
      {errors.neverExpires && <p className="text-sm text-red-700">{errors.neverExpires}</p>}
    </div>
  );
}
