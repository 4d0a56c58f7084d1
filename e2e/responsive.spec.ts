import { expect, test, type Browser, type Page } from '@playwright/test';
import { ADMIN_STATE } from '../playwright.config';
import { addClientViaUi, unique } from './clients-helpers';
import { MEMBER_EMAIL, SCREENSHOTS, signIn } from './helpers';
import { axeViolations, expectWithinWidth, horizontalOverflow, PHONE, recordProblems, smallTargets, VARIANTS, type Variant } from './ui-checks';

/**
 * A walk through every console page at 1440 x 900 and 390 x 844, in the light and the dark theme (the system
 * setting): no console error and no failed request (the favicon included), a screenshot of each page, and at phone
 * width no sideways scrolling of the document, targets of at least 24 x 24 px and the page's main action in view.
 * axe runs on every page in the dark desktop and light phone views here; e2e/a11y.spec.ts audits every state in
 * the light desktop and dark phone views.
 */

type Stop = {
  name: string;
  path: (ids: { clientId: string }) => string;
  heading: string | RegExp;
  /** The page's main action, found by role and name. */
  main?: { role: 'button' | 'link' | 'searchbox' | 'combobox'; name: string };
  /** Status of the page itself when it is not 200 (the 404 and 403 pages). */
  status?: number;
};

/** The stops that show one client: they share a client made for them. */
const CLIENT_STOPS = ['client-details', 'client-secrets', 'client-keys', 'client-federated', 'client-usage'];

const ADMIN_STOPS: Stop[] = [
  { name: 'overview', path: () => '/overview', heading: 'Overview' },
  { name: 'clients', path: () => '/security/clients', heading: 'Clients', main: { role: 'button', name: 'Add Client' } },
  { name: 'clients-search-empty', path: () => `/security/clients?q=${encodeURIComponent('zz-no-such-client-zz')}`, heading: 'Clients', main: { role: 'link', name: 'Show all Client-Credentials Clients' } },
  { name: 'client-details', path: ({ clientId }) => `/security/clients/${clientId}`, heading: /^Walk /, main: { role: 'button', name: 'Edit Client' } },
  { name: 'client-secrets', path: ({ clientId }) => `/security/clients/${clientId}?tab=secrets`, heading: /^Walk /, main: { role: 'button', name: 'Add Secret' } },
  { name: 'client-keys', path: ({ clientId }) => `/security/clients/${clientId}?tab=keys`, heading: /^Walk /, main: { role: 'button', name: 'Add Key' } },
  { name: 'client-federated', path: ({ clientId }) => `/security/clients/${clientId}?tab=federated`, heading: /^Walk /, main: { role: 'button', name: 'Add Federated Credential' } },
  { name: 'client-usage', path: ({ clientId }) => `/security/clients/${clientId}?tab=usage`, heading: /^Walk /, main: { role: 'button', name: '30 days' } },
  { name: 'roles', path: () => '/security/roles', heading: 'Roles', main: { role: 'button', name: 'Add Role' } },
  { name: 'apis', path: () => '/security/apis', heading: 'APIs', main: { role: 'button', name: 'Add API' } },
  { name: 'communities', path: () => '/security/communities', heading: 'Communities', main: { role: 'button', name: 'Add Community' } },
  { name: 'users', path: () => '/security/users', heading: 'Users', main: { role: 'button', name: 'Invite User' } },
  { name: 'audit-log', path: () => '/security/audit-log', heading: 'Audit Log', main: { role: 'searchbox', name: 'Client' } },
  { name: 'notifications', path: () => '/security/notifications', heading: 'Notifications', main: { role: 'button', name: 'Add Channel' } },
  { name: 'device', path: () => '/device', heading: 'Connect a device', main: { role: 'button', name: 'Continue' } },
  { name: 'settings', path: () => '/security/settings', heading: 'Settings', main: { role: 'button', name: 'Save' } },
  { name: 'api-reference', path: () => '/api-docs', heading: 'API Reference' },
  { name: 'account', path: () => '/account', heading: 'Your account' },
  { name: 'account-security', path: () => '/account/security', heading: 'Multi-factor authentication', main: { role: 'button', name: 'Set up authenticator app' } },
  { name: 'not-found', path: () => '/security/no-such-page', heading: 'Page not found', main: { role: 'link', name: 'Go to Clients' }, status: 404 },
];

