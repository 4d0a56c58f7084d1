'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { addFederatedCredentialAction } from '@/app/(console)/security/clients/federated-actions';
import { addFederatedCredentialSchema } from '@/lib/clients/federated/federated-credential.schema';
import { FormError, useActionForm } from './action-form';
import { federatedDefaults, FederatedFields, federatedShownFields } from './federated-fields';
import { DISCARD_NEW, UrlFormPane, type PaneFormProps } from '@/components/forms/form-pane';

type FormIn = z.input<typeof addFederatedCredentialSchema>;
type FormOut = z.output<typeof addFederatedCredentialSchema>;
const FORM_ID = 'add-federated-form';
const SHOWN_FIELDS = federatedShownFields('');

/** The Add Federated Credential pane (?add=federated). `audience`: this server's issuer URL, the default audience. */
export function AddFederatedSheet({ clientId, atLimit, audience }: { clientId: string; atLimit: boolean; audience: string }) {
  return (
    <UrlFormPane
      param={['add', 'federated']}
      unavailable={atLimit}
      title="Add Federated Credential"
      description="The workload authenticates with the token its platform issues it: nothing secret is stored or copied."
      formId={FORM_ID}
      discard={{ title: 'Discard this federated credential?', description: DISCARD_NEW }}
    >
      {(form) => <AddFederatedForm clientId={clientId} audience={audience} {...form} />}
    </UrlFormPane>
  );
}

function AddFederatedForm({ clientId, audience, onDone, onDirtyChange, onPendingChange }: PaneFormProps & { clientId: string; audience: string }) {
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(addFederatedCredentialSchema),
    mode: 'onTouched',
    defaultValues: { clientId, ...federatedDefaults(audience) },
  });
  const { formError, submit } = useActionForm(form, { shownFields: SHOWN_FIELDS, onDirtyChange, onPendingChange });
  const save = (values: FormOut) => submit(() => addFederatedCredentialAction(values), onDone);
  return (
    <form method="post" id={FORM_ID} onSubmit={(e) => void form.handleSubmit(save)(e)} noValidate aria-label="Add Federated Credential">
      <FormError message={formError} className="mb-4" />
      <FederatedFields form={form as never} prefix="" autoFocus />
    </form>
  );
}
