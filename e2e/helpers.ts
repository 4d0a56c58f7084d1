import type { Page } from '@playwright/test';

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
 * Screenshots are for people to look at (e2e/screenshots/). E2E_SCREENSHOTS=0 takes none: .ci/run sets it, since no
 * one looks at a CI machine's files, and a full-page capture of a long page costs seconds of a 2-core machine.
 */
export const SCREENSHOTS = process.env.E2E_SCREENSHOTS !== '0';

export async function shot(page: Page, name: string) {
  if (SCREENSHOTS) await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}
