'use client';

import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';

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
  const [confirming, setConfirming] = useState(false);
  const idField = useId();
  const secretField = useId();

  function close() {
    setCopiedSecret(false);
    setConfirming(false);
    onClosed();
  }
  function requestClose() {
    if (copiedSecret || value?.secret === null) close();
    else setConfirming(true);
  }

  return (
    <>
      <Dialog
        open={value !== null}
        onOpenChange={(open) => !open && requestClose()}
        onRequestClose={requestClose}
        title={title}
        description={
          value?.secret === null
            ? 'Copy the Client Id: your application sends it with its signed assertion (a key) or its platform token (a federated credential) to get tokens.'
            : 'Copy the Client Id and the Client Secret and store them in a secure place: your application needs both to get tokens.'
        }
        size="lg"
        returnFocus={returnFocus}
        footer={<Button onClick={requestClose}>Close</Button>}
      >
        {value && value.secret === null && (
          <div className="space-y-4">
            <ReadOnlyValue id={idField} label="Client Id" value={value.clientId} copyLabel="Copy Client Id" />
          </div>
        )}
        {value && value.secret !== null && (
          <div className="space-y-4">
            <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              <strong className="font-semibold">The client secret cannot be shown again.</strong> Once this window is
              closed, it cannot be accessed or retrieved. If it is lost, add a new secret to the client.
            </p>
            <ReadOnlyValue id={idField} label="Client Id" value={value.clientId} copyLabel="Copy Client Id" />
            <ReadOnlyValue
              id={secretField}
              label="Client Secret"
              value={value.secret}
              copyLabel="Copy Client Secret"
              onCopied={() => setCopiedSecret(true)}
            />
          </div>
        )}
      </Dialog>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Close without copying the secret?"
        description="You have not copied the client secret. Once this window is closed, the secret cannot be shown again."
        confirmLabel="Close without copying"
        cancelLabel="Go back"
        variant="danger"
        onConfirm={close}
      />
    </>
  );
}

function ReadOnlyValue({
  id,
  label,
  value,
  copyLabel,
  onCopied,
}: {
  id: string;
  label: string;
  value: string;
  copyLabel: string;
  onCopied?: () => void;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-slate-800">
        {label}
      </label>
      <div className="flex items-center gap-2">
        <input
          id={id}
          readOnly
          value={value}
          spellCheck={false}
          autoComplete="off"
          data-1p-ignore
          data-lpignore="true"
          onFocus={(e) => e.currentTarget.select()}
          // Copying by keyboard or context menu counts as copied too.
          onCopy={onCopied}
          className="block w-full min-w-0 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-brand-600/30"
        />
        <CopyButton value={value} label={copyLabel} targetId={id} onCopied={onCopied} size="md" />
      </div>
    </div>
  );
}
