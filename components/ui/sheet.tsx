'use client';

import { X } from 'lucide-react';
import { Dialog as RadixDialog } from 'radix-ui';
import { useRef } from 'react';
import { useEscape } from './escape';
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
  const escape = useEscape(onRequestClose ?? (() => onOpenChange(false)));
  const guard = onRequestClose
    ? {
        onPointerDownOutside: (e: Event) => {
          e.preventDefault();
          onRequestClose();
        },
      }
    : {};
  return (
    <RadixDialog.Root open={open} onOpenChange={onOpenChange}>
      <RadixDialog.Portal>
        <RadixDialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <RadixDialog.Content
          {...guard}
          {...escape}
          {...focus}
          {...(description ? {} : { 'aria-describedby': undefined })}
          className={`fixed inset-y-0 right-0 z-50 flex h-dvh w-full ${width === 'lg' ? 'sm:max-w-2xl' : 'sm:max-w-xl'} flex-col bg-white shadow-2xl focus:outline-none sm:border-l sm:border-slate-200`}
        >
          <div className="flex items-start justify-between gap-3 border-b border-slate-200 px-4 py-3 sm:px-6 sm:py-4">
            <div className="min-w-0">
              <RadixDialog.Title className="text-lg font-semibold break-words text-slate-900">{title}</RadixDialog.Title>
              {description && (
                <RadixDialog.Description className="mt-0.5 text-sm text-slate-600">{description}</RadixDialog.Description>
              )}
            </div>
            <button
              type="button"
              aria-label="Close pane"
              onClick={() => (onRequestClose ? onRequestClose() : onOpenChange(false))}
              className="-mr-2 inline-flex h-10 w-10 shrink-0 items-center justify-center rounded-md text-slate-500 hover:bg-slate-100 hover:text-slate-800 focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              <X aria-hidden="true" className="h-5 w-5" />
            </button>
          </div>
          <div ref={body} className="flex-1 overflow-y-auto overscroll-contain px-4 py-5 sm:px-6">
            {children}
          </div>
          {footer && (
            <div className="flex flex-wrap justify-end gap-2 border-t border-slate-200 bg-slate-50 px-4 py-3 pb-[max(0.75rem,env(safe-area-inset-bottom))] sm:px-6">{footer}</div>
          )}
        </RadixDialog.Content>
      </RadixDialog.Portal>
    </RadixDialog.Root>
  );
}
