import { describe, expect, it } from 'vitest';
import { asksBeforeClosing, RECENT_INPUT_MS } from '@/components/forms/pane-close';

describe('asksBeforeClosing', () => {
  it('does not ask in the page’s first second when nothing was typed (e2e/dpop.spec.ts asked after a reload)', () => {
    expect(asksBeforeClosing(false, null, 0)).toBe(false);
    expect(asksBeforeClosing(false, null, 400)).toBe(false);
    expect(asksBeforeClosing(false, null, 999.9)).toBe(false);
  });

  it('asks while the form is dirty', () => {
    expect(asksBeforeClosing(true, null, 5_000)).toBe(true);
  });

  it('asks right after an input event, also in the page’s first second, and not once it is older', () => {
    expect(asksBeforeClosing(false, 300, 350)).toBe(true);
    expect(asksBeforeClosing(false, 10_000, 10_000 + RECENT_INPUT_MS - 1)).toBe(true);
    expect(asksBeforeClosing(false, 10_000, 10_000 + RECENT_INPUT_MS)).toBe(false);
  });
});
