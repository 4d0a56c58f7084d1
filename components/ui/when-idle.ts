/**
 * Runs `fn` once the browser is idle (at the latest `timeout` ms later; after half of it where requestIdleCallback is
 * missing). Returns the cancel function, for an effect's cleanup. For work a page may want soon but not first, such
 * as loading the code of a pane or of the next page.
 */
export function whenIdle(fn: () => void, timeout = 2000): () => void {
  if (typeof window.requestIdleCallback !== 'function') {
    const timer = setTimeout(fn, timeout / 2);
    return () => clearTimeout(timer);
  }
  const handle = window.requestIdleCallback(fn, { timeout });
  return () => window.cancelIdleCallback(handle);
}
