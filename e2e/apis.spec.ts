import { expect, test, type Page } from '@playwright/test';
import { addClientViaUi, unique } from './clients-helpers';
import { shot, copyThenClose } from './helpers';
import { PHONE, runAxe } from './ui-checks';

/**
 * Security > APIs (RFC 8707 resource indicators) as a tenant administrator uses it: add an API with its scopes, the
 * identifier's rules at its field, edit the scopes, give a client access to some of them on its details page, see it
 * in the audit log, remove the API and see the client lose it.
 */

const slug = () => Date.now().toString(36) + Math.random().toString(36).slice(2, 6);

async function expectNoAxeViolations(page: Page, state: string) {
  expect(await runAxe(page), `axe: ${state}`).toEqual([]);
}

test('add, edit and remove an API; give a client access to some of its scopes', async ({ page }) => {
  const name = unique('Orders API');
  const identifier = `https://orders-${slug()}.example.com`;

  await page.goto('/security/apis');
  await expect(page.getByRole('heading', { name: 'APIs', level: 1 })).toBeVisible();
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'APIs' })).toHaveAttribute('aria-current', 'page');

  // Add API: a bad identifier is refused at its field (the browser's checks, then the shared schema's message).
  await page.getByRole('button', { name: 'Add API' }).first().click();
  await expect(page).toHaveURL(/[?&]add=api/);
  const pane = page.getByRole('dialog', { name: 'Add API' });
  await expect(pane.getByLabel('Name')).toBeFocused();
  await pane.getByLabel('Name').fill(name);
  await pane.getByLabel('Identifier').fill('orders-api');
  await pane.getByLabel('Scopes').fill('orders.read\norders.write orders.admin');
  await pane.getByRole('button', { name: 'Save' }).click();
  const identifierField = pane.getByLabel('Identifier');
  await expect(identifierField).toHaveAttribute('aria-invalid', 'true');
  await expect(identifierField).toHaveAccessibleDescription(/Enter an absolute URI such as https:\/\/api\.example\.com\./);
  await expect(identifierField).toBeFocused();
  await expectNoAxeViolations(page, 'Add API pane with a field error');
  await shot(page, 'apis-add-api-pane-error');

  await identifierField.fill(identifier);
  await expect(identifierField).toHaveAccessibleDescription(/It cannot be changed later\./);
  await shot(page, 'apis-add-api-pane');
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  await expect(page).not.toHaveURL(/[?&]add=/);
  await expect(page.getByRole('status').filter({ hasText: `API "${name}" added.` })).toBeVisible();
  const row = page.getByRole('table', { name: 'APIs' }).getByRole('row').filter({ hasText: name });
  await expect(row).toContainText(identifier);
  await expect(row.getByRole('list', { name: `Scopes of ${name}` }).getByRole('listitem')).toHaveText(['orders.read', 'orders.write', 'orders.admin']);
  await expect(row.getByRole('cell').nth(3)).toHaveText('0');
  await expectNoAxeViolations(page, 'APIs list');
  await shot(page, 'apis-list');

  // The same identifier again: the server's message at the field.
  await page.getByRole('button', { name: 'Add API' }).click();
  await pane.getByLabel('Name').fill(`${name} copy`);
  await pane.getByLabel('Identifier').fill(identifier);
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane.getByLabel('Identifier')).toHaveAccessibleDescription(/This identifier is already in use by another API\./);
  await expect(pane.getByLabel('Identifier')).toHaveAttribute('aria-invalid', 'true');
  await pane.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('alertdialog', { name: 'Discard your changes?' }).getByRole('button', { name: 'Discard' }).click();
  await expect(pane).toBeHidden();
  await expect(page.getByRole('table', { name: 'APIs' }).getByRole('row').filter({ hasText: `${name} copy` })).toHaveCount(0);

  // Edit API: the identifier is shown, fixed; the scopes change. The pane deep-links.
  await row.getByRole('button', { name: `Edit API ${name}` }).click();
  await expect(page).toHaveURL(/[?&]edit=/);
  await page.goto(page.url());
  const edit = page.getByRole('dialog', { name: 'Edit API' });
  await expect(edit.getByLabel('Identifier')).toHaveValue(identifier);
  await expect(edit.getByLabel('Identifier')).not.toBeEditable();
  await expect(edit.getByLabel('Scopes')).toHaveValue('orders.read\norders.write\norders.admin');
  await edit.getByLabel('Scopes').fill('orders.read orders.write orders.refund');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `API "${name}" saved.` })).toBeVisible();
  await expect(row.getByRole('list', { name: `Scopes of ${name}` }).getByRole('listitem')).toHaveText(['orders.read', 'orders.write', 'orders.refund']);

  // A client gets access to two of its scopes, on its details page.
  const client = await addClientViaUi(page, { name: unique('Orders worker') });
  await page.goto(`/security/clients/${client.clientId}`);
  const section = page.getByRole('region', { name: 'API Access' });
  await expect(section.getByTestId('api-access-none')).toHaveText('None');
  await section.getByRole('button', { name: 'Edit API Access' }).click();
  await expect(page).toHaveURL(/[?&]edit=api-access/);
  const access = page.getByRole('dialog', { name: 'Edit API Access' });
  const apiBox = access.getByRole('checkbox', { name, exact: true });
  await expect(apiBox).not.toBeChecked();
  await apiBox.check();
  const scopes = access.getByRole('group', { name: `Scopes of ${name}` });
  await expect(scopes.getByRole('radio', { name: 'All scopes' })).toBeChecked();
  await scopes.getByRole('radio', { name: 'Chosen scopes' }).check();
  // Chosen scopes with none chosen is refused at the API.
  await access.getByRole('button', { name: 'Save' }).click();
  await expect(scopes).toContainText('Choose at least one scope, or All scopes.');
  await scopes.getByRole('checkbox', { name: 'orders.read' }).check();
  await scopes.getByRole('checkbox', { name: 'orders.refund' }).check();
  await expect(scopes).not.toContainText('Choose at least one scope');
  await expectNoAxeViolations(page, 'Edit API Access pane');
  await shot(page, 'apis-api-access-pane');
  await access.getByRole('button', { name: 'Save' }).click();
  await expect(access).toBeHidden();
  await expect(section.getByTestId('api-access-none')).toHaveCount(0);
  await expect(section).toContainText(name);
  await expect(section).toContainText(identifier);
  await expect(section.getByRole('list', { name: `Scopes of ${name} for this client` }).getByRole('listitem')).toHaveText(['orders.read', 'orders.refund']);
  await shot(page, 'apis-client-api-access');

  // The pane opens again with what was saved.
  await section.getByRole('button', { name: 'Edit API Access' }).click();
  await expect(apiBox).toBeChecked();
  await expect(scopes.getByRole('radio', { name: 'Chosen scopes' })).toBeChecked();
  await expect(scopes.getByRole('checkbox', { name: 'orders.read' })).toBeChecked();
  await expect(scopes.getByRole('checkbox', { name: 'orders.write' })).not.toBeChecked();

  // A second pane opened on the same version: once this one saves, that one's save is refused, and nothing it held
  // overwrites the saved access.
  const other = await page.context().newPage();
  await other.goto(`/security/clients/${client.clientId}?edit=api-access`);
  const otherAccess = other.getByRole('dialog', { name: 'Edit API Access' });
  await expect(otherAccess.getByRole('checkbox', { name, exact: true })).toBeChecked();
  await scopes.getByRole('checkbox', { name: 'orders.write' }).check();
  await access.getByRole('button', { name: 'Save' }).click();
  await expect(access).toBeHidden();
  await expect(section.getByRole('list', { name: `Scopes of ${name} for this client` }).getByRole('listitem')).toHaveText(['orders.read', 'orders.write', 'orders.refund']);
  await otherAccess.getByRole('group', { name: `Scopes of ${name}` }).getByRole('radio', { name: 'All scopes' }).check();
  await otherAccess.getByRole('button', { name: 'Save' }).click();
  await expect(otherAccess.getByRole('alert')).toContainText('This client was changed by');
  await other.close();
  await page.reload();
  await expect(section.getByRole('list', { name: `Scopes of ${name} for this client` }).getByRole('listitem')).toHaveText(['orders.read', 'orders.write', 'orders.refund']);

  // The audit log of the client names the change.
  await page.goto(`/security/audit-log?client=${client.clientId}`);
  await expect(page.getByText(`API access: none → ${identifier} (orders.read orders.refund)`)).toBeVisible();

  // The APIs list counts the client; Remove API says it loses access.
  await page.goto('/security/apis');
  await expect(row.getByRole('cell').nth(3)).toHaveText('1');
  await row.getByRole('button', { name: `Remove API ${name}` }).click();
  const confirm = page.getByRole('alertdialog', { name: `Remove API "${name}"?` });
  await expect(confirm).toContainText(`1 client loses access to it: they can no longer get tokens for ${identifier}.`);
  await confirm.getByRole('button', { name: 'Remove API' }).click();
  await expect(confirm).toBeHidden();
  await expect(page.getByRole('status').filter({ hasText: `API "${name}" removed. 1 client lost access to it.` })).toBeVisible();
  await expect(row).toHaveCount(0);

  await page.goto(`/security/clients/${client.clientId}`);
  await expect(section.getByTestId('api-access-none')).toHaveText('None');
  await expect(section).not.toContainText(identifier);
});

