import { expect, test, type Browser, type Page } from '@playwright/test';
import { localInput, unique } from './clients-helpers';
import { MEMBER_EMAIL, OTHER_ADMIN_EMAIL, PASSWORD, signIn, copyThenClose } from './helpers';
import { AXE_TAGS, runAxe } from './ui-checks';

/**
 * axe on every console page and on every pane, dialog and menu while it is open: the WCAG 2.0 and 2.1 level A and AA
 * rules, plus axe's best-practice rules (landmarks, headings, regions). Each state must have zero violations; the file
 * prints how many states it checked and how many violations it saw.
 */
const checked: string[] = [];
let violationCount = 0;
// Every state is independent (its own clients, people and roles): the two workers share this long file.
test.describe.configure({ mode: 'parallel' });

/**
 * Every state below is audited twice: at 1440 px in the light theme, and at 390 px (a phone, touch) in the dark theme
 * (the system setting). e2e/responsive.spec.ts runs axe on every page in the other two combinations.
 */
const VIEWS = [{ name: 'desktop-light' }, { name: 'phone-dark' }] as const;
type View = (typeof VIEWS)[number];
const VIEW_OPTIONS = {
  'desktop-light': { viewport: { width: 1440, height: 900 }, colorScheme: 'light' as const },
  'phone-dark': { viewport: { width: 390, height: 844 }, colorScheme: 'dark' as const, hasTouch: true, isMobile: true },
};

