import { expect, test, type Page } from '@playwright/test';
import { addClientViaUi, localInput, readClipboard, unique } from './clients-helpers';
import { ADMIN_STATE } from '../playwright.config';
import { OTHER_ADMIN_EMAIL, shot, signIn, copyThenClose } from './helpers';

const row = (page: Page, name: string) => page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: name });
const secretRow = (page: Page, text: string) => page.getByRole('table', { name: 'Secrets' }).getByRole('row').filter({ hasText: text });

test('details: selecting a client opens its own page with every field', async ({ page }) => {
  const { name, clientId } = await addClientViaUi(page);
  await row(page, name).getByRole('link', { name }).click();
  await expect(page).toHaveURL(new RegExp(`/security/clients/${clientId}$`));
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  const details = page.getByRole('tabpanel', { name: 'Details' });
  await expect(details).toContainText(clientId);
  await expect(page.getByTestId('client-status')).toHaveText('Enabled');
  await expect(details).toContainText('3600 seconds');
  await expect(details).toContainText('Tenant Member');
  await expect(details).toContainText('by admin@example.com');
  await details.getByRole('button', { name: 'Copy Client Id' }).click();
  expect(await readClipboard(page)).toBe(clientId);
  await shot(page, 'client-details');
});

test('edit client: same validation as Add Client, saved values shown, audited', async ({ page }) => {
  const { name, clientId } = await addClientViaUi(page);
  await page.goto(`/security/clients/${clientId}`);
  await page.getByRole('button', { name: 'Edit Client' }).click();
  const pane = page.getByRole('dialog', { name: 'Edit Client' });
  await expect(page).toHaveURL(/edit=client/);
  await expect(pane.getByLabel('Name', { exact: true })).toHaveValue(name);
  await expect(pane.getByRole('checkbox', { name: 'Tenant Member' })).toBeDisabled();
  await pane.getByLabel('Token Lifetime').fill('3601');
  await pane.getByLabel('Name', { exact: true }).fill('');
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane.getByText('Enter a name.')).toBeVisible();
  await expect(pane.getByText('Enter a whole number of seconds from 60 to 3600.')).toBeVisible();
  const renamed = `${name} renamed`;
  await pane.getByLabel('Name', { exact: true }).fill(renamed);
  await pane.getByLabel('Token Lifetime').fill('300');
  await pane.getByRole('checkbox', { name: 'Tenant Viewer' }).click();
  await shot(page, 'edit-client-pane');
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  await expect(page.getByRole('heading', { name: renamed, level: 1 })).toBeVisible();
  const details = page.getByRole('tabpanel', { name: 'Details' });
  await expect(details).toContainText('300 seconds');
  await expect(details).toContainText('Tenant Viewer');

  await page.getByRole('link', { name: 'View this client’s audit log' }).click();
  const edit = page.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: 'Client edited' });
  await expect(edit).toContainText(`Name: ${name} → ${renamed}`);
  await expect(edit).toContainText('Token Lifetime: 3600 → 300 seconds');
  await expect(edit).toContainText('Roles added: Tenant Viewer');
});

test('two administrators editing one client: the later save is refused, not silently applied', async ({ page, context }) => {
  const { name, clientId } = await addClientViaUi(page);
  const other = await context.newPage();
  await page.goto(`/security/clients/${clientId}?edit=client`);
  await other.goto(`/security/clients/${clientId}?edit=client`);

  const otherPane = other.getByRole('dialog', { name: 'Edit Client' });
  await otherPane.getByLabel('Name', { exact: true }).fill(`${name} by B`);
  await otherPane.getByRole('button', { name: 'Save' }).click();
  await expect(other.getByRole('heading', { name: `${name} by B`, level: 1 })).toBeVisible();

  const pane = page.getByRole('dialog', { name: 'Edit Client' });
  await pane.getByLabel('Token Lifetime').fill('120');
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane.getByRole('alert')).toContainText('changed by admin@example.com after you opened it');
  await pane.getByRole('button', { name: 'Reload' }).click();
  await expect(pane.getByLabel('Name', { exact: true })).toHaveValue(`${name} by B`);
  await expect(pane.getByLabel('Token Lifetime')).toHaveValue('3600');
  await other.close();
});

