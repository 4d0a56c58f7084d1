import { expect, test, type Page } from '@playwright/test';
import { shot, copyThenClose } from './helpers';

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;

async function addRole(page: Page, name: string) {
  await page.goto('/security/roles?add=role');
  const pane = page.getByRole('dialog', { name: 'Add Role' });
  await pane.getByLabel('Name').fill(name);
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: name })).toBeVisible();
}

async function addCommunity(page: Page, name: string) {
  await page.goto('/security/communities?add=community');
  const pane = page.getByRole('dialog', { name: 'Add Community' });
  await pane.getByLabel('Name').fill(name);
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: name })).toBeVisible();
}

test('a client added with a custom role and a community role holds both, and loses each when it is removed', async ({ page }) => {
  const roleName = unique('Historians');
  const communityName = unique('Pipeline');
  const communityRole = `${communityName} Community Member`;
  const clientName = unique('Historian client');
  await addRole(page, roleName);
  await addCommunity(page, communityName);

  // Add Client, holding the custom role and the community's role.
  await page.goto('/security/clients');
  await page.getByRole('button', { name: 'Add Client' }).click();
  const pane = page.getByRole('dialog', { name: 'Add Client' });
  await pane.getByLabel('Name').fill(clientName);
  await pane.getByRole('tab', { name: 'Tenant Roles' }).click();
  await pane.getByRole('checkbox', { name: roleName }).click();
  await pane.getByRole('tab', { name: /Community Roles/ }).click();
  await pane.getByRole('checkbox', { name: communityRole }).click();
  await pane.getByRole('button', { name: 'Next' }).click();
  const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
  await secretPane.getByRole('button', { name: 'Save' }).click();
  const created = page.getByRole('dialog', { name: 'Client Successfully Created' });
  await expect(created).toBeVisible();
  await copyThenClose(created, 'Copy Client Secret');
  await expect(created).toBeHidden();

  // The list shows them, and so do the client's details.
  const listRow = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: clientName });
  await expect(listRow).toContainText(roleName);
  await expect(listRow).toContainText(communityRole);
  await page.getByRole('link', { name: clientName }).click();
  await expect(page.getByRole('heading', { name: clientName, level: 1 })).toBeVisible();
  const tenantRolesDd = page.locator('dt:text-is("Tenant Roles") + dd');
  const communityRolesDd = page.locator('dt:text-is("Community Roles") + dd');
  await expect(tenantRolesDd).toContainText(roleName);
  await expect(tenantRolesDd).toContainText('Tenant Member');
  await expect(communityRolesDd).toContainText(communityRole);
  await shot(page, 'client-details-with-custom-and-community-roles');
  const detailsUrl = page.url();

  // Roles and Communities count the client as a holder.
  await page.goto('/security/roles');
  const roleRow = page.getByRole('row').filter({ hasText: roleName });
  await expect(roleRow.getByRole('cell').nth(3)).toHaveText('1');
  await page.getByRole('button', { name: `Remove ${roleName}` }).click();
  const confirmRole = page.getByRole('alertdialog', { name: `Remove role "${roleName}"?` });
  await expect(confirmRole).toContainText('It is held by 1 client and 0 users.');
  await confirmRole.getByRole('button', { name: 'Remove Role' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'It was taken off 1 client and 0 users.' })).toBeVisible();

  await page.goto('/security/communities');
  await page.getByRole('button', { name: `Remove ${communityName}` }).click();
  const confirmCommunity = page.getByRole('alertdialog', { name: `Remove community "${communityName}"?` });
  await expect(confirmCommunity).toContainText('Its roles are held by 1 client and 0 users.');
  await confirmCommunity.getByRole('button', { name: 'Remove Community' }).click();
  await expect(confirmCommunity).toBeHidden();

  // The client no longer holds either role; it keeps Tenant Member.
  await page.goto(detailsUrl);
  await expect(page.getByRole('heading', { name: clientName, level: 1 })).toBeVisible();
  await expect(tenantRolesDd).toHaveText('Tenant Member');
  await expect(page.getByText(roleName)).toHaveCount(0);
  await expect(communityRolesDd).not.toContainText(communityRole);
});
