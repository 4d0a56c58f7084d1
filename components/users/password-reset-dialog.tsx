'use client';

import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';

export type PasswordReset = { email: string; oneTimePassword: string; sessionsEnded: number };

/**
 * Shows the one-time password of a "Reset password" once, with a Copy button. It lives only in the caller's state
 * and is dropped on Close; closing before it was copied asks first, because it can never be shown again.
 */
export function PasswordResetDialog({ reset, onClose }: { reset: PasswordReset; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);
  const passwordId = useId();
  const requestClose = () => (copied ? onClose() : setConfirmClose(true));
  return (
    <>
      <Dialog
        open
        onOpenChange={(open) => !open && requestClose()}
        onRequestClose={requestClose}
        title="Password Reset"
        description={`Give ${reset.email} this one-time password through a safe channel. They must choose their own password when they next sign in.`}
        footer={<Button onClick={requestClose}>Close</Button>}
      >
        <div className="space-y-4">
          <div className="space-y-1">
            <label htmlFor={passwordId} className="block text-sm font-medium text-slate-800">
              One-time Password
            </label>
            <div className="flex items-center gap-2">
              <input
                id={passwordId}
                readOnly
                value={reset.oneTimePassword}
                autoComplete="off"
                spellCheck={false}
                className="block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm"
              />
              <CopyButton value={reset.oneTimePassword} label="Copy One-time Password" targetId={passwordId} onCopied={() => setCopied(true)} />
            </div>
          </div>
          <p className="text-sm text-slate-700">
            {reset.sessionsEnded === 0
              ? 'They had no open sessions.'
              : reset.sessionsEnded === 1
                ? 'Their 1 open session was signed out.'
                : `Their ${reset.sessionsEnded} open sessions were signed out.`}
          </p>
          <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            This password is shown only once. Once this window is closed it cannot be shown or retrieved again.
          </p>
        </div>
      </Dialog>
      <ConfirmDialog
        open={confirmClose}
        onOpenChange={setConfirmClose}
        title="Close without copying the password?"
        description="You have not copied the one-time password. It cannot be shown again: you would have to reset the password again."
        confirmLabel="Close without copying"
        cancelLabel="Go back"
        variant="danger"
        onConfirm={onClose}
      />
    </>
  );
}
