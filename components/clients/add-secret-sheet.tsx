'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { addSecretAction } from '@/app/(console)/security/clients/actions';
import { addSecretSchema } from '@/lib/clients/secret.schema';
import { Button } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Sheet } from '@/components/ui/sheet';
import { applyResult } from './form-result';
import { oneYearFromNow } from './new-guid';
import { SecretCreatedDialog, type ShownSecret } from './secret-created-dialog';
import { SecretFields } from './secret-fields';
import { usePaneParam } from './use-pane-param';

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
  const router = useRouter();
  const pane = usePaneParam('add', 'secret');
  const [dirty, setDirty] = useState(false);
  const [pending, setPending] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [created, setCreated] = useState<ShownSecret | null>(null);
  const [closing, setClosing] = useState(false);
  const [urlOpen, setUrlOpen] = useState(pane.isOpen);
  if (urlOpen !== pane.isOpen) {
    setUrlOpen(pane.isOpen);
    if (!pane.isOpen) {
      setClosing(false);
      setDirty(false);
    }
  }

  const close = useCallback(() => {
    setClosing(true);
    pane.close();
  }, [pane]);
  const requestClose = () => {
    if (pending) return;
    if (dirty) setConfirmDiscard(true);
    else close();
  };

  return (
    <>
      <Sheet
        // At the limit the pane does not open even from a deep link: the Secrets tab says why.
        open={pane.isOpen && !closing && !atLimit}
        onOpenChange={(next) => (next ? pane.open() : requestClose())}
        onRequestClose={requestClose}
        title="Add Secret"
        description="The new secret is shown once, after Save. Existing secrets keep working."
        footer={
          <>
            <Button variant="secondary" onClick={requestClose} disabled={pending}>
              Cancel
            </Button>
            <SubmitButton form={FORM_ID} disabled={pending} aria-busy={pending}>
              {pending ? 'Saving…' : 'Save'}
            </SubmitButton>
          </>
        }
      >
        <AddSecretForm
          clientId={clientId}
          onDirtyChange={setDirty}
          onPendingChange={setPending}
          onCreated={(shown) => {
            setCreated(shown);
            close();
            router.refresh();
          }}
        />
      </Sheet>
      <ConfirmDialog
        open={confirmDiscard}
        onOpenChange={setConfirmDiscard}
        title="Discard this secret?"
        description="The values you entered will be lost. Nothing has been saved."
        confirmLabel="Discard"
        cancelLabel="Keep editing"
        variant="danger"
        onConfirm={close}
      />
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
}: {
  clientId: string;
  onCreated: (shown: ShownSecret) => void;
  onDirtyChange: (dirty: boolean) => void;
  onPendingChange: (pending: boolean) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setValue,
    setError,
    control,
    formState: { errors, isDirty, isSubmitting, isSubmitted },
  } = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(addSecretSchema),
    mode: 'onTouched',
    defaultValues: { clientId, description: '', neverExpires: false, expiresAt: oneYearFromNow() },
  });
  const neverExpires = useWatch({ control, name: 'neverExpires' }) ?? false;
  useEffect(() => onDirtyChange(isDirty), [isDirty, onDirtyChange]);
  useEffect(() => onPendingChange(isSubmitting), [isSubmitting, onPendingChange]);

  const save = async (values: FormOut) => {
    setFormError(null);
    try {
      const result = await addSecretAction(values);
      if (result.ok) return onCreated({ clientId: result.data.clientId, secret: result.data.secret });
      applyResult(result, setError, setFormError, SHOWN_FIELDS);
    } catch {
      setFormError('The server could not be reached. Nothing was saved; try again.');
    }
  };

  return (
    <form method="post" id={FORM_ID} onSubmit={(e) => void handleSubmit(save)(e)} noValidate aria-label="Add Secret">
      {formError && (
        <div role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {formError}
        </div>
      )}
      <SecretFields
        description={register('description')}
        expiresAt={register('expiresAt')}
        neverExpires={neverExpires}
        onNeverExpiresChange={(v) => setValue('neverExpires', v, { shouldDirty: true, shouldValidate: isSubmitted })}
        errors={{ description: errors.description?.message, expiresAt: errors.expiresAt?.message, neverExpires: errors.neverExpires?.message }}
      />
    </form>
  );
}
