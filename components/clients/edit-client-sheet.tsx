'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useState } from 'react';
import type { RoleOption } from '@/lib/roles/queries';
import { Button } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Sheet } from '@/components/ui/sheet';
import { EditClientForm, type EditableClient } from './edit-client-form';
import { usePaneParam } from './use-pane-param';

const FORM_ID = 'edit-client-form';

/** The Edit Client pane, open while the URL has ?edit=client. */
export function EditClientSheet({
  client,
  tenantRoles,
  communityRoles,
}: {
  client: EditableClient;
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
}) {
  const router = useRouter();
  const pane = usePaneParam('edit', 'client');
  const [dirty, setDirty] = useState(false);
  const [pending, setPending] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
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
        open={pane.isOpen && !closing}
        onOpenChange={(next) => (next ? pane.open() : requestClose())}
        onRequestClose={requestClose}
        title="Edit Client"
        description={client.name}
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
        <EditClientForm
          // A newer version (after Reload) starts the form again from the current values.
          key={client.version}
          formId={FORM_ID}
          client={client}
          tenantRoles={tenantRoles}
          communityRoles={communityRoles}
          onSaved={() => {
            close();
            router.refresh();
          }}
          onDirtyChange={setDirty}
          onPendingChange={setPending}
          onReload={() => router.refresh()}
        />
      </Sheet>
      <ConfirmDialog
        open={confirmDiscard}
        onOpenChange={setConfirmDiscard}
        title="Discard your changes?"
        description="The changes you made to this client will be lost."
        confirmLabel="Discard"
        cancelLabel="Keep editing"
        variant="danger"
        onConfirm={close}
      />
    </>
  );
}
