'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { ConfirmDialog, Dialog } from '@/components/ui/dialog';

/**
 * A window that shows a value once (a client secret, a user's initial or one-time password): it is open while the
 * caller holds the value, and closing it before the value was copied asks first ("Close without copying"), because it
 * can never be shown again. Escape or a click outside go through the same question. The caller drops the value in
 * `onClose`.
 */
export function OneTimeDialog({
  open = true,
  title,
  description,
  copied,
  unconfirmed,
  onClose,
  returnFocus,
  size,
  children,
}: {
  open?: boolean;
  title: string;
  description: string;
  /** Whether the value that cannot be shown again was copied (or there is none): Close then closes at once. */
  copied: boolean;
  /** The question asked when closing before the value was copied. */
  unconfirmed: { title: string; description: string };
  onClose: () => void;
  /** Where focus goes on close: the Save button that opened this window is gone by then. */
  returnFocus?: () => HTMLElement | null;
  size?: 'md' | 'lg';
  children: React.ReactNode;
}) {
  const [confirming, setConfirming] = useState(false);
  const close = () => {
    setConfirming(false);
    onClose();
  };
  const requestClose = () => (copied ? close() : setConfirming(true));
  return (
    <>
      <Dialog
        open={open}
        onOpenChange={(next) => !next && requestClose()}
        onRequestClose={requestClose}
        title={title}
        description={description}
        size={size}
        returnFocus={returnFocus}
        footer={<Button onClick={requestClose}>Close</Button>}
      >
        {children}
      </Dialog>
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={unconfirmed.title}
        description={unconfirmed.description}
        confirmLabel="Close without copying"
        cancelLabel="Go back"
        variant="danger"
        onConfirm={close}
      />
    </>
  );
}

/**
 * One value in a one-time window: a labelled read-only field (selected on focus, ignored by password managers) and
 * its Copy button. `onCopied`: the Copy button was used, or the field's text was copied by keyboard or context menu.
 */
export function OneTimeValue({
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
          onCopy={onCopied}
          className="block w-full min-w-0 rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900 focus:border-brand-600 focus:outline-2 focus:outline-brand-600/30"
        />
        <CopyButton value={value} label={copyLabel} targetId={id} onCopied={onCopied} size="md" />
      </div>
    </div>
  );
}

/** The notice of a one-time window. */
export function ShownOnceNotice({ children }: { children: React.ReactNode }) {
  return <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">{children}</p>;
}