test('disable and enable a client, each confirmed; the list shows a disabled client', async ({ page }) => {
  const { name, clientId } = await addClientViaUi(page);
  await page.goto(`/security/clients/${clientId}`);
  await page.getByRole('button', { name: 'Disable Client' }).click();
  const confirm = page.getByRole('alertdialog', { name: `Disable client “${name}”?` });
  await expect(confirm).toContainText('gets no tokens');
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  await expect(page.getByTestId('client-status')).toHaveText('Enabled');

  await page.getByRole('button', { name: 'Disable Client' }).click();
  await confirm.getByRole('button', { name: 'Disable Client' }).click();
  await expect(page.getByTestId('client-status')).toHaveText('Disabled');
  await expect(page.getByText('A disabled client gets no tokens.')).toBeVisible();
  await page.goto(`/security/clients?q=${clientId}`);
  await expect(row(page, name)).toContainText('Disabled');

  await page.goto(`/security/clients/${clientId}`);
  await page.getByRole('button', { name: 'Enable Client' }).click();
  await page.getByRole('alertdialog', { name: `Enable client “${name}”?` }).getByRole('button', { name: 'Enable Client' }).click();
  await expect(page.getByTestId('client-status')).toHaveText('Enabled');
});

test('secrets: add (copy from the one-time window), edit, remove, down to the last one', async ({ page }) => {
  const { clientId } = await addClientViaUi(page, { description: 'original' });
  await page.goto(`/security/clients/${clientId}`);
  await page.getByRole('tab', { name: /Secrets/ }).click();
  await expect(page).toHaveURL(/tab=secrets/);
  const original = secretRow(page, 'original');
  await expect(original).toContainText('Active');
  await expect(original).toContainText('Never used');
  await expect(original).toContainText('by admin@example.com');

  // Add Secret: never expires; shown once, copied, then gone.
  await page.getByRole('button', { name: 'Add Secret' }).click();
  const pane = page.getByRole('dialog', { name: 'Add Secret' });
  await pane.getByLabel('Description').fill('rotation');
  await pane.getByRole('checkbox', { name: 'Never Expires' }).click();
  await expect(pane.getByLabel('Expiration Date')).toBeDisabled();
  await pane.getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('dialog', { name: 'Secret Successfully Created' });
  await expect(dialog.getByRole('textbox', { name: 'Client Id' })).toHaveValue(clientId);
  const secret = await dialog.getByRole('textbox', { name: 'Client Secret' }).inputValue();
  expect(secret).toMatch(/^tscs_/);
  await page.keyboard.press('Escape');
  await expect(page.getByRole('alertdialog', { name: 'Close without copying the secret?' })).toBeVisible();
  await page.getByRole('button', { name: 'Go back' }).click();
  await dialog.getByRole('button', { name: 'Copy Client Secret' }).click();
  await expect(dialog.getByRole('button', { name: 'Copy Client Secret' })).toHaveText('Copied');
  expect(await readClipboard(page)).toBe(secret);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  const rotation = secretRow(page, 'rotation');
  await expect(rotation).toContainText('Never');
  await expect(page.getByRole('tab', { name: 'Secrets (2)' })).toBeVisible();
  expect(await page.content()).not.toContain(secret);
  await shot(page, 'client-secrets');

  // Edit Secret: a past date is refused, a date within 30 days shows "Expiring soon".
  await original.getByRole('button', { name: /Edit Secret/ }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Secret' });
  await edit.getByLabel('Description').fill('original, soon replaced');
  await edit.getByLabel('Expiration Date').fill(localInput(-2));
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByText('The expiration date must be in the future.')).toBeVisible();
  await edit.getByLabel('Expiration Date').fill(localInput(10));
  await shot(page, 'edit-secret-dialog');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(secretRow(page, 'original, soon replaced')).toContainText('Expiring soon');

  // Remove Secret: the never-expiring one, then the last one (with its warning).
  await rotation.getByRole('button', { name: /Remove Secret/ }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Remove this secret?' });
  await expect(confirm).not.toContainText('last secret');
  await confirm.getByRole('button', { name: 'Remove Secret' }).click();
  await expect(rotation).toHaveCount(0);
  await secretRow(page, 'original, soon replaced').getByRole('button', { name: /Remove Secret/ }).click();
  await expect(confirm).toContainText('This is the client’s last secret.');
  await shot(page, 'remove-last-secret-confirmation');
  await confirm.getByRole('button', { name: 'Remove Secret' }).click();
  await expect(page.getByText('This client has no secrets, so it cannot get tokens.')).toBeVisible();

  // The audit log shows the secret events, never the secret.
  await page.goto(`/security/audit-log?client=${clientId}`);
  const log = page.getByRole('table', { name: 'Audit events' });
  await expect(log.getByRole('row').filter({ hasText: 'Secret added' })).toContainText('never expires');
  await expect(log.getByRole('row').filter({ hasText: 'Secret edited' })).toContainText('Description: original → original, soon replaced');
  await expect(log.getByRole('row').filter({ hasText: 'Secret removed' })).toHaveCount(2);
  expect(await page.content()).not.toContain(secret);
});

test('at 10 secrets Add Secret is unavailable and says why', async ({ page }) => {
  test.slow();
  const { clientId } = await addClientViaUi(page);
  await page.goto(`/security/clients/${clientId}?tab=secrets`);
  for (let n = 2; n <= 10; n++) {
    await page.getByRole('button', { name: 'Add Secret' }).click();
    const pane = page.getByRole('dialog', { name: 'Add Secret' });
    await pane.getByLabel('Description').fill(`secret ${n}`);
    await pane.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Secret Successfully Created' });
    await copyThenClose(dialog, 'Copy Client Secret');
    await expect(page.getByRole('tab', { name: `Secrets (${n})` })).toBeVisible();
  }
  await expect(page.getByRole('button', { name: 'Add Secret' })).toBeDisabled();
  await expect(page.getByText('This client has 10 secrets, the most it can have. Remove a secret to add another.')).toBeVisible();
});

test('remove client from More Options, with a confirmation naming it; its page is gone', async ({ page }) => {
  const { name, clientId } = await addClientViaUi(page);
  await page.goto(`/security/clients/${clientId}`);
  await page.getByRole('button', { name: 'More Options' }).click();
  await page.getByRole('menuitem', { name: 'Remove Client' }).click();
  const confirm = page.getByRole('alertdialog', { name: `Remove client “${name}”?` });
  await expect(confirm).toContainText('its roles and its secret');
  await shot(page, 'remove-client-confirmation');
  await confirm.getByRole('button', { name: 'Remove Client' }).click();
  await expect(page).toHaveURL(/\/security\/clients$/);
  await expect(row(page, name)).toHaveCount(0);
  await page.goto(`/security/clients/${clientId}`);
  await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible();

  await page.goto(`/security/audit-log?client=${clientId}`);
  const removed = page.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: 'Client removed' });
  await expect(removed).toContainText(`${name} (removed)`);
  await expect(removed).toContainText('Removed with 1 secret(s)');
});

