'use client';

import { useRef } from 'react';

const FIRST_FIELD = '[data-autofocus], input:not([disabled]):not([type="hidden"]), select:not([disabled]), textarea:not([disabled])';

/**
 * Focus handling for Radix dialogs opened without a Radix Trigger (controlled by URL or state): Radix would return
 * focus to a Trigger, so with none it would drop focus on <body>. This remembers the element that had focus when
 * the layer opened and returns focus to it on close (if it still exists). `firstField`: focus the first form
 * field of `body` on open instead of the first tabbable element (which would be the close button). `fallback`: where
 * focus goes when the opener is gone, e.g. the Save button of a pane that closed as this dialog opened.
 */
export function useRestoreFocus(opts: { firstField?: () => HTMLElement | null; fallback?: () => HTMLElement | null } = {}) {
  const opener = useRef<HTMLElement | null>(null);
  return {
    onOpenAutoFocus: (e: Event) => {
      opener.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      const container = opts.firstField?.();
      const field = container?.querySelector<HTMLElement>(FIRST_FIELD);
      if (field) {
        e.preventDefault();
        field.focus();
      }
    },
    onCloseAutoFocus: (e: Event) => {
      e.preventDefault();
      const el = opener.current;
      opener.current = null;
      // Radix calls this a task after the layer unmounted. If the user has put focus somewhere meanwhile (clicked or
      // tabbed to another control right after closing), it stays there: pulling it back would close what they just
      // opened (a menu) or move them away from where they are.
      if (focusPlacedElsewhere(document.activeElement)) return;
      // Focus left on <body> when the layer opened means there is no opener to go back to. An opener inside a
      // dialog that was closing when this layer opened (a pane's Save button, while the pane animates out) is
      // going away too: the fallback, if any, is where focus belongs then. So is any opener that refuses focus.
      const closing = el?.closest('[role="dialog"][data-state="closed"], [role="alertdialog"][data-state="closed"]');
      const back = el?.isConnected && el !== document.body && !(closing && opts.fallback) ? el : null;
      back?.focus();
      if (!back || document.activeElement !== back) opts.fallback?.()?.focus();
    },
  };
}

/**
 * Focus on a live control (not <body>, not inside a layer that is closing): somewhere the user chose. Code that moves
 * focus after a layer closed checks this first.
 */
export function focusPlacedElsewhere(active: Element | null): boolean {
  return (
    active instanceof HTMLElement &&
    active !== document.body &&
    active.isConnected &&
    !active.closest('[role="dialog"][data-state="closed"], [role="alertdialog"][data-state="closed"]')
  );
}
