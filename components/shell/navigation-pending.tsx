'use client';

import { usePathname } from 'next/navigation';
import { createContext, useContext, useEffect, useRef, useState } from 'react';
import { DocumentPageSkeleton, ListPageSkeleton } from '@/components/ui/skeleton';

export type PageShape = 'list' | 'document';
type Pending = { path: string; shape: PageShape; from: string } | null;

/** A navigation answered sooner shows no skeleton at all (no flash of a frame that is replaced at once). */
const SKELETON_DELAY_MS = 100;

const Ctx = createContext<(path: string, shape: PageShape) => void>(() => {});

/**
 * Loading state between console pages. Pages render on the server per request (session, database, CSP nonce), so
 * a click in the navigation waits for the next page; meanwhile the page area shows the next page's frame (skeleton
 * rows) instead of the old page. Not a route loading.tsx: that would stream the page behind a fallback, which
 * without JavaScript would never be replaced, and the console must work before its script runs.
 */
export function NavigationPendingProvider({ children }: { children: React.ReactNode }) {
  const pathname = usePathname();
  const [pending, setPending] = useState<Pending>(null);
  const timer = useRef<ReturnType<typeof setTimeout>>(undefined);
  const shown = useRef(pathname);
  useEffect(() => {
    shown.current = pathname;
    clearTimeout(timer.current);
  }, [pathname]);
  // Arrived (or went elsewhere): the skeleton is done.
  if (pending && pathname !== pending.from) setPending(null);
  const start = (path: string, shape: PageShape) => {
    if (path === pathname) return;
    clearTimeout(timer.current);
    const from = pathname;
    // Only for a page that keeps us waiting: a page that arrives within SKELETON_DELAY_MS replaces the old one
    // directly, and the main thread is not busy drawing a skeleton (and hiding the old page) while its answer comes in.
    timer.current = setTimeout(() => {
      if (shown.current === from) setPending({ path, shape, from });
    }, SKELETON_DELAY_MS);
  };
  return (
    <Ctx.Provider value={start}>
      <PendingContext.Provider value={pending}>{children}</PendingContext.Provider>
    </Ctx.Provider>
  );
}

const PendingContext = createContext<Pending>(null);

export const useStartNavigation = () => useContext(Ctx);

/** The page area: the page, or while another page loads, that page's skeleton in the same place. */
export function PendingMain({ children }: { children: React.ReactNode }) {
  const pending = useContext(PendingContext);
  return (
    <>
      {pending && (pending.shape === 'list' ? <ListPageSkeleton label="Loading page" /> : <DocumentPageSkeleton label="Loading page" />)}
      <div hidden={Boolean(pending)}>{children}</div>
    </>
  );
}
