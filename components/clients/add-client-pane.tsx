'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useRef, useState } from 'react';
import type { AddClientPaneFormProps, AddClientStep } from './client-fields';
import { ADD_CLIENT_BUTTON_ID } from './ids';
import { DISCARD_NEW, FormPane, useFormPane } from '@/components/forms/form-pane';
import { SecretCreatedDialog, type ShownSecret } from './secret-created-dialog';

/**
 * What the Add Client panes of every client type share (open while the URL has ?add=client): the step, which goes
 * back to the first pane when the URL closes, and the Client Successfully Created window. The new secret lives only
 * in this state, and is dropped when the window closes; the new client's id is kept, so focus then goes to its row.
 */
export function useAddClientPane() {
  const router = useRouter();
  const [step, setStep] = useState<AddClientStep>('client');
  const pane = useFormPane('add', 'client', () => setStep('client'));
  const [created, setCreated] = useState<ShownSecret | null>(null);
  const createdId = useRef<string | null>(null);
  const { close } = pane;
  /** Shows the one-time window (a secret, or only the Client Id) over the refreshed list. */
  const showCreated = useCallback(
    (shown: ShownSecret) => {
      createdId.current = shown.clientId;
      setCreated(shown);
      close();
      router.refresh();
    },
    [close, router],
  );
  return { pane, step, setStep, showCreated, created, clearCreated: () => setCreated(null), createdId };
}

type AddClientPaneProps = {
  state: ReturnType<typeof useAddClientPane>;
  formId: string;
  description: React.ReactNode;
  /** On the first pane: Next (validate and go on to Create Secret) rather than Save. */
  advance: boolean;
  children: (form: AddClientPaneFormProps) => React.ReactNode;
};

/** The Add Client / Create Secret pane with its discard guard, and the Client Successfully Created window. */
export function AddClientPane({ state, formId, description, advance, children }: AddClientPaneProps) {
  const { pane, step, setStep, created, clearCreated, createdId } = state;
  return (
    <>
      <FormPane
        pane={pane}
        title={step === 'client' ? 'Add Client' : 'Create Secret'}
        description={description}
        formId={formId}
        discard={{ title: 'Discard this client?', description: DISCARD_NEW }}
        onBack={step === 'client' ? undefined : () => setStep('client')}
        advance={step === 'client' && advance}
      >
        {children({ formId, step, onStepChange: setStep, onDirtyChange: pane.setDirty, onPendingChange: pane.setPending })}
      </FormPane>
      <SecretCreatedDialog
        title="Client Successfully Created"
        value={created}
        onClosed={clearCreated}
        returnFocus={() =>
          document.querySelector<HTMLElement>(`a[href="/security/clients/${createdId.current}"]`) ??
          document.getElementById(ADD_CLIENT_BUTTON_ID)
        }
      />
    </>
  );
}
