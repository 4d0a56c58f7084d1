import { expect, test } from '@playwright/test';
import { shot } from './helpers';

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

test('add a community with its Community Member role, refuse a duplicate name, then remove it', async ({ page }) => {
  const name = unique('Refinery');
  await page.goto('/security/communities');
  await expect(page.getByRole('heading', { name: 'Communities', level: 1 })).toBeVisible();
  await page.getByRole('button', { name: 'Add Community' }).click();
  const pane = page.getByRole('dialog', { name: 'Add Community' });
  await expect(page).toHaveURL(/[?&]add=community/);
  await pane.getByLabel('Name').fill('x'.repeat(81));
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane.getByText('Use at most 80 characters.')).toBeVisible();
  await pane.getByLabel('Name').fill(name);
  await expect(pane.getByText(`Creates the role ${name} Community Member.`)).toBeVisible();
  await pane.getByLabel('Description').fill('Shared refinery data.');
  await shot(page, 'add-community-pane');
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `Community "${name}" added` })).toBeVisible();

  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(`${name} Community Member`);
  await expect(row).toContainText('This tenant');
  await expect(row).toContainText('Shared refinery data.');
  await shot(page, 'communities');

  // Names are unique across tenants, whatever the case.
  await page.getByRole('button', { name: 'Add Community' }).click();
  await pane.getByLabel('Name').fill(name.toLowerCase());
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane.getByText(`A community named "${name.toLowerCase()}" already exists.`)).toBeVisible();
  await pane.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('alertdialog', { name: 'Discard your changes?' }).getByRole('button', { name: 'Discard' }).click();

  // Its role is offered in the Community Roles tab of Add Client.
  await page.goto('/security/clients?add=client');
  const addClient = page.getByRole('dialog', { name: 'Add Client' });
  await addClient.getByRole('tab', { name: /Community Roles/ }).click();
  await expect(addClient.getByRole('checkbox', { name: `${name} Community Member` })).toBeVisible();
  await addClient.getByRole('button', { name: 'Cancel' }).click();

  await page.goto('/security/communities');
  await page.getByRole('button', { name: `Remove ${name}` }).click();
  const confirm = page.getByRole('alertdialog', { name: `Remove community "${name}"?` });
  await expect(confirm).toContainText('Its roles are held by 0 clients and 0 users.');
  await confirm.getByRole('button', { name: 'Remove Community' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);
});
