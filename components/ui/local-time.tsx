'use client';

import { useSyncExternalStore } from 'react';

const subscribe = () => () => {};

const DATE: Intl.DateTimeFormatOptions = { year: 'numeric', month: 'short', day: 'numeric' };
const DATE_TIME: Intl.DateTimeFormatOptions = { ...DATE, hour: '2-digit', minute: '2-digit' };
/**
 * One formatter per variant, made once: toLocaleString with options builds a new Intl.DateTimeFormat on every call
 * (about 0.1 ms each; the Audit Log's 50 rows spent 13 ms of a navigation there, bench:ui trace).
 */
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(dateOnly: boolean, utc: boolean): Intl.DateTimeFormat {
  const key = `${dateOnly}:${utc}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', { ...(dateOnly ? DATE : DATE_TIME), ...(utc ? { timeZone: 'UTC' } : {}) });
    formatters.set(key, f);
  }
  return f;
}

/**
 * A date in the reader's time zone. The server (and the first client render) show UTC, so hydration matches;
 * after hydration the browser's own zone is used.
 */
export function LocalTime({ value, dateOnly = false }: { value: Date | string; dateOnly?: boolean }) {
  const d = new Date(value);
  const local = useSyncExternalStore(subscribe, () => true, () => false);
  const text = local ? formatter(dateOnly, false).format(d) : `${formatter(dateOnly, true).format(d)}${dateOnly ? '' : ' UTC'}`;
  return (
    <time dateTime={d.toISOString()} title={d.toISOString()}>
      {text}
    </time>
  );
}
