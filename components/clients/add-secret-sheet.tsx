'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { addSecretAction } from '@/app/(console)/security/clients/actions';
import { addSecretSchema } from '@/lib/clients/secret.schema';
import { FormError, useActionForm, useExpiryFields } from './action-form';
import { DISCARD_NEW, UrlFormPane, type PaneFormProps } from '@/components/forms/form-pane';
import { oneYearFromNow } from './new-guid';
import { SecretCreatedDialog, type ShownSecret } from './secret-created-dialog';
import { SecretFields } from './secret-fields';

/** Focus goes back to Add Secret after the one-time window (or to the selected tab when Add Secret is disabled). */
export const ADD_SECRET_BUTTON_ID = 'add-secret-button';
const addSecretOrTab = () => {
  const button = document.getElementById(ADD_SECRET_BUTTON_ID);
  return button instanceof HTMLButtonElement && !button.disabled
    ? button
    : document.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]');
};

type FormIn = z.input<typeof addSecretSchema>;
type FormOut = z.output<typeof addSecretSchema>;
const FORM_ID = 'add-secret-form';
const SHOWN_FIELDS = ['description', 'expiresAt', 'neverExpires'];

/**
 * The Add Secret pane (?add=secret) and, after Save, the one-time secret window (same copy and close behaviour as
 * Add Client). The secret lives only in this component's state until that window closes.
 */
export function AddSecretSheet({ clientId, atLimit }: { clientId: string; atLimit: boolean }) {
  const [created, setCreated] = useState<ShownSecret | null>(null);

  return (
    <>
      <UrlFormPane
        param={['add', 'secret']}
        // At the limit the pane does not open even from a deep link: the Secrets tab says why.
        unavailable={atLimit}
        title="Add Secret"
        description="The new secret is shown once, after Save. Existing secrets keep working."
        formId={FORM_ID}
        discard={{ title: 'Discard this secret?', description: DISCARD_NEW }}
      >
        {({ onDone, ...form }) => (
          <AddSecretForm
            clientId={clientId}
            {...form}
            onCreated={(shown) => {
              setCreated(shown);
              onDone();
            }}
          />
        )}
      </UrlFormPane>
      <SecretCreatedDialog
        title="Secret Successfully Created"
        value={created}
        onClosed={() => setCreated(null)}
        returnFocus={addSecretOrTab}
      />
    </>
  );
}

function AddSecretForm({
  clientId,
  onCreated,
  onDirtyChange,
  onPendingChange,
}: Omit<PaneFormProps, 'onDone'> & { clientId: string; onCreated: (shown: ShownSecret) => void }) {
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(addSecretSchema),
    mode: 'onTouched',
    defaultValues: { clientId, description: '', neverExpires: false, expiresAt: oneYearFromNow() },
  });
  const { formError, submit } = useActionForm(form, { shownFields: SHOWN_FIELDS, onDirtyChange, onPendingChange });
  const expiry = useExpiryFields(form);

  const save = (values: FormOut) =>
    submit(() => addSecretAction(values), (data) => onCreated({ clientId: data.clientId, secret: data.secret }));

  return (
    <form method="post" id={FORM_ID} onSubmit={(e) => void form.handleSubmit(save)(e)} noValidate aria-label="Add Secret">
      <FormError message={formError} className="mb-4" />
      <SecretFields {...expiry} />
    </form>
  );
}
