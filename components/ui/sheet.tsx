'use client';

import { Dialog as RadixDialog } from 'radix-ui';
import { useRef } from 'react';
import { useRestoreFocus } from './restore-focus';

type SheetProps = {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: React.ReactNode;
  description?: React.ReactNode;
  children: React.ReactNode;
  /** Sticky bar at the bottom of the pane, for the pane's buttons. */
  footer?: React.ReactNode;
  /** Called instead of closing on Escape / outside click / X: use it to ask before losing typed values. */
  onRequestClose?: () => void;
  width?: 'md' | 'lg';
};

/**
 * A side pane (modal, slides in from the right) built on Radix Dialog: it opens with focus on its first field (mark
 * another with data-autofocus), traps focus while open and returns it to the opener on close. Keep its open state in the URL (e.g. `?add=client`) so refresh and deep links work.
 */
export function Sheet({ open, onOpenChange, title, description, children, footer, onRequestClose, width = 'md' }: SheetProps) {
  const body = useRef<HTMLDivElement>(null);
  const focus = useRestoreFocus({ firstField: () => body.current });
  const guard = onRequestClose
    ? {
        onEscapeKeyDown: (e: KeyboardEvent) => {
          e.preventDefault();
          onRequestClose();
        },
        onPointerDownOutside: (e: Event) => {
          e.preventDefault();
          onRequestClose();
        },
      }
    : {};
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-slate-900/30" />
        <RadixDialog.Content
          {...guard}
          {...focus}
          {...(description ? {} : { 'aria-describedby': undefined })}
          className={`fixed inset-y-0 right-0 z-50 flex w-full ${width === 'lg' ? 'max-w-2xl' : 'max-w-xl'} flex-col border-l border-slate-200 bg-white shadow-2xl focus:outline-none`}
        >
          <div className="flex items-start justify-between gap-4 border-b border-slate-200 px-6 py-4">
            <div>
              <RadixDialog.Title className="text-lg font-semibold text-slate-900">{title}</RadixDialog.Title>
              {description && (
                <RadixDialog.Description className="mt-0.5 text-sm text-slate-600">{description}</RadixDialog.Description>
              )}
            </div>
            <button
              type="button"
              aria-label="Close pane"
              onClick={() => (onRequestClose ? onRequestClose() : onOpenChange(false))}
              className="rounded p-1 text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="none" stroke="currentColor" strokeWidth="2">
                <path d="M5 5l10 10M15 5L5 15" />
              </svg>
            </button>
          </div>
          <div ref={body} className="flex-1 overflow-y-auto px-6 py-5">
            {children}
          </div>
          {footer && (
            <div className="flex justify-end gap-2 border-t border-slate-200 bg-slate-50 px-6 py-3">{footer}</div>
          )}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
