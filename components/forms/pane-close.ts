/**
 * How recent (ms) an input event in a pane must be to count as typed values: the form reports `dirty` a render after
 * the keystroke, so Escape or Cancel pressed right after typing must still ask.
 */
export const RECENT_INPUT_MS = 1000;

/**
 * Whether closing a form pane asks "Discard ...?" first: the form is dirty, or the pane saw an input event less than
 * RECENT_INPUT_MS ago. `lastInputAt` is null when there was none since the pane opened (not 0: `performance.now()` counts
 * from the page's start, so 0 would make every close in the page's first second ask).
 */
export function asksBeforeClosing(dirty: boolean, lastInputAt: number | null, now: number): boolean {
  return dirty || (lastInputAt !== null && now - lastInputAt < RECENT_INPUT_MS);
}
