'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { updateFederatedCredentialAction } from '@/app/(console)/security/clients/federated-actions';
import type { FederatedCredentialRow } from '@/lib/clients/federated/credentials';
import { updateFederatedCredentialSchema } from '@/lib/clients/federated/federated-credential.schema';
import type { PresetId } from '@/lib/clients/federated/presets';
import { FormError, useActionForm } from './action-form';
import { FederatedFields, federatedShownFields } from './federated-fields';
import { UrlFormPane, type PaneFormProps } from '@/components/forms/form-pane';
import { toLocalInputValue } from './new-guid';

type FormIn = z.input<typeof updateFederatedCredentialSchema>;
type FormOut = z.output<typeof updateFederatedCredentialSchema>;
const FORM_ID = 'edit-federated-form';
const SHOWN_FIELDS = [...federatedShownFields(''), 'enabled'];

/** The URL value of the Edit Federated Credential pane of a credential: `?edit=federated-<id>`. */
export const editFederatedParam = (id: number) => `federated-${id}`;

/**
 * Edit Federated Credential (?edit=federated-<id>): every field of Add Federated Credential, filled with the stored
 * values, and Enabled. The same schema and checks as Add; the server keeps the change in the audit log.
 */
export function EditFederatedSheet({ clientId, credential }: { clientId: string; credential: FederatedCredentialRow }) {
  return (
    <UrlFormPane
      param={['edit', editFederatedParam(credential.id)]}
      title="Edit Federated Credential"
      description={`${credential.name}: tokens it accepts are checked against the saved values from the next request on.`}
      formId={FORM_ID}
      discard={{ title: 'Discard your changes?', description: 'The changes you made to this federated credential will be lost.' }}
    >
      {(form) => <EditFederatedForm key={credential.id} clientId={clientId} credential={credential} {...form} />}
    </UrlFormPane>
  );
}

/** The stored credential as the form's values. */
function formValues(clientId: string, c: FederatedCredentialRow): FormIn {
  const expiresAt = c.expiresAt ? new Date(c.expiresAt) : null;
  return {
    clientId,
    credentialId: c.id,
    preset: c.preset as PresetId,
    name: c.name,
    issuer: c.issuer,
    audience: c.audience,
    subjectOperator: c.subjectOperator,
    subject: c.subject,
    conditions: c.conditions.map((cond) => ({ claim: cond.claim, operator: cond.operator, value: cond.values.join(', ') })),
    keySource: c.keySource,
    jwks: c.jwksText,
    maxTokenAgeMinutes: String(Math.round(c.maxTokenAgeSeconds / 60)),
    singleUse: c.singleUse,
    neverExpires: expiresAt === null,
    expiresAt: expiresAt ? toLocalInputValue(expiresAt) : '',
    currentExpiresAt: expiresAt ? expiresAt.toISOString() : null,
    enabled: c.enabled,
  };
}

function EditFederatedForm({ clientId, credential, onDone, onDirtyChange, onPendingChange }: PaneFormProps & { clientId: string; credential: FederatedCredentialRow }) {
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(updateFederatedCredentialSchema),
    mode: 'onTouched',
    defaultValues: formValues(clientId, credential),
  });
  const { formError, submit } = useActionForm(form, { shownFields: SHOWN_FIELDS, onDirtyChange, onPendingChange });
  const save = (values: FormOut) => submit(() => updateFederatedCredentialAction(values), onDone);
  return (
    <form method="post" id={FORM_ID} onSubmit={(e) => void form.handleSubmit(save)(e)} noValidate aria-label="Edit Federated Credential">
      <FormError message={formError} className="mb-4" />
      <FederatedFields form={form as never} prefix="" showEnabled />
    </form>
  );
}
