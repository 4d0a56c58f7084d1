'use client';

import type { UseFormRegisterReturn } from 'react-hook-form';
import { Checkbox } from '@/components/ui/checkbox';
import { Field, Input } from '@/components/ui/field';
import { SECRET_DESCRIPTION_MAX } from '@/lib/clients/limits';
import { toLocalInputValue } from './new-guid';

type SecretFieldsProps = {
  description: UseFormRegisterReturn;
  expiresAt: UseFormRegisterReturn;
  neverExpires: boolean;
  onNeverExpiresChange: (value: boolean) => void;
  errors: { description?: string; expiresAt?: string; neverExpires?: string };
  autoFocus?: boolean;
};

/** Description, Expiration Date and Never Expires: the Create Secret pane, Add Secret and Edit Secret. */
export function SecretFields(props: SecretFieldsProps) {
  return (
    <div className="space-y-5">
      <CredentialDetailsFields noun="secret" {...props} />
    </div>
  );
}

/** Description, Expiration Date and Never Expires of a secret or a key (SecretFields, KeyFields). */
export function CredentialDetailsFields({
  noun,
  description,
  expiresAt,
  neverExpires,
  onNeverExpiresChange,
  errors,
  autoFocus,
}: SecretFieldsProps & { noun: 'secret' | 'key' }) {
  return (
    <>
      <Field label="Description" hint={`Optional. Up to ${SECRET_DESCRIPTION_MAX} characters.`} error={errors.description}>
        {(p) => <Input {...p} autoFocus={autoFocus} maxLength={SECRET_DESCRIPTION_MAX + 50} {...description} />}
      </Field>
      <Field
        label="Expiration Date"
        hint={neverExpires ? `The ${noun} never expires.` : 'Date and time in your time zone. Defaults to one year from now.'}
        error={neverExpires ? undefined : errors.expiresAt}
      >
        {(p) => (
          <Input
            {...p}
            type="datetime-local"
            min={toLocalInputValue(new Date())}
            disabled={neverExpires}
            aria-invalid={!neverExpires && Boolean(errors.expiresAt)}
            {...expiresAt}
          />
        )}
      </Field>
      <Checkbox
        label="Never Expires"
        description={`${noun === 'key' ? 'Keys' : 'Secrets'} that never expire can still be removed later.`}
        checked={neverExpires}
        onCheckedChange={onNeverExpiresChange}
      />
      {errors.neverExpires && <p className="text-sm text-red-700">{errors.neverExpires}</p>}
    </>
  );
}