test('Add Client gives a client API access, Edit API Access and Edit Client change it, and the token endpoint honours each at once', async ({ page }) => {
  const name = unique('Ledger API');
  const identifier = `https://ledger-${slug()}.example.com`;
  await page.goto('/security/apis?add=api');
  const addApi = page.getByRole('dialog', { name: 'Add API' });
  await addApi.getByLabel('Name').fill(name);
  await addApi.getByLabel('Identifier').fill(identifier);
  await addApi.getByLabel('Scopes').fill('ledger.read ledger.write');
  await addApi.getByRole('button', { name: 'Save' }).click();
  await expect(addApi).toBeHidden();

  // Add Client: API Access under the roles. Chosen scopes with none chosen stops Next at that API.
  const clientName = unique('Ledger worker');
  await page.goto('/security/clients?add=client');
  const add = page.getByRole('dialog', { name: 'Add Client' });
  await add.getByLabel('Name', { exact: true }).fill(clientName);
  const apiAccess = add.getByRole('group', { name: 'API Access' });
  await apiAccess.getByRole('checkbox', { name, exact: true }).check();
  const scopes = apiAccess.getByRole('group', { name: `Scopes of ${name}` });
  await expect(scopes.getByRole('radio', { name: 'All scopes' })).toBeChecked();
  await scopes.getByRole('radio', { name: 'Chosen scopes' }).check();
  await add.getByRole('button', { name: 'Next' }).click();
  await expect(scopes).toContainText('Choose at least one scope, or All scopes.');
  await expect(add.getByLabel('Name', { exact: true })).toBeVisible();
  await scopes.getByRole('checkbox', { name: 'ledger.read' }).check();
  await expect(scopes).not.toContainText('Choose at least one scope');
  await expectNoAxeViolations(page, 'Add Client with API Access');
  await shot(page, 'apis-add-client-api-access');
  await add.getByRole('button', { name: 'Next' }).click();
  const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
  await secretPane.getByLabel('Description').fill('ledger');
  await secretPane.getByRole('button', { name: 'Save' }).click();
  const created = page.getByRole('dialog', { name: 'Client Successfully Created' });
  const clientId = await created.getByRole('textbox', { name: 'Client Id' }).inputValue();
  const secret = await created.getByRole('textbox', { name: 'Client Secret' }).inputValue();
  await copyThenClose(created, 'Copy Client Secret');
  await expect(created).toBeHidden();

  // The credentials get a token for the API with the granted scope only; the other scope is refused.
  const token = async (scope?: string) => {
    const res = await page.request.post('/identity/connect/token', {
      form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret, resource: identifier, ...(scope ? { scope } : {}) },
    });
    return { status: res.status(), body: (await res.json()) as { access_token?: string; scope?: string; error?: string } };
  };
  const claims = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString()) as { aud: string; scope: string };
  const first = await token();
  expect(first.status).toBe(200);
  expect(claims(first.body.access_token!)).toMatchObject({ aud: identifier, scope: 'ledger.read' });
  expect(await token('ledger.write')).toMatchObject({ status: 400, body: { error: 'invalid_scope' } });

  // The details page shows it; Edit API Access opens with it and changes it to all scopes, which the token endpoint
  // honours at once.
  await page.goto(`/security/clients/${clientId}`);
  const section = page.getByRole('region', { name: 'API Access' });
  await expect(section.getByRole('list', { name: `Scopes of ${name} for this client` }).getByRole('listitem')).toHaveText(['ledger.read']);
  await section.getByRole('button', { name: 'Edit API Access' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit API Access' });
  await expect(edit.getByRole('checkbox', { name, exact: true })).toBeChecked();
  const editScopes = edit.getByRole('group', { name: `Scopes of ${name}` });
  await expect(editScopes.getByRole('radio', { name: 'Chosen scopes' })).toBeChecked();
  await expect(editScopes.getByRole('checkbox', { name: 'ledger.read' })).toBeChecked();
  await expect(editScopes.getByRole('checkbox', { name: 'ledger.write' })).not.toBeChecked();
  await editScopes.getByRole('radio', { name: 'All scopes' }).check();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(section).toContainText('All scopes');
  // Opened and closed without a change: nothing to discard.
  await section.getByRole('button', { name: 'Edit API Access' }).click();
  await expect(editScopes.getByRole('radio', { name: 'All scopes' })).toBeChecked();
  await edit.getByRole('button', { name: 'Cancel' }).click();
  await expect(edit).toBeHidden();
  await expect(page.getByRole('alertdialog')).toHaveCount(0);
  const both = await token('ledger.write');
  expect(both.status).toBe(200);
  expect(claims(both.body.access_token!)).toMatchObject({ aud: identifier, scope: 'ledger.write' });

  // Without the API: the client loses it.
  await section.getByRole('button', { name: 'Edit API Access' }).click();
  await edit.getByRole('checkbox', { name, exact: true }).uncheck();
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  await expect(section.getByTestId('api-access-none')).toHaveText('None');
  expect(await token()).toMatchObject({ status: 400, body: { error: 'invalid_target' } });

  // Edit Client offers the same API Access: given back there (chosen scopes, none chosen stops Save at that API).
  await page.getByRole('button', { name: 'Edit Client' }).click();
  const editClient = page.getByRole('dialog', { name: 'Edit Client' });
  const clientAccess = editClient.getByRole('group', { name: 'API Access' });
  await expect(clientAccess.getByRole('checkbox', { name, exact: true })).not.toBeChecked();
  await clientAccess.getByRole('checkbox', { name, exact: true }).check();
  const clientScopes = clientAccess.getByRole('group', { name: `Scopes of ${name}` });
  await clientScopes.getByRole('radio', { name: 'Chosen scopes' }).check();
  await editClient.getByRole('button', { name: 'Save' }).click();
  await expect(clientScopes).toContainText('Choose at least one scope, or All scopes.');
  await clientScopes.getByRole('checkbox', { name: 'ledger.write' }).check();
  await expect(clientScopes).not.toContainText('Choose at least one scope');
  await expectNoAxeViolations(page, 'Edit Client with API Access');
  await editClient.getByRole('button', { name: 'Save' }).click();
  await expect(editClient).toBeHidden();
  await expect(section.getByRole('list', { name: `Scopes of ${name} for this client` }).getByRole('listitem')).toHaveText(['ledger.write']);
  const again = await token();
  expect(again.status).toBe(200);
  expect(claims(again.body.access_token!)).toMatchObject({ aud: identifier, scope: 'ledger.write' });
  // Opened again, it shows what was saved.
  await page.getByRole('button', { name: 'Edit Client' }).click();
  await expect(clientScopes.getByRole('checkbox', { name: 'ledger.write' })).toBeChecked();
  await expect(clientScopes.getByRole('checkbox', { name: 'ledger.read' })).not.toBeChecked();
  await editClient.getByRole('button', { name: 'Cancel' }).click();
  await expect(editClient).toBeHidden();

  // The audit log names each step.
  await page.goto(`/security/audit-log?client=${clientId}`);
  await expect(page.getByText(`API access: ${identifier} (ledger.read)`, { exact: true })).toBeVisible();
  await expect(page.getByText(`API access: ${identifier} (ledger.read) → ${identifier} (all scopes)`)).toBeVisible();
  await expect(page.getByText(`API access: ${identifier} (all scopes) → none`)).toBeVisible();
  await expect(page.getByText(`API access: none → ${identifier} (ledger.write)`)).toBeVisible();
});

