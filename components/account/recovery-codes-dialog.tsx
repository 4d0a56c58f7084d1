'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';

/**
 * Shows a new set of recovery codes once. The codes live only in the caller's state and are dropped on Close;
 * closing before they were copied or downloaded asks first, because they cannot be shown again.
 */
export function RecoveryCodesDialog({ codes, onClose }: { codes: string[]; onClose: () => void }) {
  const [saved, setSaved] = useState(false);
  const [confirmClose, setConfirmClose] = useState(false);
  const requestClose = () => (saved ? onClose() : setConfirmClose(true));
  const text = `Tenant Security Console recovery codes\nEach code signs you in once, in place of your authenticator app or passkey.\n\n${codes.join('\n')}\n`;

  function download() {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/plain' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = 'recovery-codes.txt';
    a.click();
    URL.revokeObjectURL(url);
    setSaved(true);
  }

  return (
    <>
      <Dialog
        open
        onOpenChange={(open) => !open && requestClose()}
        onRequestClose={requestClose}
        title="Save your recovery codes"
        description="If you lose your authenticator app or passkeys, each of these codes signs you in once. Keep them somewhere safe, such as a password manager."
        footer={<Button onClick={requestClose}>Close</Button>}
      >
        <ol aria-label="Recovery codes" className="grid grid-cols-2 gap-x-6 gap-y-1 rounded-md border border-slate-200 bg-slate-50 p-4 font-mono text-sm">
          {codes.map((code) => (
            <li key={code}>{code}</li>
          ))}
        </ol>
        <div className="mt-3 flex gap-2">
          <CopyButton value={codes.join('\n')} label="Copy Recovery Codes" onCopied={() => setSaved(true)} />
          <Button size="sm" variant="secondary" onClick={download}>
            Download
          </Button>
        </div>
        <p className="mt-4 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          These codes are shown only once. Generating new codes replaces them.
        </p>
      </Dialog>
      <ConfirmDialog
        open={confirmClose}
        onOpenChange={setConfirmClose}
        title="Close without saving the recovery codes?"
        description="You have not copied or downloaded the codes. They cannot be shown again; you can generate a new set later."
        confirmLabel="Close without saving"
        cancelLabel="Go back"
        variant="danger"
        onConfirm={onClose}
      />
    </>
  );
}
