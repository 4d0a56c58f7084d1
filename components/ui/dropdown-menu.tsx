'use client';

import { DropdownMenu as RadixMenu } from 'radix-ui';

type MenuItem = { label: string; onSelect: () => void; danger?: boolean; disabled?: boolean };

/** A menu button (Radix DropdownMenu): role="menu" with arrow-key navigation; items are role="menuitem". */
export function DropdownMenu({ trigger, items, align = 'end' }: { trigger: React.ReactNode; items: MenuItem[]; align?: 'start' | 'end' }) {
  return (
    // Not modal: a menu item that opens a dialog would otherwise leave the page unclickable (two modal layers
    // fighting over pointer events and focus).
    <RadixMenu.Root modal={false}>
      <RadixMenu.Trigger asChild>{trigger}</RadixMenu.Trigger>
      {/* No portal: the open menu stays inside the page's landmarks (it is positioned fixed, so nothing clips it). */}
      <RadixMenu.Content
        align={align}
        sideOffset={4}
        className="z-50 min-w-44 rounded-md border border-slate-200 bg-white p-1 shadow-lg"
      >
        {items.map((item) => (
          <RadixMenu.Item
            key={item.label}
            disabled={item.disabled}
            onSelect={item.onSelect}
            className={`flex h-9 cursor-pointer items-center rounded px-3 text-sm outline-none data-[disabled]:cursor-not-allowed data-[disabled]:opacity-50 data-[highlighted]:bg-slate-100 ${item.danger ? 'text-red-700' : 'text-slate-800'}`}
          >
            {item.label}
          </RadixMenu.Item>
        ))}
      </RadixMenu.Content>
    </RadixMenu.Root>
  );
}
