'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { addKeyAction } from '@/app/(console)/security/clients/actions';
import { addKeySchema } from '@/lib/clients/key.schema';
import { FormError, useActionForm, useExpiryFields } from './action-form';
import { DISCARD_NEW, UrlFormPane, type PaneFormProps } from '@/components/forms/form-pane';
import { KeyFields } from './key-fields';
import { oneYearFromNow } from './new-guid';

type FormIn = z.input<typeof addKeySchema>;
type FormOut = z.output<typeof addKeySchema>;
const FORM_ID = 'add-key-form';
const SHOWN_FIELDS = ['source', 'publicKey', 'jwksUrl', 'description', 'expiresAt', 'neverExpires'];

/** The Add Key pane (?add=key): a public key (PEM or JWK) or a JWKS URL, with a description and an expiration. */
export function AddKeySheet({ clientId, atLimit }: { clientId: string; atLimit: boolean }) {
  return (
    <UrlFormPane
      param={['add', 'key']}
      unavailable={atLimit}
      title="Add Key"
      description="The client signs its token requests with the private key (private_key_jwt). Paste only the public key."
      formId={FORM_ID}
      discard={{ title: 'Discard this key?', description: DISCARD_NEW }}
    >
      {(form) => <AddKeyForm clientId={clientId} {...form} />}
    </UrlFormPane>
  );
}

function AddKeyForm({ clientId, onDone, onDirtyChange, onPendingChange }: PaneFormProps & { clientId: string }) {
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(addKeySchema),
    mode: 'onTouched',
    defaultValues: { clientId, source: 'key', publicKey: '', jwksUrl: '', description: '', neverExpires: false, expiresAt: oneYearFromNow() },
  });
  const { register, handleSubmit, setValue, control, formState: { errors } } = form;
  const { formError, submit } = useActionForm(form, { shownFields: SHOWN_FIELDS, onDirtyChange, onPendingChange });
  const expiry = useExpiryFields(form);
  const source = useWatch({ control, name: 'source' }) ?? 'key';

  const save = (values: FormOut) => submit(() => addKeyAction(values), onDone);

  return (
    <form method="post" id={FORM_ID} onSubmit={(e) => void handleSubmit(save)(e)} noValidate aria-label="Add Key">
      <FormError message={formError} className="mb-4" />
      <KeyFields
        {...expiry}
        source={source}
        onSourceChange={(v) => setValue('source', v, { shouldDirty: true })}
        sourceField={register('source')}
        publicKey={register('publicKey')}
        jwksUrl={register('jwksUrl')}
        errors={{ ...expiry.errors, publicKey: errors.publicKey?.message, jwksUrl: errors.jwksUrl?.message }}
      />
    </form>
  );
}
