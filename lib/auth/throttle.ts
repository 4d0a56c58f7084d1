/**
 * Slows down repeated failed sign-ins per account and per source address.
 * Slowing (not locking) means a stranger guessing at an account cannot lock its owner out,
 * while online guessing becomes pointless: after FREE_FAILURES, each attempt waits twice as long, capped.
 */
const WINDOW_MS = 15 * 60 * 1000;
const FREE_FAILURES = 5;
const MAX_DELAY_MS = 8000;

type Entry = { count: number; first: number };
const store = ((globalThis as Record<string, unknown>).__tscSignInThrottle ??= new Map<string, Entry>()) as Map<
  string,
  Entry
>;

function current(key: string, now: number): Entry | undefined {
  const e = store.get(key);
  if (e && now - e.first > WINDOW_MS) {
    store.delete(key);
    return undefined;
  }
  return e;
}

export function signInDelayMs(keys: string[], now = Date.now()): number {
  const worst = Math.max(0, ...keys.map((k) => current(k, now)?.count ?? 0));
  if (worst < FREE_FAILURES) return 0;
  return Math.min(MAX_DELAY_MS, 250 * 2 ** (worst - FREE_FAILURES));
}

export function recordSignInFailure(keys: string[], now = Date.now()) {
  if (store.size > 100_000) store.clear();
  for (const k of keys) {
    const e = current(k, now);
    if (e) e.count += 1;
    else store.set(k, { count: 1, first: now });
  }
}

export function clearSignInFailures(keys: string[]) {
  for (const k of keys) store.delete(k);
}
