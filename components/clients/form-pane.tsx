'use client';

import { useRouter } from 'next/navigation';
import { useCallback, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Sheet } from '@/components/ui/sheet';
import { SubmitButton } from '@/components/ui/submit-button';
import { asksBeforeClosing } from './pane-close';
import { usePaneParam } from './use-pane-param';

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
  const [confirmDiscard, setConfirmDiscard] = useState(false);
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
  // When the pane last saw typing. `dirty` reaches this component a render after the keystroke (the form reports it
  // from an effect): Escape pressed right after typing must still ask, not close with the typed value.
  const lastInput = useRef<number | null>(null);
  const close = useCallback(() => {
    lastInput.current = null;
    setClosing(true);
    pane.close();
  }, [pane]);
  const requestClose = () => {
    if (pending) return;
    if (asksBeforeClosing(dirty, lastInput.current, performance.now())) setConfirmDiscard(true);
    else close();
  };
  return {
    isOpen: pane.isOpen && !closing,
    openPane: pane.open,
    close,
    requestClose,
    pending,
    confirmDiscard,
    setConfirmDiscard,
    /** The pane's content saw an input event (see lastInput). */
    noteInput: () => {
      lastInput.current = performance.now();
    },
    /** For the form's onDirtyChange / onPendingChange. */
    setDirty,
    setPending,
  };
}

/** Asked before typed values are lost. */
export const DISCARD_NEW = 'The values you entered will be lost. Nothing has been saved.';
export const DISCARD_EDIT = 'The changes you made to this client will be lost.';

type FormPaneProps = {
  pane: ReturnType<typeof useFormPane>;
  title: React.ReactNode;
  description?: React.ReactNode;
  /** id of the <form> inside: the footer's submit button submits it. */
  formId: string;
  discard: { title: string; description: string };
  /** Keeps the pane shut even when the URL asks for it (e.g. at a limit, which the tab explains). */
  unavailable?: boolean;
  /** A later step: the secondary button goes Back (instead of Cancel, which closes the pane). */
  onBack?: () => void;
  /** The submit button moves on to the next step (Next, never busy) instead of saving. */
  advance?: boolean;
  children: React.ReactNode;
};

/**
 * A side pane holding one form: Cancel (or Back) and Save (or Next) in its footer, Save disabled until the page has
 * hydrated and while saving, and Escape, a click outside, X and Cancel asking before typed values are lost.
 */
export function FormPane({ pane, title, description, formId, discard, unavailable, onBack, advance, children }: FormPaneProps) {
  const { pending } = pane;
  return (
    <>
      <Sheet
        open={pane.isOpen && !unavailable}
        onOpenChange={(next) => (next ? pane.openPane() : pane.requestClose())}
        onRequestClose={pane.requestClose}
        title={title}
        description={description}
        footer={
          <>
            <Button variant="secondary" onClick={onBack ?? pane.requestClose} disabled={pending}>
              {onBack ? 'Back' : 'Cancel'}
            </Button>
            {advance ? (
              <SubmitButton form={formId}>Next</SubmitButton>
            ) : (
              <SubmitButton form={formId} disabled={pending} aria-busy={pending}>
                {pending ? 'Saving…' : 'Save'}
              </SubmitButton>
            )}
          </>
        }
      >
        <div className="contents" onInputCapture={pane.noteInput}>
          {children}
        </div>
      </Sheet>
      <ConfirmDialog
        open={pane.confirmDiscard}
        onOpenChange={pane.setConfirmDiscard}
        title={discard.title}
        description={discard.description}
        confirmLabel="Discard"
        cancelLabel="Keep editing"
        variant="danger"
        onConfirm={pane.close}
      />
    </>
  );
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
