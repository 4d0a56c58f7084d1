'use client';

import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Sheet } from '@/components/ui/sheet';

type FormSheetProps = {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: React.ReactNode;
  /** id of the <form> inside: the footer's submit button submits it. */
  formId: string;
  /** Typed values would be lost: Escape, a click outside, X and Cancel ask first. */
  dirty: boolean;
  submitting: boolean;
  submitLabel?: string;
  children: React.ReactNode;
};

/** A side pane holding one form, with Cancel / Save in its footer and a guard against losing typed values. */
export function FormSheet({ open, onClose, title, description, formId, dirty, submitting, submitLabel = 'Save', children }: FormSheetProps) {
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const requestClose = () => (dirty ? setConfirmDiscard(true) : onClose());
  return (
    <>
      <Sheet
        open={open}
        onOpenChange={(next) => !next && requestClose()}
        onRequestClose={requestClose}
        title={title}
        description={description}
        footer={
          <>
            <Button variant="secondary" onClick={requestClose} disabled={submitting}>
              Cancel
            </Button>
            <SubmitButton form={formId} disabled={submitting} aria-busy={submitting}>
              {submitting ? 'Saving…' : submitLabel}
            </SubmitButton>
          </>
        }
      >
        {children}
      </Sheet>
      <ConfirmDialog
        open={confirmDiscard}
        onOpenChange={setConfirmDiscard}
        title="Discard your changes?"
        description="What you typed in this pane will be lost."
        confirmLabel="Discard"
        cancelLabel="Keep editing"
        variant="danger"
        onConfirm={onClose}
      />
    </>
  );
}
