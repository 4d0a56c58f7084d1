import { expect, test } from '@playwright/test';
import { MEMBER_EMAIL, shot, signIn } from './helpers';

const unique = (label: string) => `${label} ${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const BUILT_IN = ['Tenant Administrator', 'Tenant Contributor', 'Tenant Member', 'Tenant Viewer', 'Tenant Data Steward'];

test('Roles lists the built-in roles first, with descriptions and holders, and they cannot be edited', async ({ page }) => {
  await page.goto('/security/roles');
  await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Roles' })).toHaveAttribute('aria-current', 'page');
  const rows = page.getByRole('table', { name: 'Roles' }).getByRole('row');
  for (const [i, name] of BUILT_IN.entries()) {
    const row = rows.nth(i + 1);
    await expect(row.getByRole('cell').first()).toHaveText(`${name}Built-in`);
    await expect(row.getByRole('button')).toHaveCount(0);
  }
  // admin@example.com and member@example.com hold Tenant Member; only the admin holds Tenant Administrator.
  await expect(rows.nth(3).getByRole('cell').nth(1)).toContainText('Every user and every client has it');
  await expect(rows.nth(1).getByRole('cell').nth(2)).toHaveText('1');
  await shot(page, 'roles');
});

test('add, rename and remove a custom role, with field errors for bad and duplicate names', async ({ page }) => {
  const name = unique('Data Engineers');
  await page.goto('/security/roles');
  await page.getByRole('button', { name: 'Add Role' }).click();
  const pane = page.getByRole('dialog', { name: 'Add Role' });
  await expect(pane).toBeVisible();
  await expect(page).toHaveURL(/[?&]add=role/);

  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane.getByText('Enter a name.')).toBeVisible();
  await pane.getByLabel('Name').fill(name);
  await pane.getByLabel('Description').fill('Build and run the pipelines.');
  await shot(page, 'add-role-pane');
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  await expect(page).not.toHaveURL(/add=role/);
  await expect(page.getByRole('status').filter({ hasText: `Role "${name}" added.` })).toBeVisible();
  const row = page.getByRole('row').filter({ hasText: name });
  await expect(row).toContainText('Build and run the pipelines.');

  // The same name in another case is refused at the field, by the server.
  await page.getByRole('button', { name: 'Add Role' }).click();
  await pane.getByLabel('Name').fill(name.toUpperCase());
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane.getByText(`A role named "${name.toUpperCase()}" already exists in this tenant.`)).toBeVisible();
  await expect(pane.getByLabel('Name')).toHaveAttribute('aria-invalid', 'true');
  await shot(page, 'add-role-duplicate');
  // Typed values are not dropped silently.
  await page.keyboard.press('Escape');
  const discard = page.getByRole('alertdialog', { name: 'Discard your changes?' });
  await discard.getByRole('button', { name: 'Discard' }).click();
  await expect(pane).toBeHidden();

  // Rename.
  const renamed = unique('Pipeline Engineers');
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Role' });
  await expect(edit.getByLabel('Name')).toHaveValue(name);
  await edit.getByLabel('Name').fill(renamed);
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: renamed })).toBeVisible();
  await expect(page.getByRole('row').filter({ hasText: name })).toHaveCount(0);

  // Remove, after a confirmation that says who holds it.
  await page.getByRole('button', { name: `Remove ${renamed}` }).click();
  const confirm = page.getByRole('alertdialog', { name: `Remove role "${renamed}"?` });
  await expect(confirm).toContainText('It is held by 0 clients and 0 users.');
  await shot(page, 'remove-role-confirmation');
  await confirm.getByRole('button', { name: 'Remove Role' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('row').filter({ hasText: renamed })).toHaveCount(0);
  await expect(page.getByRole('status').filter({ hasText: `Role "${renamed}" removed.` })).toBeVisible();
});

test('the Add Role pane lives in the URL: a deep link opens it', async ({ page }) => {
  await page.goto('/security/roles?add=role');
  await expect(page.getByRole('dialog', { name: 'Add Role' })).toBeVisible();
  await page.getByRole('dialog', { name: 'Add Role' }).getByRole('button', { name: 'Cancel' }).click();
  await expect(page).toHaveURL(/\/security\/roles$/);
});

test('Roles, Communities and Users are for Tenant Administrators only', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/sign-in?callbackUrl=%2Fsecurity%2Froles');
  await signIn(page, MEMBER_EMAIL);
  await expect(page.getByRole('heading', { name: 'Tenant Administrator role required' })).toBeVisible();
  for (const path of ['/security/roles', '/security/communities', '/security/users']) {
    expect((await page.request.get(path)).status()).toBe(403);
  }
  await context.close();
});
