'use client';

import type { UseFormRegisterReturn } from 'react-hook-form';
import { Field, Input } from '@/components/ui/field';
import { Textarea } from '@/components/ui/textarea';
import { RadioChoice } from './credential-choice';
import { CredentialDetailsFields } from './secret-fields';

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
        <RadioChoice
          legend="Key Source"
          field={sourceField}
          value={source}
          onChange={(v) => onSourceChange?.(v)}
          options={[
            ['key', 'Public Key', 'Paste a PEM public key or a JWK.'],
            ['jwks_url', 'JWKS URL', 'The client publishes its keys at an https URL; they are fetched from there.'],
          ]}
        />
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
      <CredentialDetailsFields
        noun="key"
        description={props.description}
        expiresAt={props.expiresAt}
        neverExpires={neverExpires}
        onNeverExpiresChange={props.onNeverExpiresChange}
        errors={errors}
      />
    </div>
  );
}
