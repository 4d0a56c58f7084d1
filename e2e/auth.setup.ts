import { expect, test as setup } from '@playwright/test';
import { ADMIN_STATE } from '../playwright.config';
import { ADMIN_EMAIL, signIn } from './helpers';

setup('sign in as the Tenant Administrator', async ({ page }) => {
  await page.goto('/sign-in');
  await signIn(page, ADMIN_EMAIL);
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN_EMAIL);
  await page.context().storageState({ path: ADMIN_STATE });
});
