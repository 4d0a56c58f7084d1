'use client';

import { Menu, X } from 'lucide-react';
import { Dialog } from 'radix-ui';
import { useState } from 'react';
import { LogoMark } from './logo-mark';
import { MainNav } from './main-nav';

/**
 * Below the md breakpoint the sidebar is this menu button and a drawer from the left (Radix Dialog: focus trapped
 * inside, Escape or a tap outside closes it, focus returns to the button). Choosing a link closes it.
 */
export function MobileNav({ tenantName, isAdmin }: { tenantName: string | null; isAdmin: boolean }) {
  const [open, setOpen] = useState(false);
  return (
    <Dialog.Root open={open} onOpenChange={setOpen}>
      <Dialog.Trigger
        className="-ml-1 inline-flex h-10 w-10 items-center justify-center rounded-md text-slate-700 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600 md:hidden"
        aria-label="Open navigation"
      >
        <Menu aria-hidden="true" className="h-5 w-5" />
      </Dialog.Trigger>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/50 md:hidden" />
        <Dialog.Content
          aria-describedby={undefined}
          className="fixed inset-y-0 left-0 z-50 flex w-72 max-w-[85vw] flex-col border-r border-slate-200 bg-white shadow-2xl focus:outline-none md:hidden"
        >
          <div className="flex h-14 items-center justify-between gap-2 border-b border-slate-200 px-4">
            <Dialog.Title className="flex min-w-0 items-center gap-2 font-semibold text-slate-900">
              <LogoMark />
              <span className="truncate">Security Console</span>
            </Dialog.Title>
            <Dialog.Close
              aria-label="Close navigation"
              className="-mr-1 inline-flex h-10 w-10 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-600"
            >
              <X aria-hidden="true" className="h-5 w-5" />
            </Dialog.Close>
          </div>
          {tenantName && (
            <p className="border-b border-slate-200 px-4 py-2 text-sm text-slate-600">
              Tenant <span className="font-medium text-slate-900">{tenantName}</span>
            </p>
          )}
          <div className="flex-1 overflow-y-auto p-3">
            <MainNav idPrefix="drawer-nav" isAdmin={isAdmin} onNavigate={() => setOpen(false)} />
          </div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
