'use client';

import { useEffect } from 'react';
import { whenIdle } from '@/components/ui/when-idle';

/**
 * Once the Clients list is idle, fetch and compile the code of a client's details page (its tabs, panels, sheets and
 * the usage chart: about 150 KB), so opening a client waits only for its data. Without it the code was requested
 * only after the page's answer named it, then compiled before the page could render (bench:ui trace). A failed
 * preload changes nothing: the navigation loads the code as before.
 */
export function PreloadClientDetails() {
  useEffect(() => whenIdle(() => void import('./client-details-view').catch(() => {})), []);
  return null;
}
