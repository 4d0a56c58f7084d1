'use client';

import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';

/**
 * A new webhook's signing secret, shown once (like a client secret): Copy with feedback, and closing without having
 * copied asks first. The caller drops the secret from state on close.
 */
export function SigningSecretDialog({ value, onClosed }: { value: { name: string; signingSecret: string } | null; onClosed: () => void }) {
  const [copied, setCopied] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const fieldId = useId();
  const close = () => {
    setCopied(false);
    setConfirming(false);
    onClosed();
  };
  const requestClose = () => (copied ? close() : setConfirming(true));
  return (
    <>
      <Dialog
        open={value !== null}
        onOpenChange={(open) => !open && requestClose()}
        onRequestClose={requestClose}
        title="Channel Successfully Created"
        description={`Copy the signing secret of "${value?.name ?? ''}" into the receiver: it verifies each message's webhook-signature with it.`}
        size="lg"
        footer={<Button onClick={requestClose}>Close</Button>}
      >
        {value && (
          <div className="space-y-4">
            <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              <strong className="font-semibold">The signing secret cannot be shown again.</strong> Once this window is closed, it cannot be
              retrieved. If it is lost, remove the channel and add it again.
            </p>
            <div className="space-y-1">
              <label htmlFor={fieldId} className="block text-sm font-medium text-slate-800">
                Signing Secret
              </label>
              <div className="flex items-center gap-2">
                <input
                  id={fieldId}
                  readOnly
                  value={value.signingSecret}
                  spellCheck={false}
                  autoComplete="off"
                  data-1p-ignore
                  data-lpignore="true"
                  onFocus={(e) => e.currentTarget.select()}
                  onCopy={() => setCopied(true)}
                  className="block w-full min-w-0 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-brand-600/30"
                />
                <CopyButton value={value.signingSecret} label="Copy Signing Secret" targetId={fieldId} onCopied={() => setCopied(true)} size="md" />
              </div>
            </div>
          </div>
        )}
      </Dialog>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title="Close without copying the secret?"
        description="You have not copied the signing secret. Once this window is closed, it cannot be shown again."
        confirmLabel="Close without copying"
        cancelLabel="Go back"
        variant="danger"
        onConfirm={close}
      />
    </>
  );
}
