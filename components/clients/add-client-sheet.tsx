'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useRef, useState } from 'react';
import type { CreatedClient } from '@/lib/clients/create-client';
import type { RoleOption } from '@/lib/roles/queries';
import { Button } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Sheet } from '@/components/ui/sheet';
import { AddClientForm, type AddClientStep } from './add-client-form';
import { ADD_CLIENT_BUTTON_ID } from './clients-toolbar';
import { SecretCreatedDialog, type ShownSecret } from './secret-created-dialog';
import { usePaneParam } from './use-pane-param';

const FORM_ID = 'add-client-form';

/**
 * The Add Client pane (open while the URL has ?add=client) and, after Save, the Client Successfully Created
 * window. The new secret lives only in this component's state, and is dropped when the window closes.
 */
export function AddClientSheet({ tenantRoles, communityRoles }: { tenantRoles: RoleOption[]; communityRoles: RoleOption[] }) {
  const router = useRouter();
  const pane = usePaneParam('add', 'client');
  const [step, setStep] = useState<AddClientStep>('client');
  const [dirty, setDirty] = useState(false);
  const [pending, setPending] = useState(false);
  const [credential, setCredential] = useState<'secret' | 'key'>('secret');
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [created, setCreated] = useState<ShownSecret | null>(null);
  // Kept after the window closes (the secret is not): focus then goes to the new client's row.
  const createdId = useRef<string | null>(null);
  // Closing hides the pane at once; the URL follows (and the list refresh may take a moment).
  const [closing, setClosing] = useState(false);
  const [urlOpen, setUrlOpen] = useState(pane.isOpen);
  if (urlOpen !== pane.isOpen) {
    setUrlOpen(pane.isOpen);
    if (!pane.isOpen) {
      setClosing(false);
      setStep('client');
      setDirty(false);
    }
  }
  const open = pane.isOpen && !closing;

  const close = useCallback(() => {
    setClosing(true);
    pane.close();
  }, [pane]);
  const requestClose = () => {
    if (pending) return;
    if (dirty) setConfirmDiscard(true);
    else close();
  };
  const onCreated = useCallback(
    (c: CreatedClient) => {
      createdId.current = c.clientId;
      setCreated({ clientId: c.clientId, secret: c.secret });
      close();
      router.refresh();
    },
    [close, router],
  );

  return (
    <>
      <Sheet
        open={open}
        onOpenChange={(next) => (next ? pane.open() : requestClose())}
        onRequestClose={requestClose}
        title={step === 'client' ? 'Add Client' : 'Create Secret'}
        description={
          step === 'client'
            ? 'A client-credentials client lets a server get tokens without a user.'
            : credential === 'key'
              ? 'The client will authenticate with its key pair: only the public key is stored.'
              : 'The secret is shown once, after Save.'
        }
        footer={
          step === 'client' ? (
            <>
              <Button variant="secondary" onClick={requestClose}>
                Cancel
              </Button>
              <SubmitButton form={FORM_ID}>
                Next
              </SubmitButton>
            </>
          ) : (
            <>
              <Button variant="secondary" onClick={() => setStep('client')} disabled={pending}>
                Back
              </Button>
              <SubmitButton form={FORM_ID} disabled={pending} aria-busy={pending}>
                {pending ? 'Saving…' : 'Save'}
              </SubmitButton>
            </>
          )
        }
      >
        <AddClientForm
          formId={FORM_ID}
          step={step}
          onStepChange={setStep}
          tenantRoles={tenantRoles}
          communityRoles={communityRoles}
          onCreated={onCreated}
          onDirtyChange={setDirty}
          onPendingChange={setPending}
          onCredentialChange={setCredential}
        />
      </Sheet>
      <ConfirmDialog
        open={confirmDiscard}
        onOpenChange={setConfirmDiscard}
        title="Discard this client?"
        description="The values you entered will be lost. Nothing has been saved."
        confirmLabel="Discard"
        cancelLabel="Keep editing"
        variant="danger"
        onConfirm={close}
      />
      <SecretCreatedDialog
        title="Client Successfully Created"
        value={created}
        onClosed={() => setCreated(null)}
        returnFocus={() =>
          document.querySelector<HTMLElement>(`a[href="/security/clients/${createdId.current}"]`) ??
          document.getElementById(ADD_CLIENT_BUTTON_ID)
        }
      />
    </>
  );
}
