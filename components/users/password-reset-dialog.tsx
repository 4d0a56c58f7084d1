'use client';

import { useId, useState } from 'react';
import { OneTimeDialog, OneTimeValue, ShownOnceNotice } from '@/components/ui/one-time-dialog';

export type PasswordReset = { email: string; oneTimePassword: string; sessionsEnded: number };

/**
 * Shows the one-time password of a "Reset password" once, with a Copy button. It lives only in the caller's state
 * and is dropped on Close; closing before it was copied asks first, because it can never be shown again.
 */
export function PasswordResetDialog({ reset, onClose }: { reset: PasswordReset; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const passwordId = useId();
  return (
    <OneTimeDialog
      title="Password Reset"
      description={`Give ${reset.email} this one-time password through a safe channel. They must choose their own password when they next sign in.`}
      copied={copied}
      unconfirmed={{
        title: 'Close without copying the password?',
        description: 'You have not copied the one-time password. It cannot be shown again: you would have to reset the password again.',
      }}
      onClose={onClose}
    >
      <div className="space-y-4">
        <OneTimeValue
          id={passwordId}
          label="One-time Password"
          value={reset.oneTimePassword}
          copyLabel="Copy One-time Password"
          onCopied={() => setCopied(true)}
        />
        <p className="text-sm text-slate-700">
          {reset.sessionsEnded === 0
            ? 'They had no open sessions.'
            : reset.sessionsEnded === 1
              ? 'Their 1 open session was signed out.'
              : `Their ${reset.sessionsEnded} open sessions were signed out.`}
        </p>
        <ShownOnceNotice>This password is shown only once. Once this window is closed it cannot be shown or retrieved again.</ShownOnceNotice>
      </div>
    </OneTimeDialog>
  );
}
