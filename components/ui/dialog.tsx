'use client';

import { X } from 'lucide-react';
import { AlertDialog, Dialog as RadixDialog } from 'radix-ui';
import { useState } from 'react';
import { Button } from './button';
import { useEscape } from './escape';
import { useRestoreFocus } from './restore-focus';

type DialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: React.ReactNode;
  description?: React.ReactNode;
  children?: React.ReactNode;
  /** Buttons row at the bottom (right-aligned). */
  footer?: React.ReactNode;
  /**
   * Called instead of closing when the user presses Escape, clicks outside or uses the X button.
   * Use it when closing could lose something (e.g. a secret never copied): ask first, then close yourself.
   */
  onRequestClose?: () => void;
  /** Hide the X button in the corner (the footer then must offer a way out). */
  hideCloseButton?: boolean;
  size?: 'sm' | 'md' | 'lg';
  className?: string;
  /** Where focus goes on close when the element that opened the dialog is gone (default: it stays where it is). */
  returnFocus?: () => HTMLElement | null;
};

const widths = { sm: 'max-w-md', md: 'max-w-lg', lg: 'max-w-2xl' };

/**
 * Modal dialog (Radix): focus is trapped inside and returned to the opener on close (if it still exists); Escape and a click outside
 * close it, unless `onRequestClose` is given, in which case they call it and the dialog stays open.
 */
export function Dialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  footer,
  onRequestClose,
  hideCloseButton,
  size = 'md',
  className = '',
  returnFocus,
}: DialogProps) {
  const focus = useRestoreFocus({ fallback: returnFocus });
  const escape = useEscape(onRequestClose ?? (() => onOpenChange(false)));
  const guard = onRequestClose
    ? {
        onPointerDownOutside: (e: Event) => {
          e.preventDefault();
          onRequestClose();
        },
        onInteractOutside: (e: Event) => e.preventDefault(),
      }
    : {};
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/50" />
        <RadixDialog.Content
          {...guard}
          {...escape}
          {...focus}
          {...(description ? {} : { 'aria-describedby': undefined })}
          className={`fixed top-1/2 left-1/2 z-50 max-h-[calc(100dvh-2rem)] w-[calc(100vw-1.5rem)] ${widths[size]} -translate-x-1/2 -translate-y-1/2 overflow-y-auto overscroll-contain rounded-lg border border-slate-200 bg-white p-5 shadow-xl focus:outline-none sm:p-6 ${className}`}
        >
          <RadixDialog.Title className="pr-8 text-lg font-semibold text-slate-900">{title}</RadixDialog.Title>
          {description && (
            <RadixDialog.Description className="mt-1 text-sm text-slate-600">{description}</RadixDialog.Description>
          )}
          {children && <div className="mt-4">{children}</div>}
          {footer && <div className="mt-6 flex flex-wrap justify-end gap-2">{footer}</div>}
          {!hideCloseButton && (
            <CloseX onClick={onRequestClose ? () => onRequestClose() : undefined} asClose={!onRequestClose} />
          )}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}

function CloseX({ onClick, asClose }: { onClick?: () => void; asClose: boolean }) {
  const button = (
    <button
      type="button"
      aria-label="Close dialog"
      onClick={onClick}
      className="absolute top-3 right-3 inline-flex h-8 w-8 items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-brand-600 sm:top-4 sm:right-4"
    >
      <X aria-hidden="true" className="h-4 w-4" />
    </button>
  );
  return asClose ? <RadixDialog.Close asChild>{button}</RadixDialog.Close> : button;
}

type ConfirmDialogProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: React.ReactNode;
  description?: React.ReactNode;
  children?: React.ReactNode;
  confirmLabel: string;
  cancelLabel?: string;
  variant?: 'primary' | 'danger';
  /**
   * May be async: while it runs both buttons are disabled (so a double click acts once). Return false, or throw,
   * to keep the dialog open (e.g. to show `error`).
   */
  onConfirm: () => void | boolean | Promise<void | boolean>;
  /** An error to show inside the dialog (e.g. the server refused). */
  error?: string | null;
};

/**
 * A confirmation (role="alertdialog"): Escape and Cancel dismiss it, a click outside does not. The confirm button
 * stays disabled while `onConfirm` runs, so a double click acts once.
 */
export function ConfirmDialog({
  open,
  onOpenChange,
  title,
  description,
  children,
  confirmLabel,
  cancelLabel = 'Cancel',
  variant = 'primary',
  onConfirm,
  error,
}: ConfirmDialogProps) {
  const [pending, setPending] = useState(false);
  const focus = useRestoreFocus();
  const escape = useEscape(() => {
    if (!pending) onOpenChange(false);
  });
  function done(result: void | boolean) {
    if (result !== false) onOpenChange(false);
  }
  function confirm() {
    const result = onConfirm();
    if (!(result instanceof Promise)) return done(result);
    setPending(true);
    result.then(done, () => {}).finally(() => setPending(false));
  }
  return (
    <AlertDialog.Root open={open} onOpenChange={(next) => !pending && onOpenChange(next)}>
      <AlertDialog.Portal>
        <AlertDialog.Overlay className="fixed inset-0 z-[60] bg-black/50" />
        <AlertDialog.Content
          {...(description ? {} : { 'aria-describedby': undefined })}
          {...focus}
          {...escape}
          className="fixed top-1/2 left-1/2 z-[70] max-h-[calc(100dvh-2rem)] w-[calc(100vw-1.5rem)] max-w-md -translate-x-1/2 -translate-y-1/2 overflow-y-auto rounded-lg border border-slate-200 bg-white p-5 shadow-xl focus:outline-none sm:p-6"
        >
          <AlertDialog.Title className="text-lg font-semibold break-words text-slate-900">{title}</AlertDialog.Title>
          {description && (
            <AlertDialog.Description className="mt-2 text-sm text-slate-700">{description}</AlertDialog.Description>
          )}
          {children && <div className="mt-3 text-sm text-slate-700">{children}</div>}
          {error && (
            <p role="alert" className="mt-3 rounded-md bg-red-50 px-3 py-2 text-sm text-red-800">
              {error}
            </p>
          )}
          <div className="mt-6 flex flex-wrap justify-end gap-2">
            <AlertDialog.Cancel asChild>
              <Button variant="secondary" disabled={pending}>
                {cancelLabel}
              </Button>
            </AlertDialog.Cancel>
            <Button variant={variant} disabled={pending} aria-busy={pending} onClick={confirm}>
              {confirmLabel}
            </Button>
          </div>
        </AlertDialog.Content>
      </AlertDialog.Portal>
    </AlertDialog.Root>
  );
}
