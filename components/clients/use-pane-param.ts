'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useMemo } from 'react';

/**
 * A pane whose open state lives in the URL (`?add=client`), so refresh and deep links keep it open. Uses the
 * history API, which Next's router follows, so opening a pane needs no server round trip.
 */
export function usePaneParam(key: string, value: string) {
  const params = useSearchParams();
  const pathname = usePathname();
  const isOpen = params.get(key) === value;
  return useMemo(() => {
    const urlWith = (on: boolean) => {
      const next = new URLSearchParams(params.toString());
      if (on) next.set(key, value);
      else next.delete(key);
      const qs = next.toString();
      return qs ? `${pathname}?${qs}` : pathname;
    };
    return {
      isOpen,
      open: () => window.history.pushState(null, '', urlWith(true)),
      close: () => window.history.replaceState(null, '', urlWith(false)),
    };
  }, [params, pathname, key, value, isOpen]);
}
