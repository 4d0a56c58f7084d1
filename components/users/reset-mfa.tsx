'use client';

import { useState } from 'react';
import { resetUserMfaAction } from '@/app/(console)/security/users/actions';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import type { UserMfaStatus } from '@/lib/auth/mfa/admin-actions';

/** What a user's second factors are, for the Users table. */
export function mfaSummary(status: UserMfaStatus | undefined): string {
  if (!status) return 'None';
  const parts: string[] = [];
  if (status.authenticatorApp) parts.push('Authenticator app');
  if (status.passkeys) parts.push(`${status.passkeys} ${status.passkeys === 1 ? 'passkey' : 'passkeys'}`);
  return parts.join(', ') || 'None';
}

/**
 * Security > Users: "Reset MFA" for another user who has factors. Removes their authenticator app, passkeys and
 * recovery codes and ends their sessions; they sign in with their password next and set up new factors.
 */
export function ResetMfaButton({ email, userId, onDone }: { email: string; userId: string; onDone: (message: string) => void }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function reset() {
    setError(null);
    try {
      const result = await resetUserMfaAction({ userId });
      if (!result.ok) {
        setError(result.formError ?? 'Multi-factor authentication could not be reset.');
        return false;
      }
      onDone(`Multi-factor authentication of ${result.data.email} reset. Their sessions were ended.`);
    } catch {
      setError('The server could not be reached. Nothing was changed; try again.');
      return false;
    }
  }
  return (
    <>
      <Button
        size="sm"
        variant="ghost"
        aria-label={`Reset MFA of ${email}`}
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
      >
        Reset MFA
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={`Reset multi-factor authentication of ${email}?`}
        description="Their authenticator app, passkeys and recovery codes are removed and they are signed out everywhere. They sign in with their password next and set up a new second factor. Do this only after confirming who asked, for example when they lost their phone."
        confirmLabel="Reset MFA"
        variant="danger"
        onConfirm={reset}
        error={error}
      />
    </>
  );
}
