import { expect, test } from '@playwright/test';
import { localInput, readClipboard, unique } from './clients-helpers';
import { shot } from './helpers';

test('the Clients page shows the Client Type dropdown, the toolbar and the list', async ({ page }) => {
  await page.goto('/security/clients');
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  const type = page.getByRole('combobox', { name: 'Client Type' });
  await expect(type).toHaveText('Client-Credentials Client');
  await type.click();
  await expect(page.getByRole('option')).toHaveText(['Client-Credentials Client', 'Authorization Code Client', 'Hybrid Client', 'Device Code Client']);
  await expect(page.getByRole('option', { name: 'Client-Credentials Client' })).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Escape');
  await expect(page.getByRole('option')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add Client' })).toBeVisible();
});

test('add a client: both panes, the one-time secret with Copy, the close confirmation, the list', async ({ page }) => {
  const name = unique('Historian');
  await page.goto('/security/clients');
  await page.getByRole('button', { name: 'Add Client' }).click();

  const pane = page.getByRole('dialog', { name: 'Add Client' });
  await expect(pane).toBeVisible();
  await expect(page).toHaveURL(/[?&]add=client/);
  // The open state lives in the URL: a refresh keeps the pane open.
  await page.reload();
  await expect(pane).toBeVisible();

  // Bad input is flagged at the field before anything is sent.
  await pane.getByRole('button', { name: 'Next' }).click();
  await expect(pane.getByText('Enter a name.')).toBeVisible();
  await pane.getByLabel('Token Lifetime').fill('59');
  await pane.getByLabel('Name', { exact: true }).fill('x'.repeat(101));
  await pane.getByRole('button', { name: 'Next' }).click();
  await expect(pane.getByText('Use at most 100 characters.')).toBeVisible();
  await expect(pane.getByText('Enter a whole number of seconds from 60 to 3600.')).toBeVisible();

  await pane.getByLabel('Name', { exact: true }).fill(`  ${name}  `);
  await pane.getByLabel('Token Lifetime').fill('900');
  await expect(pane.getByRole('tab', { name: 'Tenant Roles' })).toHaveAttribute('aria-selected', 'true');
  const member = pane.getByRole('checkbox', { name: 'Tenant Member' });
  await expect(member).toBeChecked();
  await expect(member).toBeDisabled();
  await expect(pane.getByText('Every client has the Tenant Member role; it cannot be removed.')).toBeVisible();
  await pane.getByRole('checkbox', { name: 'Tenant Administrator' }).click();
  await expect(pane.getByText('Clients should rarely have Tenant Administrator.')).toBeVisible();
  await pane.getByRole('checkbox', { name: 'Tenant Administrator' }).click();
  await expect(pane.getByText('Clients should rarely have Tenant Administrator.')).toBeHidden();
  await pane.getByRole('checkbox', { name: 'Tenant Contributor' }).click();
  await pane.getByRole('tab', { name: /Community Roles/ }).click();
  await expect(pane.getByRole('tabpanel', { name: /Community Roles/ })).toBeVisible();
  await pane.getByRole('tab', { name: 'Tenant Roles' }).click();
  await shot(page, 'add-client-pane');

  await pane.getByRole('button', { name: 'Next' }).click();
  const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
  await expect(secretPane).toBeVisible();
  // Expiration defaults to one year from now.
  const nextYear = String(new Date().getFullYear() + 1);
  await expect(secretPane.getByLabel('Expiration Date')).toHaveValue(new RegExp(`^${nextYear}-`));

  // Back keeps the values.
  await secretPane.getByRole('button', { name: 'Back' }).click();
  await expect(pane.getByLabel('Name', { exact: true })).toHaveValue(`  ${name}  `);
  await expect(pane.getByLabel('Token Lifetime')).toHaveValue('900');
  await expect(pane.getByRole('checkbox', { name: 'Tenant Contributor' })).toBeChecked();
  await pane.getByRole('button', { name: 'Next' }).click();

  await secretPane.getByLabel('Description').fill('Historian production');
  await secretPane.getByLabel('Expiration Date').fill(localInput(-1));
  await secretPane.getByRole('button', { name: 'Save' }).click();
  await expect(secretPane.getByText('The expiration date must be in the future.')).toBeVisible();
  await secretPane.getByRole('checkbox', { name: 'Never Expires' }).click();
  await expect(secretPane.getByLabel('Expiration Date')).toBeDisabled();
  await secretPane.getByRole('checkbox', { name: 'Never Expires' }).click();
  await expect(secretPane.getByLabel('Expiration Date')).toBeEnabled();
  await secretPane.getByLabel('Expiration Date').fill(localInput(200));
  await shot(page, 'create-secret-pane');
  // A double click on Save still creates one client.
  const actionResponse = page.waitForResponse((r) => r.request().method() === 'POST' && Boolean(r.request().headers()['next-action']));
  await secretPane.getByRole('button', { name: 'Save' }).dblclick();
  // The response carrying the secret may not be stored by any cache.
  const headers = (await actionResponse).headers();
  expect(headers['cache-control']).toContain('no-store');

  const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByText('The client secret cannot be shown again.')).toBeVisible();
  const clientId = await dialog.getByRole('textbox', { name: 'Client Id' }).inputValue();
  const secret = await dialog.getByRole('textbox', { name: 'Client Secret' }).inputValue();
  expect(clientId).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  expect(secret).toMatch(/^tscs_[A-Za-z0-9_-]{43}_[A-Za-z0-9_-]{6}$/);
  await expect(page).not.toHaveURL(/add=client/);
  await shot(page, 'client-created-dialog');

  // Escape and a click outside do not dismiss it silently.
  await page.keyboard.press('Escape');
  const confirm = page.getByRole('alertdialog', { name: 'Close without copying the secret?' });
  await expect(confirm).toBeVisible();
  await shot(page, 'client-created-close-confirmation');
  await confirm.getByRole('button', { name: 'Go back' }).click();
  await expect(confirm).toBeHidden();
  // A click outside asks too. Radix re-enables the window's outside-click handling in the render after the
  // confirmation unmounts; a click in between (a few ms, more on a loaded CI machine) goes to no layer, as it
  // would for a person clicking that fast: click again until it asks (a second click on the confirmation's own
  // overlay does nothing, an alert dialog ignores outside clicks).
  await expect(async () => {
    await page.mouse.click(5, 5);
    await expect(confirm).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  await confirm.getByRole('button', { name: 'Go back' }).click();
  await expect(dialog).toBeVisible();

  // Copy the Client Id: "Copied", and the clipboard holds the shown value.
  await dialog.getByRole('button', { name: 'Copy Client Id' }).click();
  await expect(dialog.getByRole('button', { name: 'Copy Client Id' })).toHaveText('Copied');
  expect(await readClipboard(page)).toBe(clientId);
  // Copying the id alone is not enough: Close still asks.
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Go back' }).click();

  await dialog.getByRole('button', { name: 'Copy Client Secret' }).click();
  await expect(dialog.getByRole('button', { name: 'Copy Client Secret' })).toHaveText('Copied');
  expect(await readClipboard(page)).toBe(secret);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();
  await expect(confirm).toBeHidden();

  // The new client is in the list with its Client Id (other specs add clients at the same time, so not necessarily
  // at the top); the secret is nowhere on the page.
  const firstRow = page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: name });
  await expect(firstRow).toContainText(name);
  await expect(firstRow).toContainText(clientId);
  await expect(firstRow).toContainText('900 s');
  await expect(firstRow).toContainText('Tenant Contributor');
  await expect(firstRow).toContainText('1 secret');
  expect(await page.content()).not.toContain(secret);
  await shot(page, 'clients-list');
  await page.reload();
  await expect(page.getByRole('table', { name: 'Clients' })).toContainText(clientId);
  expect(await page.content()).not.toContain(secret);
  const html = await (await page.request.get('/security/clients')).text();
  expect(html).not.toContain(secret);
  expect(html).toContain(clientId);

  // One client, even though Save was double-clicked.
  await page.getByRole('searchbox', { name: 'Search' }).fill(name);
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/q=/);
  await expect(page.getByRole('table', { name: 'Clients' }).getByRole('row')).toHaveCount(2);

  // The row's own copy button copies the Client Id.
  await page.getByRole('button', { name: `Copy Client Id of ${name}` }).click();
  expect(await readClipboard(page)).toBe(clientId);
});