async function audit(page: Page, view: View, name: string) {
  const state = `${name} (${view.name})`;
  // runAxe waits for the <title>: after a client-side navigation Next streams it in a moment later, so the page a
  // person sees is audited once it has settled (a page whose title never comes still fails, and document-title stays on).
  const violations = await runAxe(page);
  checked.push(state);
  violationCount += violations.length;
  const found = violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary?.split('\n').slice(1).join(' ').trim()}`),
  }));
  // Soft: one run lists every state's problems, not only the first.
  expect.soft(found, `axe violations in "${state}"`).toEqual([]);
}

test.afterAll(() => {
  console.log(`a11y: ${checked.length} pages/states checked with axe (${AXE_TAGS.join(', ')}): ${violationCount} violations`);
});

async function signedInAs(browser: Browser, view: View, email: string) {
  const context = await browser.newContext({ ...VIEW_OPTIONS[view.name], storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await signIn(page, email, PASSWORD);
  await expect(page.getByTestId('signed-in-user')).toContainText(email);
  return { context, page };
}

for (const view of VIEWS) {
  test.describe(view.name, () => {
  test.use(VIEW_OPTIONS[view.name]);

  test.describe('signed out', () => {
    test.use({ storageState: { cookies: [], origins: [] } });

    test('sign-in: empty, with field errors, with a refused password', async ({ page }) => {
      await page.goto('/sign-in');
      await expect(page.getByRole('heading', { name: 'Sign in', level: 1 })).toBeVisible();
      await audit(page, view, 'sign-in');
      await page.getByRole('button', { name: 'Sign in', exact: true }).click();
      await expect(page.getByText('Enter your email.')).toBeVisible();
      await audit(page, view, 'sign-in: field errors');
      await signIn(page, 'nobody@example.com', 'not-the-password');
      await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText('Incorrect email or password.');
      await audit(page, view, 'sign-in: refused');
    });
  });

  test('a Tenant Member: the 403 page and the account page', async ({ browser }) => {
    const { context, page } = await signedInAs(browser, view, MEMBER_EMAIL);
    await page.goto('/security/clients');
    await expect(page.getByRole('heading', { name: 'Tenant Administrator role required' })).toBeVisible();
    await audit(page, view, '403 page (member)');
    await page.goto('/account');
    await expect(page.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
    // The navigation offers a member no Security page (each would be the 403 page): their account and devices.
    const openNav = page.getByRole('button', { name: 'Open navigation' });
    if (await openNav.isVisible()) await openNav.click();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await expect(nav.getByRole('link', { name: 'Account', exact: true })).toHaveAttribute('href', '/account');
    await expect(nav.getByRole('link', { name: 'Connect a device' })).toHaveAttribute('href', '/device');
    await expect(nav.getByRole('link', { name: 'API Reference' })).toBeVisible();
    for (const name of ['Overview', 'Clients', 'Users', 'Audit Log', 'Settings']) await expect(nav.getByRole('link', { name, exact: true })).toHaveCount(0);
    await audit(page, view, 'account (member)');
    if (await page.getByRole('button', { name: 'Close navigation' }).isVisible()) await page.keyboard.press('Escape');
    // /device (RFC 8628): the code field with its error, and the Allow step is covered by e2e/device.spec.ts.
    await page.goto('/device');
    await expect(page.getByRole('heading', { name: 'Connect a device', level: 1 })).toBeVisible();
    await audit(page, view, 'device: enter the code (member)');
    await page.getByLabel('Code', { exact: true }).fill('BCDF-BCDF');
    await page.getByRole('button', { name: 'Continue' }).click();
    await expect(page.getByText('This code is not valid.', { exact: false })).toBeVisible();
    await audit(page, view, 'device: a code that is not valid (member)');
    await context.close();
  });

  test('overview: the landing page, with items and in a usually empty tenant', async ({ browser, page }) => {
    await page.goto('/overview');
    await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
    await audit(page, view, 'overview');
    const other = await signedInAs(browser, view, OTHER_ADMIN_EMAIL);
    await other.page.goto('/overview');
    await expect(other.page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
    await audit(other.page, view, 'overview (other tenant, usually empty)');
    await other.context.close();
  });

  test('clients list: empty tenant and a search without matches', async ({ browser, page }) => {
    // The other tenant's administrator: its list is empty unless another spec added a client there.
    const other = await signedInAs(browser, view, OTHER_ADMIN_EMAIL);
    await other.page.goto('/security/clients');
    await expect(other.page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
    await audit(other.page, view, 'clients list (other tenant, usually empty)');
    await other.context.close();

    await page.goto(`/security/clients?q=${encodeURIComponent(unique('no-such-client'))}`);
    await expect(page.getByText(/^No clients match/)).toBeVisible();
    await audit(page, view, 'clients list: no match');
  });

  test('add a client: both panes, both tabs, the created dialog and its close confirmation, the list', async ({ page }) => {
    test.slow(); // one axe run per state, each a second or more on a busy machine
    const name = unique('A11y');
    await page.goto('/security/clients');
    await page.getByRole('button', { name: 'Add Client' }).click();
    const pane = page.getByRole('dialog', { name: 'Add Client' });
    await expect(pane.getByRole('tab', { name: 'Tenant Roles' })).toHaveAttribute('aria-selected', 'true');
    await audit(page, view, 'Add Client pane: Tenant Roles tab');

    await pane.getByRole('button', { name: 'Next' }).click();
    await expect(pane.getByText('Enter a name.')).toBeVisible();
    await audit(page, view, 'Add Client pane: field errors');

    await pane.getByLabel('Name', { exact: true }).fill(name);
    await pane.getByRole('checkbox', { name: 'Tenant Administrator' }).click();
    await expect(pane.getByText('Clients should rarely have Tenant Administrator.')).toBeVisible();
    await audit(page, view, 'Add Client pane: Tenant Administrator warning');
    await pane.getByRole('checkbox', { name: 'Tenant Administrator' }).click();
    await pane.getByRole('tab', { name: /Community Roles/ }).click();
    await expect(pane.getByRole('tabpanel', { name: /Community Roles/ })).toBeVisible();
    await audit(page, view, 'Add Client pane: Community Roles tab');

    await page.keyboard.press('Escape');
    await expect(page.getByRole('alertdialog', { name: 'Discard this client?' })).toBeVisible();
    await audit(page, view, 'Add Client: discard confirmation');
    await page.getByRole('button', { name: 'Keep editing' }).click();

    await pane.getByRole('button', { name: 'Next' }).click();
    const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
    await expect(secretPane.getByLabel('Description')).toBeVisible();
    await audit(page, view, 'Create Secret pane');
    await secretPane.getByLabel('Expiration Date').fill(localInput(-1));
    await secretPane.getByRole('button', { name: 'Save' }).click();
    await expect(secretPane.getByText('The expiration date must be in the future.')).toBeVisible();
    await audit(page, view, 'Create Secret pane: field errors');
    await secretPane.getByRole('checkbox', { name: 'Never Expires' }).click();
    await audit(page, view, 'Create Secret pane: Never Expires');
    await secretPane.getByRole('button', { name: 'Save' }).click();

    const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
    await expect(dialog.getByRole('textbox', { name: 'Client Secret' })).toBeVisible();
    await audit(page, view, 'Client Successfully Created dialog');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const confirm = page.getByRole('alertdialog', { name: 'Close without copying the secret?' });
    await expect(confirm).toBeVisible();
    await audit(page, view, 'Client Successfully Created: close confirmation');
    await confirm.getByRole('button', { name: 'Go back' }).click();
    await dialog.getByRole('button', { name: 'Copy Client Secret' }).click();
    await expect(dialog.getByRole('button', { name: 'Copy Client Secret' })).toHaveText('Copied');
    await audit(page, view, 'Client Successfully Created: copied');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await expect(dialog).toBeHidden();

    await expect(page.getByRole('table', { name: 'Clients' }).getByRole('row').filter({ hasText: name })).toBeVisible();
    await audit(page, view, 'clients list with clients');
  });

  test('a client: details, secrets, edit, add and edit secret, the confirmations, the menu, not found', async ({ page }) => {
    test.slow(); // one axe run per state, each a second or more on a busy machine
    const name = unique('A11y details');
    await page.goto('/security/clients?add=client');
    const addPane = page.getByRole('dialog', { name: 'Add Client' });
    await addPane.getByLabel('Name', { exact: true }).fill(name);
    await addPane.getByRole('button', { name: 'Next' }).click();
    const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
    await secretPane.getByLabel('Description').fill('first');
    await secretPane.getByRole('button', { name: 'Save' }).click();
    const created = page.getByRole('dialog', { name: 'Client Successfully Created' });
    const clientId = await created.getByRole('textbox', { name: 'Client Id' }).inputValue();
    await copyThenClose(created, 'Copy Client Secret');
    await expect(created).toBeHidden();

    await page.goto(`/security/clients/${clientId}`);
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
    await audit(page, view, 'client details');

    await page.getByRole('button', { name: 'Edit Client' }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Client' });
    await expect(edit.getByLabel('Name', { exact: true })).toHaveValue(name);
    await audit(page, view, 'Edit Client pane');
    await edit.getByLabel('Name', { exact: true }).fill('');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit.getByText('Enter a name.')).toBeVisible();
    await audit(page, view, 'Edit Client pane: field errors');
    await edit.getByRole('tab', { name: /Community Roles/ }).click();
    await audit(page, view, 'Edit Client pane: Community Roles tab');
    await page.keyboard.press('Escape');
    const discard = page.getByRole('alertdialog').filter({ hasText: /Discard/ });
    await expect(discard).toBeVisible();
    await audit(page, view, 'Edit Client: discard confirmation');
    await discard.getByRole('button', { name: 'Discard' }).click();
    await expect(edit).toBeHidden();

    await page.getByRole('button', { name: 'Disable Client' }).click();
    const disable = page.getByRole('alertdialog', { name: `Disable client “${name}”?` });
    await expect(disable).toBeVisible();
    await audit(page, view, 'disable client confirmation');
    await disable.getByRole('button', { name: 'Disable Client' }).click();
    await expect(page.getByTestId('client-status')).toHaveText('Disabled');
    await audit(page, view, 'client details: disabled');

    await page.getByRole('tab', { name: /Secrets/ }).click();
    await expect(page).toHaveURL(/tab=secrets/);
    await expect(page.getByRole('table', { name: 'Secrets' })).toBeVisible();
    await audit(page, view, 'secrets tab');

    await page.getByRole('button', { name: 'Add Secret' }).click();
    const addSecret = page.getByRole('dialog', { name: 'Add Secret' });
    await expect(addSecret.getByLabel('Description')).toBeVisible();
    await audit(page, view, 'Add Secret pane');
    await addSecret.getByLabel('Description').fill('second');
    await addSecret.getByRole('button', { name: 'Save' }).click();
    const secretCreated = page.getByRole('dialog', { name: 'Secret Successfully Created' });
    await expect(secretCreated.getByRole('textbox', { name: 'Client Secret' })).toBeVisible();
    await audit(page, view, 'Secret Successfully Created dialog');
    await copyThenClose(secretCreated, 'Copy Client Secret');
    await expect(secretCreated).toBeHidden();

    const secretRow = page.getByRole('table', { name: 'Secrets' }).getByRole('row').filter({ hasText: 'first' });
    await secretRow.getByRole('button', { name: /Edit Secret/ }).click();
    const editSecret = page.getByRole('dialog', { name: 'Edit Secret' });
    await expect(editSecret.getByLabel('Description')).toHaveValue('first');
    await audit(page, view, 'Edit Secret dialog');
    await editSecret.getByLabel('Expiration Date').fill(localInput(-2));
    await editSecret.getByRole('button', { name: 'Save' }).click();
    await expect(editSecret.getByText('The expiration date must be in the future.')).toBeVisible();
    await audit(page, view, 'Edit Secret dialog: field errors');
    await editSecret.getByLabel('Expiration Date').fill(localInput(10));
    await editSecret.getByRole('button', { name: 'Save' }).click();
    await expect(editSecret).toBeHidden();
    await expect(secretRow).toContainText('Expiring soon');
    await audit(page, view, 'secrets tab: expiring soon');

    await secretRow.getByRole('button', { name: /Remove Secret/ }).click();
    const removeSecret = page.getByRole('alertdialog', { name: 'Remove this secret?' });
    await expect(removeSecret).toBeVisible();
    await audit(page, view, 'remove secret confirmation');
    await removeSecret.getByRole('button', { name: 'Remove Secret' }).click();
    await expect(removeSecret).toBeHidden();
    await expect(secretRow).toHaveCount(0);

    await page.getByRole('button', { name: 'More Options' }).click();
    await expect(page.getByRole('menuitem', { name: 'Remove Client' })).toBeVisible();
    await audit(page, view, 'More Options menu');
    await page.getByRole('menuitem', { name: 'Remove Client' }).click();
    const removeClient = page.getByRole('alertdialog', { name: `Remove client “${name}”?` });
    await expect(removeClient).toBeVisible();
    await audit(page, view, 'remove client confirmation');
    await removeClient.getByRole('button', { name: 'Remove Client' }).click();
    await expect(page).toHaveURL(/\/security\/clients$/);

    await page.goto(`/security/clients/${clientId}`);
    await expect(page.getByRole('heading', { name: 'Client not found' })).toBeVisible();
    await audit(page, view, 'client not found');
  });

  test('Authorization Code and Hybrid clients: Add Client panes, details, Edit Sign-In Settings, the sign-in and error pages', async ({ page, browser }) => {
    test.slow(); // one axe run per state, each a second or more on a busy machine
    await page.goto('/security/clients?type=authorization_code');
    await expect(page.getByLabel('Client Type')).toHaveText('Authorization Code Client');
    await audit(page, view, 'clients list: Authorization Code Client');
    await page.getByRole('button', { name: 'Add Client' }).click();
    const pane = page.getByRole('dialog', { name: 'Add Client' });
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane.getByText('Enter at least one Redirect URL.')).toBeVisible();
    await audit(page, view, 'add Authorization Code client: field errors');
    const name = unique('A11y App');
    await pane.getByLabel('Name', { exact: true }).fill(name);
    await pane.getByLabel('Redirect URLs', { exact: true }).fill('https://a11y.example.com/callback');
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
    await audit(page, view, 'Authorization Code client: details with Sign-In Settings');
    await page.getByRole('button', { name: 'Edit Sign-In Settings' }).click();
    await expect(page.getByRole('dialog', { name: 'Edit Sign-In Settings' })).toBeVisible();
    await audit(page, view, 'Edit Sign-In Settings pane');
    const clientId = (await page.locator('#details-client-id').textContent())!.trim();

    await page.goto('/security/clients?type=hybrid&add=client');
    const hybridPane = page.getByRole('dialog', { name: 'Add Client' });
    await hybridPane.getByLabel('Name', { exact: true }).fill(unique('A11y Portal'));
    await hybridPane.getByLabel('Redirect URLs', { exact: true }).fill('https://portal.example.com/cb');
    await audit(page, view, 'add Hybrid client: first pane');
    await hybridPane.getByRole('button', { name: 'Next' }).click();
    await expect(page.getByRole('dialog', { name: 'Create Secret' })).toBeVisible();
    await audit(page, view, 'add Hybrid client: Create Secret');

    // Signed out: the sign-in page naming the application, and the authorize error page.
    const context = await browser.newContext({ ...VIEW_OPTIONS[view.name], storageState: { cookies: [], origins: [] } });
    const visitor = await context.newPage();
    const authorize = new URLSearchParams({
      client_id: clientId,
      redirect_uri: 'https://a11y.example.com/callback',
      response_type: 'code',
      code_challenge: 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM',
      code_challenge_method: 'S256',
    });
    await visitor.goto(`/identity/connect/authorize?${authorize}`);
    await expect(visitor.getByText(`to continue to ${name}`)).toBeVisible();
    await audit(visitor, view, 'sign-in naming the application');
    await visitor.goto(`/identity/connect/authorize?client_id=${clientId}&redirect_uri=https%3A%2F%2Fevil.example%2F`);
    await expect(visitor.getByRole('heading', { name: 'The application sent an invalid request' })).toBeVisible();
    await audit(visitor, view, 'authorize error page');
    await context.close();
  });

  test('roles: the page, Add Role, Edit Role, the remove confirmation', async ({ page }) => {
    test.slow(); // one axe run per state, each a second or more on a busy machine
    const name = unique('A11y role');
    await page.goto('/security/roles');
    await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();
    await audit(page, view, 'roles');
    await page.getByRole('button', { name: 'Add Role' }).click();
    const pane = page.getByRole('dialog', { name: 'Add Role' });
    await expect(pane.getByLabel('Name')).toBeVisible();
    await audit(page, view, 'Add Role pane');
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane.getByText('Enter a name.')).toBeVisible();
    await audit(page, view, 'Add Role pane: field errors');
    await pane.getByLabel('Name').fill(name);
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: `Role "${name}" added.` })).toBeVisible();
    await audit(page, view, 'roles: role added');

    await page.getByRole('button', { name: `Edit ${name}` }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Role' });
    await expect(edit.getByLabel('Name')).toHaveValue(name);
    await audit(page, view, 'Edit Role pane');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await expect(edit).toBeHidden();

    await page.getByRole('button', { name: `Remove ${name}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Remove role "${name}"?` });
    await expect(confirm).toBeVisible();
    await audit(page, view, 'remove role confirmation');
    await confirm.getByRole('button', { name: 'Remove Role' }).click();
    await expect(confirm).toBeHidden();
  });

  test('communities: the page, Add Community, the remove confirmation', async ({ page }) => {
    test.slow(); // one axe run per state, each a second or more on a busy machine
    const name = unique('A11y community');
    await page.goto('/security/communities');
    await expect(page.getByRole('heading', { name: 'Communities', level: 1 })).toBeVisible();
    await audit(page, view, 'communities');
    await page.getByRole('button', { name: 'Add Community' }).click();
    const pane = page.getByRole('dialog', { name: 'Add Community' });
    await expect(pane.getByLabel('Name')).toBeVisible();
    await audit(page, view, 'Add Community pane');
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane.getByText('Enter a name.')).toBeVisible();
    await audit(page, view, 'Add Community pane: field errors');
    await pane.getByLabel('Name').fill(name);
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane).toBeHidden();
    await expect(page.getByRole('row').filter({ hasText: name })).toBeVisible();
    await audit(page, view, 'communities: community added');

    await page.getByRole('button', { name: `Remove ${name}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Remove community "${name}"?` });
    await expect(confirm).toBeVisible();
    await audit(page, view, 'remove community confirmation');
    await confirm.getByRole('button', { name: 'Remove Community' }).click();
    await expect(confirm).toBeHidden();
  });

  test('users: the page, Invite User, the invited dialog, Edit Roles, the remove confirmation', async ({ page }) => {
    test.slow(); // one axe run per state, each a second or more on a busy machine
    const email = `a11y-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}@example.com`;
    await page.goto('/security/users');
    await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
    await audit(page, view, 'users');
    await page.getByRole('button', { name: 'Invite User' }).click();
    const pane = page.getByRole('dialog', { name: 'Invite User' });
    await expect(pane.getByLabel('Email')).toBeVisible();
    await audit(page, view, 'Invite User pane');
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane.getByText('Enter an email.')).toBeVisible();
    await audit(page, view, 'Invite User pane: field errors');
    await pane.getByLabel('Email').fill(email);
    await pane.getByLabel('Name').fill('Ally Auditor');
    await pane.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'User Successfully Invited' });
    await expect(dialog.getByRole('textbox', { name: 'Initial Password' })).toBeVisible();
    await audit(page, view, 'User Successfully Invited dialog');
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    const closeConfirm = page.getByRole('alertdialog', { name: 'Close without copying the password?' });
    await expect(closeConfirm).toBeVisible();
    await audit(page, view, 'User Successfully Invited: close confirmation');
    await closeConfirm.getByRole('button', { name: 'Close without copying' }).click();
    await expect(dialog).toBeHidden();

    await page.getByRole('button', { name: `Edit Roles of ${email}` }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Roles' });
    await expect(edit.getByRole('checkbox', { name: 'Tenant Member' })).toBeDisabled();
    await audit(page, view, 'Edit Roles pane');
    await edit.getByRole('button', { name: 'Cancel' }).click();
    await expect(edit).toBeHidden();

    await page.getByRole('button', { name: `Remove ${email}` }).click();
    const remove = page.getByRole('alertdialog', { name: `Remove user ${email}?` });
    await expect(remove).toBeVisible();
    await audit(page, view, 'remove user confirmation');
    await remove.getByRole('button', { name: 'Remove User' }).click();
    await expect(remove).toBeHidden();
  });

  test('audit log, API reference and account', async ({ page }) => {
    test.slow(); // one axe run per state; the API reference is a long page
    await page.goto('/security/audit-log');
    await expect(page.getByRole('heading', { name: 'Audit Log', level: 1 })).toBeVisible();
    await audit(page, view, 'audit log');
    await page.goto(`/security/audit-log?client=${encodeURIComponent(unique('nothing'))}`);
    await expect(page.getByText(/^No audit events/)).toBeVisible();
    await audit(page, view, 'audit log: no match');

    await page.goto('/api-docs');
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await audit(page, view, 'API reference');
    // One operation opened (its parameter, body and response tables and the curl example) and, through a schema
    // link, one schema's fields: the same components render every other operation and schema.
    const add = page.getByRole('region', { name: 'Add a client' });
    await add.getByText('Request, responses and curl example').click();
    await add.getByRole('link', { name: 'ClientCredentialClientCreateResponse' }).first().click();
    await expect(page.getByRole('table', { name: 'Fields of ClientCredentialClientCreateResponse' })).toBeVisible();
    await audit(page, view, 'API reference: an operation and a schema open');

    await page.goto('/account');
    await expect(page.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
    await audit(page, view, 'account');

    await page.goto('/security/no-such-page');
    await expect(page.getByRole('heading', { name: 'Page not found', level: 1 })).toBeVisible();
    await audit(page, view, 'page not found');
  });

  test('secretless clients: Keys tab, Add Key pane and its errors, the remove confirmation, Settings, Add Client with a key', async ({ page }) => {
    test.slow();
    const { generateKeyPairSync } = await import('node:crypto');
    const pem = () => generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const name = unique('A11y keys');
    await page.goto('/security/clients?add=client');
    await page.getByRole('dialog', { name: 'Add Client' }).getByLabel('Name', { exact: true }).fill(name);
    await page.getByRole('button', { name: 'Next' }).click();
    const step = page.getByRole('dialog', { name: 'Create Secret' });
    await step.getByRole('radio', { name: /Public Key/ }).check();
    await audit(page, view, 'Create Secret pane: Public Key');
    await step.getByRole('button', { name: 'Save' }).click();
    await expect(step.getByText('Paste the public key.')).toBeVisible();
    await audit(page, view, 'Create Secret pane: Public Key field error');
    await step.getByRole('textbox', { name: 'Public Key' }).fill(pem());
    await step.getByRole('button', { name: 'Save' }).click();
    const created = page.getByRole('dialog', { name: 'Client Successfully Created' });
    const clientId = await created.getByRole('textbox', { name: 'Client Id' }).inputValue();
    await audit(page, view, 'Client Successfully Created: Client Id only');
    await created.getByRole('button', { name: 'Close', exact: true }).click();

    await page.goto(`/security/clients/${clientId}?tab=keys`);
    await expect(page.getByRole('table', { name: 'Keys' })).toBeVisible();
    await audit(page, view, 'keys tab');
    await page.getByRole('button', { name: 'Add Key' }).click();
    const pane = page.getByRole('dialog', { name: 'Add Key' });
    await pane.getByRole('textbox', { name: 'Public Key' }).fill('-----BEGIN PRIVATE KEY-----\nMIG\n-----END PRIVATE KEY-----');
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane.getByText(/This is a private key/)).toBeVisible();
    await audit(page, view, 'Add Key pane: private key refused');
    await pane.getByRole('radio', { name: /JWKS URL/ }).check();
    await audit(page, view, 'Add Key pane: JWKS URL');
    await pane.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('alertdialog', { name: 'Discard this key?' }).getByRole('button', { name: 'Discard' }).click();
    await page.getByRole('table', { name: 'Keys' }).getByRole('button', { name: /^Remove Key/ }).click();
    await expect(page.getByRole('alertdialog', { name: 'Remove this key?' })).toBeVisible();
    await audit(page, view, 'remove key confirmation');

    await page.goto('/security/settings');
    await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
    await audit(page, view, 'settings');
    await page.getByRole('radio', { name: 'Limit secrets to a number of days' }).check();
    await page.getByLabel('Maximum Lifetime (days)').fill('abc');
    await page.getByRole('form', { name: 'Credential Policy' }).getByRole('button', { name: 'Save' }).click();
    await expect(page.getByText('Enter a whole number of days from 1 to 3650, or choose No limit.')).toBeVisible();
    await audit(page, view, 'settings: field error');
  });
  });
}

test('the audit reports what it should: a planted image without alt text and a nameless button', async ({ page }) => {
  await page.goto('/overview');
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  expect(await runAxe(page)).toEqual([]);
  await page.evaluate(() => {
    const main = document.querySelector('main') ?? document.body;
    main.insertAdjacentHTML('beforeend', '<img src="/icon.svg" id="planted-img"><button id="planted-button"></button>');
  });
  const found = (await runAxe(page)).map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(found).toEqual(expect.arrayContaining(['image-alt: #planted-img', 'button-name: #planted-button']));
});
