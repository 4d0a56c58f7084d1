import NextLink from 'next/link';
import type { ComponentProps } from 'react';

/**
 * The console's links: next/link without prefetching unless a link asks for it. Every console page is dynamic (it
 * reads the session) and has no loading.tsx, so a prefetch fetches only the route tree (under 1 KB) yet costs a server
 * render: a Clients page with its navigation, filter and row links sent about 15 of them the moment it appeared, and a
 * click made then waited behind them (bench:ui: open a client's details p95 506 ms, Audit Log 375 ms). Without them a
 * click is the only request, and it carries the same route tree.
 */
export function Link({ prefetch = false, ...props }: ComponentProps<typeof NextLink>) {
  return <NextLink prefetch={prefetch} {...props} />;
}