test('the APIs page and its panes at phone width', async ({ browser }) => {
  const context = await browser.newContext({ ...PHONE, storageState: test.info().project.use.storageState });
  const page = await context.newPage();
  const name = unique('Phone API');
  const identifier = `https://phone-${slug()}.example.com/v1`;
  await page.goto('/security/apis?add=api');
  const pane = page.getByRole('dialog', { name: 'Add API' });
  await pane.getByLabel('Name').fill(name);
  await pane.getByLabel('Identifier').fill(identifier);
  await pane.getByLabel('Scopes').fill('inventory.read inventory.write');
  await shot(page, 'apis-add-api-pane-phone');
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  await expect(page.getByRole('table', { name: 'APIs' }).getByRole('row').filter({ hasText: name })).toBeVisible();
  await shot(page, 'apis-list-phone');

  // Add Client offers it under API Access, inside the phone's width.
  await page.goto('/security/clients?add=client');
  const addClient = page.getByRole('dialog', { name: 'Add Client' });
  await addClient.getByRole('group', { name: 'API Access' }).getByRole('checkbox', { name, exact: true }).check();
  await addClient.getByRole('group', { name: `Scopes of ${name}` }).getByRole('radio', { name: 'Chosen scopes' }).check();
  await addClient.getByRole('group', { name: `Scopes of ${name}` }).getByRole('checkbox', { name: 'inventory.write' }).scrollIntoViewIfNeeded();
  expect(await addClient.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await shot(page, 'apis-add-client-api-access-phone');
  await addClient.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('alertdialog', { name: 'Discard this client?' }).getByRole('button', { name: 'Discard' }).click();

  const client = await addClientViaUi(page, { name: unique('Phone client') });
  await page.goto(`/security/clients/${client.clientId}?edit=api-access`);
  const access = page.getByRole('dialog', { name: 'Edit API Access' });
  await access.getByRole('checkbox', { name, exact: true }).check();
  await access.getByRole('group', { name: `Scopes of ${name}` }).getByRole('radio', { name: 'Chosen scopes' }).check();
  await shot(page, 'apis-api-access-pane-phone');
  await access.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('alertdialog', { name: 'Discard your changes?' }).getByRole('button', { name: 'Discard' }).click();

  await page.goto('/security/apis');
  await page.getByRole('button', { name: `Remove API ${name}` }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Remove API' }).click();
  await expect(page.getByRole('table', { name: 'APIs' }).getByRole('row').filter({ hasText: name })).toHaveCount(0);
  await context.close();
});
