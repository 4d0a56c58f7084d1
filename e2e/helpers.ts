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

export async function shot(page: Page, name: string) {
  await page.screenshot({ path: `e2e/screenshots/${name}.png`, fullPage: true });
}
