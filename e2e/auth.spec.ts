import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, MEMBER_EMAIL, PASSWORD, shot, signIn } from './helpers';

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('an anonymous visitor is sent to sign-in and brought back afterwards', async ({ page }) => {
    await page.goto('/security/clients');
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsecurity%2Fclients/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    await shot(page, 'sign-in');
    await signIn(page, ADMIN_EMAIL);
    await expect(page).toHaveURL(/\/security\/clients$/);
    await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  });

  test('a wrong password gets one generic message, the same as an unknown email', async ({ page }) => {
    await page.goto('/sign-in');
    await signIn(page, ADMIN_EMAIL, 'not-the-password');
    const form = page.getByRole('form', { name: 'Sign in' });
    await expect(form.getByRole('alert')).toHaveText('Incorrect email or password.');
    await signIn(page, 'nobody@example.com', PASSWORD);
    await expect(form.getByRole('alert')).toHaveText('Incorrect email or password.');
    await expect(page).toHaveURL(/\/sign-in/);
  });

  test('bad input is flagged at the field before anything is sent', async ({ page }) => {
    await page.goto('/sign-in');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByText('Enter your email.')).toBeVisible();
    await expect(page.getByText('Enter your password.')).toBeVisible();
  });

  test('a signed-in user without Tenant Administrator gets the 403 page on Clients', async ({ page }) => {
    await page.goto('/sign-in?callbackUrl=%2Fsecurity%2Fclients');
    await signIn(page, MEMBER_EMAIL);
    await expect(page.getByRole('heading', { name: 'Tenant Administrator role required' })).toBeVisible();
    const response = await page.request.get('/security/clients');
    expect(response.status()).toBe(403);
    await shot(page, 'forbidden');
  });
});

test('sign out ends the session', async ({ browser }) => {
  // A context of its own: signing out must not end the shared setup session used by other specs.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await signIn(page, ADMIN_EMAIL);
  await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN_EMAIL);
  await page.getByRole('button', { name: /account menu/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await page.goto('/security/clients');
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await context.close();
});
