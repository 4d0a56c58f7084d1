import { expect, test } from '@playwright/test';
import { addClientViaUi } from './clients-helpers';

test('probe focus after one-time dialogs', async ({ page }) => {
  const { clientId } = await addClientViaUi(page);
  console.log('after add client:', await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120)));
  await page.goto(`/security/clients/${clientId}?tab=secrets`);
  await page.getByRole('button', { name: 'Add Secret' }).click();
  await page.getByRole('dialog', { name: 'Add Secret' }).getByRole('button', { name: 'Save' }).click();
  const d = page.getByRole('dialog', { name: 'Secret Successfully Created' });
  await d.getByRole('button', { name: 'Copy Client Secret' }).click();
  await d.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(d).toBeHidden();
  console.log('after add secret:', await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120)));
  await page.goto('/security/users');
  await page.getByRole('button', { name: 'Invite User' }).click();
  const pane = page.getByRole('dialog', { name: 'Invite User' });
  await pane.getByLabel('Email').fill(`probe-${Date.now()}@example.com`);
  await pane.getByLabel('Name').fill('Probe');
  await pane.getByRole('button', { name: 'Save' }).click();
  const u = page.getByRole('dialog', { name: 'User Successfully Invited' });
  await u.getByRole('button', { name: 'Copy Initial Password' }).click();
  await u.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(u).toBeHidden();
  console.log('after invite:', await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 120)));
});