test('audit log: newest first, filter by client, paginated on the server', async ({ page }) => {
  // Other specs write audit events at the same time (two workers on one tenant): the order is checked on this
  // client's own events, not on the first row of the whole log.
  const { name, clientId } = await addClientViaUi(page);
  await page.goto(`/security/clients/${clientId}`);
  await page.getByRole('button', { name: 'Disable Client' }).click();
  await page.getByRole('alertdialog', { name: `Disable client “${name}”?` }).getByRole('button', { name: 'Disable Client' }).click();
  await expect(page.getByTestId('client-status')).toHaveText('Disabled');

  await page.goto('/security/audit-log');
  await expect(page.getByRole('heading', { name: 'Audit Log', level: 1 })).toBeVisible();
  const created = page.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: name }).filter({ hasText: 'Client created' });
  await expect(created).toContainText('admin@example.com');
  await page.getByRole('searchbox', { name: 'Client' }).fill(name);
  await page.getByRole('button', { name: 'Filter' }).click();
  await expect(page).toHaveURL(/client=/);
  const rows = page.getByRole('table', { name: 'Audit events' }).getByRole('row');
  await expect(rows).toHaveCount(3);
  // Newest first: the disable after the creation.
  await expect(rows.nth(1)).toContainText('Client disabled');
  await expect(rows.nth(2)).toContainText('Client created');
  // One page: the count, and no Previous / Next leading nowhere.
  await expect(page.getByText('2 events', { exact: true })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Audit log pages' })).toHaveCount(0);
  await shot(page, 'audit-log');
  await page.getByRole('link', { name }).first().click();
  await expect(page).toHaveURL(new RegExp(`/security/clients/${clientId}$`));
});

test.describe("another tenant's administrator", () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  test("gets 'Client not found' for this tenant's client, as for an unknown id", async ({ browser }) => {
    const adminContext = await browser.newContext({ storageState: ADMIN_STATE });
    const adminPage = await adminContext.newPage();
    const { clientId } = await addClientViaUi(adminPage, { name: unique('Cross tenant') });
    await adminContext.close();

    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await signIn(page, OTHER_ADMIN_EMAIL);
    await expect(page).toHaveURL(/\/overview$/);
    await page.goto(`/security/clients/${clientId}`);
    await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible();
    await page.goto(`/security/clients?q=${clientId}`);
    await expect(page.getByText(`No clients match “${clientId}”.`)).toBeVisible();
    await page.goto(`/security/audit-log?client=${clientId}`);
    await expect(page.getByText(`No audit events for a client matching “${clientId}”.`)).toBeVisible();
    await context.close();
  });
});
