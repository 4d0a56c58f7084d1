'use client';

import { ChevronDown, LogOut, Monitor, Moon, Sun, UserRound } from 'lucide-react';
import { Link } from '@/components/ui/link';
import { useEffect, useId, useRef, useState } from 'react';
import { signOutAction } from '@/app/(console)/actions';
import { applyTheme, type Theme } from './theme';

const THEME_CHOICES: { value: Theme; label: string; icon: typeof Sun }[] = [
  { value: 'light', label: 'Light', icon: Sun },
  { value: 'dark', label: 'Dark', icon: Moon },
  { value: 'system', label: 'System', icon: Monitor },
];

function initials(name: string, email: string) {
  const parts = (name || email).trim().split(/\s+/).filter(Boolean);
  return ((parts[0]?.[0] ?? '') + (parts.length > 1 ? parts[parts.length - 1][0] : '')).toUpperCase() || '?';
}

/**
 * The signed-in user's menu in the header: who and which tenant, the colour theme, Your account and Sign out.
 * A disclosure (button + panel), not an ARIA menu: it holds a form and a group of toggle buttons, which Tab reaches
 * in order. The panel is always in the document (hidden while closed), so Sign out is a real form before the page's
 * JavaScript runs; Escape, a click outside or Tab past its end closes it.
 */
export function AccountMenu({
  user,
  tenantName,
  theme: initialTheme,
}: {
  user: { name: string; email: string };
  tenantName: string | null;
  theme: Theme;
}) {
  const [open, setOpen] = useState(false);
  const [theme, setTheme] = useState(initialTheme);
  const root = useRef<HTMLDivElement>(null);
  const trigger = useRef<HTMLButtonElement>(null);
  const panelId = useId();

  useEffect(() => {
    if (!open) return;
    const onPointer = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        setOpen(false);
        trigger.current?.focus();
      }
    };
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const choose = (value: Theme) => {
    setTheme(value);
    applyTheme(value);
  };

  return (
    <div
      ref={root}
      className="relative"
      onBlur={(e) => {
        if (open && e.relatedTarget && !root.current?.contains(e.relatedTarget as Node)) setOpen(false);
      }}
    >
      <button
        ref={trigger}
        type="button"
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen((v) => !v)}
        className="flex h-10 max-w-64 items-center gap-2 rounded-full py-1 pr-2 pl-1 text-sm text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600 aria-expanded:bg-slate-100"
      >
        <span aria-hidden="true" className="flex h-8 w-8 shrink-0 items-center justify-center rounded-full bg-brand-100 text-xs font-semibold text-brand-900">
          {initials(user.name, user.email)}
        </span>
        <span className="sr-only md:not-sr-only md:truncate md:font-medium">{user.name || user.email}</span>
        <span className="sr-only"> account menu</span>
        <ChevronDown aria-hidden="true" className="h-4 w-4 shrink-0 text-slate-500" />
      </button>
      <div
        id={panelId}
        hidden={!open}
        className="absolute top-full right-0 z-40 mt-2 w-72 max-w-[calc(100vw-1rem)] rounded-lg border border-slate-200 bg-white p-1 text-sm shadow-lg"
      >
        <div className="px-3 py-2.5" data-testid="signed-in-user">
          <p className="truncate font-medium text-slate-900">{user.name}</p>
          <p className="truncate text-slate-600">{user.email}</p>
          {tenantName && (
            <p className="mt-1 truncate text-xs text-slate-600">
              Tenant <span className="font-medium text-slate-800">{tenantName}</span>
            </p>
          )}
        </div>
        <div className="border-t border-slate-200 px-3 py-2.5">
          <p id={`${panelId}-theme`} className="mb-1.5 text-xs font-medium text-slate-600">
            Theme
          </p>
          <div role="group" aria-labelledby={`${panelId}-theme`} className="grid grid-cols-3 gap-1 rounded-md bg-slate-100 p-0.5">
            {THEME_CHOICES.map(({ value, label, icon: Icon }) => (
              <button
                key={value}
                type="button"
                aria-pressed={theme === value}
                onClick={() => choose(value)}
                className="flex h-8 items-center justify-center gap-1.5 rounded text-xs font-medium text-slate-700 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600 aria-pressed:bg-white aria-pressed:text-slate-900 aria-pressed:shadow-sm"
              >
                <Icon aria-hidden="true" className="h-3.5 w-3.5" />
                {label}
              </button>
            ))}
          </div>
        </div>
        <div className="border-t border-slate-200 py-1">
          <Link
            href="/account"
            onClick={() => setOpen(false)}
            className="flex h-9 items-center gap-2 rounded-md px-3 text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600"
          >
            <UserRound aria-hidden="true" className="h-4 w-4 text-slate-500" />
            Your account
          </Link>
          <form action={signOutAction}>
            <button
              type="submit"
              className="flex h-9 w-full items-center gap-2 rounded-md px-3 text-left text-slate-800 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              <LogOut aria-hidden="true" className="h-4 w-4 text-slate-500" />
              Sign out
            </button>
          </form>
        </div>
      </div>
    </div>
  );
}
