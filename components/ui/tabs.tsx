'use client';

import { Tabs as RadixTabs } from 'radix-ui';
import { useEffect, useLayoutEffect, useRef } from 'react';

/**
 * Scrolls a tab list that is wider than its box (a phone) so its selected tab is in view: a page opened on its last
 * tab (a client's ?tab=usage) showed the first four and no sign of which one was selected. Only the list scrolls,
 * never the page.
 */
function revealSelectedTab(root: HTMLElement | null) {
  const list = root?.querySelector<HTMLElement>('[role="tablist"]');
  const tab = list?.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]');
  if (!list || !tab || list.scrollWidth <= list.clientWidth) return;
  const box = list.getBoundingClientRect();
  const at = tab.getBoundingClientRect();
  // A little of the neighbour stays visible, so the list reads as one that scrolls.
  if (at.right > box.right) list.scrollLeft += at.right - box.right + 24;
  else if (at.left < box.left) list.scrollLeft -= box.left - at.left + 24;
}

/** Tabs (Radix): arrow keys move between tabs; each panel is labelled by its tab; the selected tab is kept in view. */
export function Tabs({ onValueChange, ...props }: React.ComponentProps<typeof RadixTabs.Root>) {
  const root = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => revealSelectedTab(root.current), [props.value]);
  // And when the list gets narrower (a window resized, a phone turned): the selected tab stays in view.
  useEffect(() => {
    const list = root.current?.querySelector<HTMLElement>('[role="tablist"]');
    if (!list || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => revealSelectedTab(root.current));
    observer.observe(list);
    return () => observer.disconnect();
  }, []);
  return (
    <RadixTabs.Root
      ref={root}
      onValueChange={(value) => {
        onValueChange?.(value);
        requestAnimationFrame(() => revealSelectedTab(root.current));
      }}
      {...props}
    />
  );
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
