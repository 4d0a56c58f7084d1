'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useRef, useState } from 'react';
import type { CreatedUserClient } from '@/lib/clients/create-user-client';
import type { UserClientType } from '@/lib/clients/client-types';
import type { RoleOption } from '@/lib/roles/queries';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Sheet } from '@/components/ui/sheet';
import { SubmitButton } from '@/components/ui/submit-button';
import type { AddClientStep } from './add-client-form';
import { AddUserClientForm } from './add-user-client-form';
import { ADD_CLIENT_BUTTON_ID } from './clients-toolbar';
import { SecretCreatedDialog, type ShownSecret } from './secret-created-dialog';
import { usePaneParam } from './use-pane-param';

const FORM_ID = 'add-user-client-form';

const DESCRIPTIONS: Record<UserClientType, string> = {
  authorization_code: 'An Authorization Code client is a browser or native app that signs users in with PKCE. It has no secret.',
  hybrid: 'A Hybrid client is a server-side web app that signs users in and authenticates with a secret.',
};

/**
 * Add Client for the Authorization Code and Hybrid types (open while the URL has ?add=client). A Hybrid client's
 * Save shows the Client Successfully Created window with its one-time secret; an Authorization Code client has no
 * secret, so Save opens its details page.
 */
export function AddUserClientSheet({
  clientType,
  tenantRoles,
  communityRoles,
}: {
  clientType: UserClientType;
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
}) {
  const router = useRouter();
  const pane = usePaneParam('add', 'client');
  const [step, setStep] = useState<AddClientStep>('client');
  const [dirty, setDirty] = useState(false);
  const [pending, setPending] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [created, setCreated] = useState<ShownSecret | null>(null);
  const createdId = useRef<string | null>(null);
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
  const hybrid = clientType === 'hybrid';

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
    (c: CreatedUserClient) => {
      createdId.current = c.clientId;
      if (c.secret) {
        setCreated({ clientId: c.clientId, secret: c.secret });
        close();
        router.refresh();
      } else {
        router.push(`/security/clients/${c.clientId}`);
      }
    },
    [close, router],
  );
  const saveButton = (
    <SubmitButton form={FORM_ID} disabled={pending} aria-busy={pending}>
      {pending ? 'Saving…' : 'Save'}
    </SubmitButton>
  );

  return (
    <>
      <Sheet
        open={open}
        onOpenChange={(next) => (next ? pane.open() : requestClose())}
        onRequestClose={requestClose}
        title={step === 'client' ? 'Add Client' : 'Create Secret'}
        description={step === 'client' ? DESCRIPTIONS[clientType] : 'The secret is shown once, after Save.'}
        footer={
          step === 'client' ? (
            <>
              <Button variant="secondary" onClick={requestClose} disabled={pending}>
                Cancel
              </Button>
              {hybrid ? (
                <SubmitButton form={FORM_ID}>
                  Next
                </SubmitButton>
              ) : (
                saveButton
              )}
            </>
          ) : (
            <>
              <Button variant="secondary" onClick={() => setStep('client')} disabled={pending}>
                Back
              </Button>
              {saveButton}
            </>
          )
        }
      >
        <AddUserClientForm
          key={clientType}
          formId={FORM_ID}
          clientType={clientType}
          step={step}
          onStepChange={setStep}
          tenantRoles={tenantRoles}
          communityRoles={communityRoles}
          onCreated={onCreated}
          onDirtyChange={setDirty}
          onPendingChange={setPending}
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
