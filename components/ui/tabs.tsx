'use client';

import { Tabs as RadixTabs } from 'radix-ui';

/** Tabs (Radix): arrow keys move between tabs; each panel is labelled by its tab. */
export function Tabs(props: React.ComponentProps<typeof RadixTabs.Root>) {
  return <RadixTabs.Root {...props} />;
}

export function TabsList({ className = '', ...props }: React.ComponentProps<typeof RadixTabs.List>) {
  return <RadixTabs.List className={`flex gap-1 overflow-x-auto border-b border-slate-200 ${className}`} {...props} />;
}

export function TabsTrigger({ className = '', ...props }: React.ComponentProps<typeof RadixTabs.Trigger>) {
  return (
    <RadixTabs.Trigger
      className={`-mb-px shrink-0 border-b-2 border-transparent px-3 py-2 text-sm font-medium whitespace-nowrap text-slate-600 hover:text-slate-900 focus-visible:outline-2 focus-visible:outline-brand-600 data-[state=active]:border-brand-600 data-[state=active]:text-brand-700 ${className}`}
      {...props}
    />
  );
}

export function TabsContent({ className = '', ...props }: React.ComponentProps<typeof RadixTabs.Content>) {
  return <RadixTabs.Content className={`pt-4 focus-visible:outline-2 focus-visible:outline-brand-600 ${className}`} {...props} />;
}
