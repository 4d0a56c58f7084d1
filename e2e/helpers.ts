import { expect, type Locator, type Page } from '@playwright/test';

export const ADMIN_EMAIL = 'admin@example.com';
export const MEMBER_EMAIL = 'member@example.com';
export const OTHER_ADMIN_EMAIL = 'other-admin@example.com';
export const PASSWORD = 'e2e-password-123';

export async function signIn(page: Page, email: string, password = PASSWORD) {
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
}

/**
 * Waits until a react-hook-form form has hydrated: its submit button (components/ui/submit-button.tsx) is disabled
 * until then. Fill it only after: when react-hook-form registers a field at hydration it writes the field's default
 * value into it, so text typed in the moment before is lost or, when the write falls between fill's select-all and
 * its typing, kept beside the default (a threshold filled with '3' was saved as '203', CI of d77fad4).
 */
export async function hydrated(form: Locator) {
  await expect(form.locator('button[type="submit"]').first()).toBeEnabled();
}

/**
 * Screenshots are for people to look at (e2e/screenshots/). E2E_SCREENSHOTS=0 takes none: .ci/run sets it, since no
 * one looks at a CI machine's files, and a full-page capture of a long page costs seconds of a 2-core machine.
 */
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS !== '0';

export async function shot(page: Page, name: string) {
  if (SCREENSHOTS) await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}

/**
 * Arms one Escape, sent the moment the focus next enters a dialog (a microtask later: before the page renders again).
 * A Radix layer counts itself the top one only a render after it took the focus; this presses Escape in that gap.
 * The focus handler first keeps the main thread busy for 20 ms, as a slow machine would: React's scheduler then
 * yields before that next render instead of running it in the same task. `escapedFrom` then tells where the key was
 * sent (the focused element's accessible text), or undefined if never.
 */
export async function armEscapeOnFocus(page: Page) {
  await page.evaluate(() => {
    const w = window as unknown as { __escapedFrom?: string };
    delete w.__escapedFrom;
    const onFocus = (e: FocusEvent) => {
      const el = e.target as HTMLElement;
      if (!el.closest?.('[role="dialog"], [role="alertdialog"]')) return;
      document.removeEventListener('focusin', onFocus, true);
      const until = performance.now() + 20;
      while (performance.now() < until);
      queueMicrotask(() => {
        const label = (el as HTMLInputElement).labels?.[0]?.textContent ?? el.getAttribute('aria-label') ?? el.textContent ?? '';
        w.__escapedFrom = label.trim();
        el.dispatchEvent(new KeyboardEvent('keydown', { key: 'Escape', bubbles: true, cancelable: true }));
      });
    };
    document.addEventListener('focusin', onFocus, true);
  });
}

export const escapedFrom = (page: Page) => page.evaluate(() => (window as unknown as { __escapedFrom?: string }).__escapedFrom);

/**
 * Copies a one-time value and closes its window, as a person does: Close only once the button says "Copied". The
 * clipboard write resolves a moment after the click, and a Close before then asks "Close without copying ...?" (by
 * design), which left CI's keyboard spec waiting for a window that never went away.
 */
export async function copyThenClose(dialog: Locator, copyName: string) {
  const copy = dialog.getByRole('button', { name: copyName });
  await copy.click();
  await expect(copy).toHaveText('Copied');
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
}