// Each view's walk is independent: the two workers share them (each worker makes its own client to walk through).
test.describe.configure({ mode: 'parallel' });

async function checkStop(page: Page, variant: Variant, stop: Stop, opts: { axe: boolean; clientId?: string }) {
  const problems = recordProblems(page);
  const response = await page.goto(stop.path({ clientId: opts.clientId ?? '' }));
  expect(response?.status(), `${stop.name}: status`).toBe(stop.status ?? 200);
  await expect(page.getByRole('heading', { name: stop.heading, level: 1 })).toBeVisible();
  // The page's icons (the favicon included) are there: a headless browser does not ask for them by itself.
  const icons = await page.locator('link[rel~="icon"]').evaluateAll((links) => links.map((l) => (l as HTMLLinkElement).href));
  expect(icons.length, `${stop.name}: icon links`).toBeGreaterThan(0);
  for (const href of [...icons, '/favicon.ico']) expect((await page.request.get(href)).status(), href).toBe(200);
  const phone = variant.viewport.width < 768;
  if (stop.main) await expectWithinWidth(page, page.getByRole(stop.main.role, { name: stop.main.name, exact: true }).first(), `${stop.name}: ${stop.main.name}`);
  // A tab list wider than a phone scrolls: the selected tab is scrolled into view (once hydrated), not left off-screen.
  const selectedTab = page.getByRole('tab', { selected: true });
  if ((await selectedTab.count()) > 0) await expect(async () => expectWithinWidth(page, selectedTab.first(), `${stop.name}: the selected tab`)).toPass({ timeout: 5_000 });
  if (phone) {
    const { scrollWidth, innerWidth } = await horizontalOverflow(page);
    expect.soft(scrollWidth, `${stop.name}: the document does not scroll sideways`).toBeLessThanOrEqual(innerWidth);
    expect.soft(await smallTargets(page), `${stop.name}: targets of at least 24 x 24 px`).toEqual([]);
  }
  if (opts.axe) expect.soft(await axeViolations(page), `${stop.name}: axe`).toEqual([]);
  if (SCREENSHOTS) await page.screenshot({ path: `e2e/screenshots/walk-${variant.name}-${stop.name}.png`, fullPage: true });
  const expected = stop.status ? [`${stop.status} GET ${new URL(page.url()).pathname}`, `status of ${stop.status}`] : [];
  expect.soft(problems.filter((p) => !expected.some((e) => p.includes(e))), `${stop.name}: console errors and failed requests`).toEqual([]);
}

