'use client';

import { useId, useState } from 'react';
import { OneTimeDialog, OneTimeValue, ShownOnceNotice } from '@/components/ui/one-time-dialog';

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
  const emailId = useId();
  const passwordId = useId();
  return (
    <OneTimeDialog
      title="User Successfully Invited"
      description="Give the user their email and this initial password through a safe channel."
      copied={copied}
      unconfirmed={{
        title: 'Close without copying the password?',
        description:
          'You have not copied the initial password. It cannot be shown again: to give the user a new one you would have to remove them and invite them again.',
      }}
      onClose={onClose}
      returnFocus={returnFocus}
    >
      <div className="space-y-4">
        <OneTimeValue id={emailId} label="Email" value={invited.email} copyLabel="Copy Email" />
        <OneTimeValue
          id={passwordId}
          label="Initial Password"
          value={invited.initialPassword}
          copyLabel="Copy Initial Password"
          onCopied={() => setCopied(true)}
        />
        <ShownOnceNotice>This password is shown only once. Once this window is closed it cannot be shown or retrieved again.</ShownOnceNotice>
      </div>
    </OneTimeDialog>
  );
}
