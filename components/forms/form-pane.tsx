'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Sheet } from '@/components/ui/sheet';
import { SubmitButton } from '@/components/ui/submit-button';
import { asksBeforeClosing } from './pane-close';
import { usePaneParam } from './use-url-pane';

/**
 * The state of a pane that holds one form and keeps its open state in the URL (`?add=key`, `?edit=client`): whether
 * the form has typed values (dirty) or is saving (pending), and the discard question. `close` hides the pane at once
 * (the URL follows, and a list refresh may take a moment); `requestClose` asks first when typed values would be lost.
 * `onUrlClosed` runs (during render) when the URL loses the pane, e.g. to go back to a first step.
 */
export function useFormPane(key: string, value: string, onUrlClosed?: () => void) {
  const pane = usePaneParam(key, value);
  const [dirty, setDirty] = useState(false);
  const [pending, setPending] = useState(false);
  const [closing, setClosing] = useState(false);
  const [urlOpen, setUrlOpen] = useState(pane.isOpen);
  if (urlOpen !== pane.isOpen) {
    setUrlOpen(pane.isOpen);
    if (!pane.isOpen) {
      setClosing(false);
      setDirty(false);
      onUrlClosed?.();
    }
  }
  const closePane = useCallback(() => {
    setClosing(true);
    pane.close();
  }, [pane]);
  const guard = useDiscardGuard(dirty, pending, closePane);
  return {
    isOpen: pane.isOpen && !closing,
    openPane: pane.open,
    ...guard,
    pending,
    /** For the form's onDirtyChange / onPendingChange. */
    setDirty,
    setPending,
  };
}

/**
 * Closing a pane that holds a form: `requestClose` (Escape, a click outside, X, Cancel) asks "Discard ...?" first when
 * typed values would be lost, and does nothing while saving; `close` closes at once. `noteInput` is called on every
 * input event in the pane: `dirty` reaches the pane a render after the keystroke (the form reports it from an
 * effect), so Escape pressed right after typing must still ask, not close with the typed value.
 */
function useDiscardGuard(dirty: boolean, pending: boolean, onClose: () => void) {
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const lastInput = useRef<number | null>(null);
  const close = useCallback(() => {
    lastInput.current = null;
    onClose();
  }, [onClose]);
  const requestClose = () => {
    if (pending) return;
    if (asksBeforeClosing(dirty, lastInput.current, performance.now())) setConfirmDiscard(true);
    else close();
  };
  const noteInput = useCallback(() => {
    lastInput.current = performance.now();
  }, []);
  return { close, requestClose, confirmDiscard, setConfirmDiscard, noteInput };
}

/** Asked before typed values are lost. */
export const DISCARD_NEW = 'The values you entered will be lost. Nothing has been saved.';
export const DISCARD_EDIT = 'The changes you made to this client will be lost.';
export const DISCARD_TYPED = { title: 'Discard your changes?', description: 'What you typed in this pane will be lost.' };

type PaneSheetProps = {
  /** What useFormPane or useDiscardGuard give: closing, the discard question, input events. */
  guard: ReturnType<typeof useDiscardGuard> & { pending: boolean };
  open: boolean;
  onOpen?: () => void;
  title: React.ReactNode;
  description?: React.ReactNode;
  /** id of the <form> inside: the footer's submit button submits it. */
  formId: string;
  discard: { title: string; description: string };
  /** A later step: the secondary button goes Back (instead of Cancel, which closes the pane). */
  onBack?: () => void;
  /** The submit button moves on to the next step (Next, never busy) instead of saving. */
  advance?: boolean;
  submitLabel?: string;
  children: React.ReactNode;
};

/**
 * A side pane holding one form: Cancel (or Back) and Save (or Next) in its footer, Save disabled until the page has
 * hydrated and while saving, and Escape, a click outside, X and Cancel asking before typed values are lost.
 */
function PaneSheet({ guard, open, onOpen, title, description, formId, discard, onBack, advance, submitLabel = 'Save', children }: PaneSheetProps) {
  const { pending } = guard;
  return (
    <>
      <Sheet
        open={open}
        onOpenChange={(next) => (next ? onOpen?.() : guard.requestClose())}
        onRequestClose={guard.requestClose}
        title={title}
        description={description}
        footer={
          <>
            <Button variant="secondary" onClick={onBack ?? guard.requestClose} disabled={pending}>
              {onBack ? 'Back' : 'Cancel'}
            </Button>
            {advance ? (
              <SubmitButton form={formId}>Next</SubmitButton>
            ) : (
              <SubmitButton form={formId} disabled={pending} aria-busy={pending}>
                {pending ? 'Saving…' : submitLabel}
              </SubmitButton>
            )}
          </>
        }
      >
        <div className="contents" onInputCapture={guard.noteInput}>
          {children}
        </div>
      </Sheet>
      <ConfirmDialog
        open={guard.confirmDiscard}
        onOpenChange={guard.setConfirmDiscard}
        title={discard.title}
        description={discard.description}
        confirmLabel="Discard"
        cancelLabel="Keep editing"
        variant="danger"
        onConfirm={guard.close}
      />
    </>
  );
}

type FormPaneProps = Omit<PaneSheetProps, 'guard' | 'open' | 'onOpen' | 'submitLabel'> & {
  pane: ReturnType<typeof useFormPane>;
  /** Keeps the pane shut even when the URL asks for it (e.g. at a limit, which the tab explains). */
  unavailable?: boolean;
};

/** A form pane whose open state lives in the URL (useFormPane). */
export function FormPane({ pane, unavailable, ...props }: FormPaneProps) {
  return <PaneSheet guard={pane} open={pane.isOpen && !unavailable} onOpen={pane.openPane} {...props} />;
}

/**
 * A form pane whose open state the caller keeps (`open`, `onClose`), reporting `dirty` and `submitting` itself:
 * the panes of Roles, Users, Communities, APIs and Notifications.
 */
export function FormSheet({
  open,
  onClose,
  dirty,
  submitting,
  ...props
}: Omit<PaneSheetProps, 'guard' | 'open' | 'onOpen' | 'discard' | 'onBack' | 'advance'> & {
  open: boolean;
  onClose: () => void;
  /** Typed values would be lost: Escape, a click outside, X and Cancel ask first. */
  dirty: boolean;
  submitting: boolean;
}) {
  const guard = useDiscardGuard(dirty, submitting, onClose);
  return <PaneSheet guard={{ ...guard, pending: submitting }} open={open} discard={DISCARD_TYPED} {...props} />;
}

/** What a pane's form is given: report dirty / pending to the pane, and `onDone` once saved (closes, refreshes). */
export type PaneFormProps = {
  onDirtyChange: (dirty: boolean) => void;
  onPendingChange: (pending: boolean) => void;
  onDone: () => void;
};

/**
 * A FormPane of its own URL parameter (`?add=key`: `param={['add', 'key']}`) whose form closes the pane and refreshes
 * the page's data once saved.
 */
export function UrlFormPane({
  param: [key, value],
  children,
  ...props
}: Omit<FormPaneProps, 'pane' | 'children'> & { param: [string, string]; children: (form: PaneFormProps) => React.ReactNode }) {
  const router = useRouter();
  const pane = useFormPane(key, value);
  const { close, setDirty, setPending } = pane;
  const onDone = useCallback(() => {
    close();
    router.refresh();
  }, [close, router]);
  return (
    <FormPane pane={pane} {...props}>
      {children({ onDirtyChange: setDirty, onPendingChange: setPending, onDone })}
    </FormPane>
  );
}
