'use client';

import { useCallback, useRef } from 'react';

/** Escape keys a layer acted on. */
const handled = new WeakSet<Event>();
/** Escape keys a layer saw (as the top one by Radix's count) but left to the layer the focus is in. */
const deferred = new WeakSet<Event>();

/**
 * Escape for a Radix layer (Dialog, Sheet, AlertDialog), from the moment it has the focus. Spread the result on the
 * Radix Content; `onEscape` is what Escape does there (close, or ask first).
 *
 * Radix listens for Escape in the layer that knows it is the top one, and a layer learns that a render after it
 * mounted and took the focus (and again a render after a layer above it closed). An Escape pressed in between went to
 * the layer below, which acted on a key meant for the one on top (a question stayed open; a pane under a dialog
 * closed), or to no layer at all. Here a layer acts on Radix's Escape only when the focus is in it (or in no dialog),
 * and an Escape pressed inside a layer that no layer acted on reaches that layer's own key handler. An Escape some
 * other component used (a menu or list box closing) is left alone.
 */
export function useEscape(onEscape: () => void) {
  const content = useRef<HTMLElement | null>(null);
  const ref = useCallback((node: HTMLElement | null) => {
    content.current = node;
  }, []);
  return {
    ref,
    onEscapeKeyDown: (e: KeyboardEvent) => {
      // Radix would dismiss the layer itself: `onEscape` decides instead.
      e.preventDefault();
      if (handled.has(e)) return;
      const target = e.target instanceof Element ? e.target : null;
      const layer = target?.closest('[role="dialog"], [role="alertdialog"]');
      if (layer && content.current && layer !== content.current) {
        deferred.add(e);
        return;
      }
      handled.add(e);
      onEscape();
    },
    onKeyDown: (e: React.KeyboardEvent) => {
      if (e.key !== 'Escape' || handled.has(e.nativeEvent)) return;
      if (e.defaultPrevented && !deferred.has(e.nativeEvent)) return;
      e.preventDefault();
      handled.add(e.nativeEvent);
      onEscape();
    },
  };
}
