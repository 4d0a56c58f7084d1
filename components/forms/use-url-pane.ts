'use client';

import { usePathname, useSearchParams } from 'next/navigation';
import { useCallback, useMemo } from 'react';

/**
 * A pane's open state kept in one query parameter (`?add=role`, `?edit=<id>`, `?add=client`), so refresh and deep
 * links keep it open. Uses the History API, which Next keeps in sync with useSearchParams without a server round trip.
 * Opening adds a history entry (Back closes the pane); closing replaces it.
 */
export function useUrlPane(key: string): [string | null, (value: string | null) => void] {
  const params = useSearchParams();
  const pathname = usePathname();
  const set = useCallback(
    (value: string | null) => {
      const next = new URLSearchParams(window.location.search);
      if (value === null) next.delete(key);
      else next.set(key, value);
      const qs = next.toString();
      const url = qs ? `${pathname}?${qs}` : pathname;
      if (value === null) window.history.replaceState(null, '', url);
      else window.history.pushState(null, '', url);
    },
    [key, pathname],
  );
  return [params.get(key), set];
}

/** One pane of useUrlPane: open while `key` is `value`. */
export function usePaneParam(key: string, value: string) {
  const [current, set] = useUrlPane(key);
  const isOpen = current === value;
  return useMemo(() => ({ isOpen, open: () => set(value), close: () => set(null) }), [isOpen, set, value]);
}
