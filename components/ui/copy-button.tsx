'use client';

import { Check, Copy } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { Button } from './button';

type CopyButtonProps = {
  value: string;
  /** Accessible name, e.g. "Copy Client Id"; the visible text stays "Copy" / "Copied". */
  label?: string;
  /** id of the input/element showing the value: selected as a fallback when the clipboard API is unavailable. */
  targetId?: string;
  onCopied?: () => void;
  size?: 'sm' | 'md';
  variant?: 'secondary' | 'ghost';
};

/**
 * Copies `value` to the clipboard and shows "Copied" for a moment. Where the clipboard API is missing or refused
 * (non-secure origin, permissions), it selects the text in `targetId` and asks the user to press Ctrl+C instead.
 */
export function CopyButton({ value, label = 'Copy', targetId, onCopied, size = 'sm', variant = 'secondary' }: CopyButtonProps) {
  const [state, setState] = useState<'idle' | 'copied' | 'manual'>('idle');
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  useEffect(() => () => {
    if (timer.current) clearTimeout(timer.current);
  }, []);

  function flash(next: 'copied' | 'manual') {
    setState(next);
    if (timer.current) clearTimeout(timer.current);
    timer.current = setTimeout(() => setState('idle'), next === 'copied' ? 2000 : 6000);
  }

  function selectTarget(): boolean {
    const el = targetId ? document.getElementById(targetId) : null;
    if (el instanceof HTMLInputElement || el instanceof HTMLTextAreaElement) {
      el.focus();
      el.select();
      return true;
    }
    if (el) {
      const range = document.createRange();
      range.selectNodeContents(el);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
      return true;
    }
    return false;
  }

  async function copy() {
    try {
      if (!navigator.clipboard?.writeText) throw new Error('no clipboard API');
      await navigator.clipboard.writeText(value);
      flash('copied');
      onCopied?.();
    } catch {
      // Fallback: select the text so the user can copy it themselves.
      if (selectTarget()) flash('manual');
    }
  }

  return (
    <span className="inline-flex items-center gap-2">
      <Button
        variant={variant}
        size={size}
        // The visible text ("Copy" / "Copied") must be part of the accessible name (WCAG 2.5.3, label in name).
        aria-label={label === 'Copy' ? undefined : state === 'copied' ? `${label}: Copied` : label}
        className={`${size === 'sm' ? 'min-w-[5.75rem]' : 'min-w-[6.5rem]'}`}
        onClick={copy}
      >
        {/* Icon + label; the minimum width holds "Copied" too, so nothing beside the button moves when it changes. */}
        {state === 'copied' ? (
          <Check aria-hidden="true" className="h-4 w-4 text-green-700" />
        ) : (
          <Copy aria-hidden="true" className="h-4 w-4" />
        )}
        {state === 'copied' ? 'Copied' : 'Copy'}
      </Button>
      <span role="status" className={state === 'manual' ? 'text-xs text-slate-700' : 'sr-only'}>
        {state === 'copied' ? 'Copied' : state === 'manual' ? 'Text selected: press Ctrl+C (⌘C) to copy.' : ''}
      </span>
    </span>
  );
}
