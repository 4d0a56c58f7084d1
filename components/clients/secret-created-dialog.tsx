'use client';

import { useId, useState } from 'react';
import { OneTimeDialog, OneTimeValue, ShownOnceNotice } from '@/components/ui/one-time-dialog';

/** `secret` null: the client was added with a public key, so there is only the Client Id to show. */
export type ShownSecret = { clientId: string; secret: string | null };

type SecretCreatedDialogProps = {
  /** "Client Successfully Created" or "Secret Successfully Created". */
  title: string;
  /** The one-time values; null closes the dialog. */
  value: ShownSecret | null;
  /** Called after the user closed the dialog: drop the secret from state. */
  onClosed: () => void;
  /** Where focus goes on close: the Save button that opened this window is gone by then. */
  returnFocus?: () => HTMLElement | null;
};

/**
 * Shows a new client secret once. Each value has its own Copy button; closing without having copied the secret
 * asks first, and Escape or a click outside never closes it silently. The caller drops the secret on close.
 */
export function SecretCreatedDialog({ title, value, onClosed, returnFocus }: SecretCreatedDialogProps) {
  const [copiedSecret, setCopiedSecret] = useState(false);
  const idField = useId();
  const secretField = useId();

  return (
    <OneTimeDialog
      open={value !== null}
      title={title}
      description={
        value?.secret === null
          ? 'Copy the Client Id: your application sends it with its signed assertion (a key) or its platform token (a federated credential) to get tokens.'
          : 'Copy the Client Id and the Client Secret and store them in a secure place: your application needs both to get tokens.'
      }
      copied={copiedSecret || value?.secret === null}
      unconfirmed={{
        title: 'Close without copying the secret?',
        description: 'You have not copied the client secret. Once this window is closed, the secret cannot be shown again.',
      }}
      onClose={() => {
        setCopiedSecret(false);
        onClosed();
      }}
      size="lg"
      returnFocus={returnFocus}
    >
      {value && value.secret === null && (
        <div className="space-y-4">
          <OneTimeValue id={idField} label="Client Id" value={value.clientId} copyLabel="Copy Client Id" />
        </div>
      )}
      {value && value.secret !== null && (
        <div className="space-y-4">
          <ShownOnceNotice>
            <strong className="font-semibold">The client secret cannot be shown again.</strong> Once this window is
            closed, it cannot be accessed or retrieved. If it is lost, add a new secret to the client.
          </ShownOnceNotice>
          <OneTimeValue id={idField} label="Client Id" value={value.clientId} copyLabel="Copy Client Id" />
          <OneTimeValue
            id={secretField}
            label="Client Secret"
            value={value.secret}
            copyLabel="Copy Client Secret"
            onCopied={() => setCopiedSecret(true)}
          />
        </div>
      )}
    </OneTimeDialog>
  );
}
