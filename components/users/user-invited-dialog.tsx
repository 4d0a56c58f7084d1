'use client';

import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';

export type InvitedUser = { email: string; initialPassword: string };

/**
 * Shows a new user's initial password once, with Copy buttons. The password lives only in the caller's state and is
 * dropped on Close; closing before it was copied asks first, because it can never be shown again.
 */
export function UserInvitedDialog({
  invited,
  onClose,
  returnFocus,
}: {
  invited: InvitedUser;
  onClose: () => void;
  /** Where focus goes on close: the Save button that opened this window is gone by then. */
  returnFocus?: () => HTMLElement | null;
}) {
  const [copied, setCopied] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);
  const emailId = useId();
  const passwordId = useId();
  const requestClose = () => (copied ? onClose() : setConfirmClose(true));
  return (
    <>
      <Dialog
        open
        onOpenChange={(open) => !open && requestClose()}
        onRequestClose={requestClose}
        returnFocus={returnFocus}
        title="User Successfully Invited"
        description="Give the user their email and this initial password through a safe channel."
        footer={<Button onClick={requestClose}>Close</Button>}
      >
        <div className="space-y-4">
          <div className="space-y-1">
            <label htmlFor={emailId} className="block text-sm font-medium text-slate-800">
              Email
            </label>
            <div className="flex items-center gap-2">
              <input id={emailId} readOnly value={invited.email} className="block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm" />
              <CopyButton value={invited.email} label="Copy Email" targetId={emailId} />
            </div>
          </div>
          <div className="space-y-1">
            <label htmlFor={passwordId} className="block text-sm font-medium text-slate-800">
              Initial Password
            </label>
            <div className="flex items-center gap-2">
              <input
                id={passwordId}
                readOnly
                value={invited.initialPassword}
                autoComplete="off"
                spellCheck={false}
                className="block w-full rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm"
              />
              <CopyButton value={invited.initialPassword} label="Copy Initial Password" targetId={passwordId} onCopied={() => setCopied(true)} />
            </div>
          </div>
          <p className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            This password is shown only once. Once this window is closed it cannot be shown or retrieved again.
          </p>
        </div>
      </Dialog>
      <ConfirmDialog
        open={confirmClose}
        onOpenChange={setConfirmClose}
        title="Close without copying the password?"
        description="You have not copied the initial password. It cannot be shown again: to give the user a new one you would have to remove them and invite them again."
        confirmLabel="Close without copying"
        cancelLabel="Go back"
        variant="danger"
        onConfirm={onClose}
      />
    </>
  );
}