async function signedIn(browser: Browser, variant: Variant, email: string) {
  const context = await browser.newContext({ viewport: variant.viewport, colorScheme: variant.colorScheme, storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await signIn(page, email);
  await expect(page.getByTestId('signed-in-user')).toContainText(email);
  return { context, page };
}

for (const variant of VARIANTS) {
  test.describe(variant.name, () => {
    test.use({ viewport: variant.viewport, colorScheme: variant.colorScheme });
    // axe here on the two views e2e/a11y.spec.ts does not cover.
    const axe = variant.name === 'desktop-dark' || variant.name === 'phone-light';
    // axe on a long page (the API reference) takes a while on a busy machine.
    test.slow(axe, 'axe on every page');

    // One test per page (a client's three pages in one, with a client of its own): short tests the two workers
    // share, and a failure names its page.
    for (const stop of ADMIN_STOPS.filter((s) => !CLIENT_STOPS.includes(s.name))) {
      test(`walk: ${stop.name} (${variant.name})`, async ({ page }) => {
        await checkStop(page, variant, stop, { axe });
      });
    }
    test(`walk: a client's details, secrets, keys, federated credentials and usage (${variant.name})`, async ({ page, browser }) => {
      const desktop = await browser.newContext({ storageState: ADMIN_STATE, viewport: { width: 1440, height: 900 } });
      const { clientId } = await addClientViaUi(await desktop.newPage(), { name: unique('Walk') });
      await desktop.close();
      for (const stop of ADMIN_STOPS.filter((s) => CLIENT_STOPS.includes(s.name))) await checkStop(page, variant, stop, { axe, clientId });
    });

    // Signed out: the sign-in page. A Tenant Member: the 403 page.
    test(`walk: sign-in (${variant.name})`, async ({ browser }) => {
      const visitor = await browser.newContext({ viewport: variant.viewport, colorScheme: variant.colorScheme, storageState: { cookies: [], origins: [] } });
      const signInPage = await visitor.newPage();
      await checkStop(signInPage, variant, { name: 'sign-in', path: () => '/sign-in', heading: 'Sign in', main: { role: 'button', name: 'Sign in' } }, { axe });
      await visitor.close();
    });
    test(`walk: forbidden (${variant.name})`, async ({ browser }) => {
      const member = await signedIn(browser, variant, MEMBER_EMAIL);
      await checkStop(member.page, variant, { name: 'forbidden', path: () => '/security/clients', heading: 'Tenant Administrator role required', status: 403 }, { axe });
      await member.context.close();
    });
  });
}

test('while the next page loads, its frame (skeleton rows) stands in for the old page', async ({ page }) => {
  await page.goto('/security/clients');
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  // Hold the Roles page's answer until the loading state has been seen.
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  await page.route(
    (url) => url.pathname === '/security/roles',
    async (route) => {
      await gate;
      await route.continue();
    },
  );
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Roles' }).click();
  const loading = page.getByRole('region', { name: 'Loading page' });
  await expect(loading).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeHidden();
  if (SCREENSHOTS) await page.screenshot({ path: 'e2e/screenshots/loading-skeleton.png' });
  release();
  await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();
  await expect(loading).toBeHidden();
});

test.describe('phone', () => {
  test.use({ ...PHONE });

  test('the navigation is a drawer: focus stays inside, Escape closes it, a link closes it', async ({ page }) => {
    await page.goto('/security/clients');
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
    const menu = page.getByRole('button', { name: 'Open navigation' });
    await menu.tap();
    const drawer = page.getByRole('dialog', { name: 'Security Console' });
    await expect(drawer.getByRole('navigation', { name: 'Main' })).toBeVisible();
    await expect(drawer.getByRole('link', { name: 'Clients' })).toHaveAttribute('aria-current', 'page');
    for (let i = 0; i < 12; i++) await page.keyboard.press('Tab');
    expect(await drawer.evaluate((d) => d.contains(document.activeElement))).toBe(true);
    if (SCREENSHOTS) await page.screenshot({ path: 'e2e/screenshots/phone-navigation-drawer.png' });
    await page.keyboard.press('Escape');
    await expect(drawer).toBeHidden();
    await expect(menu).toBeFocused();

    await menu.tap();
    await drawer.getByRole('link', { name: 'Roles' }).tap();
    await expect(page).toHaveURL(/\/security\/roles$/);
    await expect(drawer).toBeHidden();
    await expect(page.getByRole('heading', { name: 'Roles', level: 1 })).toBeVisible();
  });

  test('the account menu: who, the tenant, the theme, Your account and Sign out on one line of the header', async ({ page }) => {
    await page.goto('/security/clients');
    const trigger = page.getByRole('button', { name: /account menu/ });
    const box = await trigger.boundingBox();
    expect(box!.height).toBeLessThanOrEqual(44);
    await trigger.tap();
    await expect(page.getByTestId('signed-in-user')).toBeVisible();
    await expect(page.getByTestId('signed-in-user')).toContainText('Tenant');
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
    await expect(page.getByRole('link', { name: 'Your account' })).toBeVisible();
    if (SCREENSHOTS) await page.screenshot({ path: 'e2e/screenshots/phone-account-menu.png' });

    // Dark, chosen here, is on the next page load before any script runs (a cookie the server reads).
    await page.getByRole('button', { name: 'Dark', exact: true }).tap();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    await expect(page.getByRole('button', { name: 'Dark', exact: true })).toHaveAttribute('aria-pressed', 'true');
    const response = await page.request.get('/security/clients');
    expect(await response.text()).toMatch(/<html[^>]* data-theme="dark"/);
    await page.reload();
    await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).not.toBe('rgb(248, 250, 252)');

    await page.getByRole('button', { name: /account menu/ }).tap();
    await page.getByRole('button', { name: 'System', exact: true }).tap();
    await expect(page.locator('html')).not.toHaveAttribute('data-theme', /./);
    await page.keyboard.press('Escape');
    await expect(page.getByRole('button', { name: 'Sign out' })).toBeHidden();
  });

  test('the seed procedure with touch at 390 px: Add Client, Next, Save, Client Successfully Created, Copy, Close', async ({ page }) => {
    const name = unique('Phone');
    await page.goto('/security/clients');
    await page.getByRole('button', { name: 'Add Client' }).tap();
    const pane = page.getByRole('dialog', { name: 'Add Client' });
    await expect(pane).toBeVisible();
    // The pane is a full-screen sheet.
    const paneBox = await pane.boundingBox();
    expect(paneBox!.x).toBe(0);
    expect(paneBox!.width).toBe(390);
    expect(await smallTargets(page, '[role=dialog]')).toEqual([]);
    await pane.getByLabel('Name', { exact: true }).fill(name);
    await pane.getByRole('checkbox', { name: 'Tenant Contributor' }).tap();
    await expect(pane.getByRole('checkbox', { name: 'Tenant Contributor' })).toBeChecked();
    if (SCREENSHOTS) await page.screenshot({ path: 'e2e/screenshots/phone-add-client.png' });
    await pane.getByRole('button', { name: 'Next' }).tap();

    const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
    await secretPane.getByLabel('Description').fill('from a phone');
    if (SCREENSHOTS) await page.screenshot({ path: 'e2e/screenshots/phone-create-secret.png' });
    await secretPane.getByRole('button', { name: 'Save' }).tap();

    const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
    await expect(dialog).toBeVisible();
    const dialogBox = await dialog.boundingBox();
    expect(dialogBox!.x).toBeGreaterThanOrEqual(0);
    expect(dialogBox!.x + dialogBox!.width).toBeLessThanOrEqual(390);
    expect(await smallTargets(page, '[role=dialog]')).toEqual([]);
    const copy = dialog.getByRole('button', { name: 'Copy Client Secret' });
    const before = await copy.boundingBox();
    await copy.tap();
    await expect(copy).toHaveText('Copied');
    // The button keeps its width when its label changes.
    expect((await copy.boundingBox())!.width).toBe(before!.width);
    if (SCREENSHOTS) await page.screenshot({ path: 'e2e/screenshots/phone-client-created.png' });
    await dialog.getByRole('button', { name: 'Close', exact: true }).tap();
    await expect(dialog).toBeHidden();
    const { scrollWidth, innerWidth } = await horizontalOverflow(page);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
    await expect(page.getByRole('table', { name: 'Clients' }).getByRole('link', { name })).toBeVisible();
  });

  test('Disable Client and Remove Secret with touch at 390 px', async ({ page }) => {
    const { name, clientId: id } = await addClientViaUi(page, { name: unique('Phone disable') });
    await page.goto(`/security/clients/${id}`);
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
    await page.getByRole('button', { name: 'Disable Client' }).tap();
    const disable = page.getByRole('alertdialog', { name: `Disable client “${name}”?` });
    await expect(disable).toBeVisible();
    expect(await smallTargets(page, '[role=alertdialog]')).toEqual([]);
    await disable.getByRole('button', { name: 'Disable Client' }).tap();
    await expect(page.getByTestId('client-status')).toHaveText('Disabled');

    await page.getByRole('tab', { name: /Secrets/ }).tap();
    const table = page.getByRole('table', { name: 'Secrets' });
    await expect(table).toBeVisible();
    const row = table.getByRole('row').filter({ hasText: 'first secret' });
    await row.getByRole('button', { name: /Remove Secret/ }).tap();
    const confirm = page.getByRole('alertdialog', { name: 'Remove this secret?' });
    await confirm.getByRole('button', { name: 'Remove Secret' }).tap();
    await expect(confirm).toBeHidden();
    await expect(row).toHaveCount(0);
    const { scrollWidth, innerWidth } = await horizontalOverflow(page);
    expect(scrollWidth).toBeLessThanOrEqual(innerWidth);
  });
});
