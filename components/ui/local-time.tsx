'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

/**
 * A date in the reader's time zone. The server (and the first client render) show UTC, so hydration matches;
 * after hydration the browser's own zone is used.
 */
export function LocalTime({ value, dateOnly = false }: { value: Date | string; dateOnly?: boolean }) {
  const d = new Date(value);
  const local = useSyncExternalStore(subscribe, () => true, () => false);
  const opts: Intl.DateTimeFormatOptions = dateOnly
    ? { year: 'numeric', month: 'short', day: 'numeric' }
    : { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' };
  const text = local
    ? d.toLocaleString('en-US', opts)
    : `${d.toLocaleString('en-US', { ...opts, timeZone: 'UTC' })}${dateOnly ? '' : ' UTC'}`;
  return (
    <time dateTime={d.toISOString()} title={d.toISOString()}>
      {text}
    </time>
  );
}