test('closing the secret window without copying asks, then forgets the secret', async ({ page }) => {
  const name = unique('No copy');
  await page.goto('/security/clients?add=client');
  const pane = page.getByRole('dialog', { name: 'Add Client' });
  await pane.getByLabel('Name', { exact: true }).fill(name);
  await pane.getByLabel('Name', { exact: true }).press('Enter');
  const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
  await secretPane.getByRole('checkbox', { name: 'Never Expires' }).click();
  await secretPane.getByRole('button', { name: 'Save' }).click();

  const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
  const secret = await dialog.getByRole('textbox', { name: 'Client Secret' }).inputValue();
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Close without copying the secret?' });
  await expect(confirm).toContainText('cannot be shown again');
  await confirm.getByRole('button', { name: 'Close without copying' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: name })).toContainText('Never expires');
  expect(await page.content()).not.toContain(secret);
});

test('the Add Client pane asks before discarding typed values, and closes at once when empty', async ({ page }) => {
  await page.goto('/security/clients');
  await page.getByRole('button', { name: 'Add Client' }).click();
  const pane = page.getByRole('dialog', { name: 'Add Client' });
  // The pane's code loads on first open (add-client-sheet-loader.tsx): Escape means something once it is there.
  await expect(pane).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(pane).toBeHidden();
  await expect(page).not.toHaveURL(/add=client/);

  await page.getByRole('button', { name: 'Add Client' }).click();
  await pane.getByLabel('Name', { exact: true }).fill('Half typed');
  await page.keyboard.press('Escape');
  const confirm = page.getByRole('alertdialog', { name: 'Discard this client?' });
  await expect(confirm).toBeVisible();
  await confirm.getByRole('button', { name: 'Keep editing' }).click();
  await expect(pane.getByLabel('Name', { exact: true })).toHaveValue('Half typed');
  await pane.getByRole('button', { name: 'Cancel' }).click();
  await confirm.getByRole('button', { name: 'Discard' }).click();
  await expect(pane).toBeHidden();
  // Focus returns to the toolbar button.
  await expect(page.getByRole('button', { name: 'Add Client' })).toBeFocused();
});

test('search with no match says so, and clearing it brings the list back', async ({ page }) => {
  await page.goto('/security/clients?q=no-such-client-zzz');
  await expect(page.getByText('No clients match “no-such-client-zzz”.')).toBeVisible();
  await page.getByRole('button', { name: 'Clear search' }).click();
  await expect(page).not.toHaveURL(/q=/);
});
