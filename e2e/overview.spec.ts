import { expect, test, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { unique } from './clients-helpers';
import { hydrated, OTHER_ADMIN_EMAIL, shot, signIn } from './helpers';
import { axeViolations, PHONE } from './ui-checks';

/** The console's own origin: the API takes a signed-in administrator's session only from it. */
const SAME_ORIGIN = { Origin: baseURL };
/** scripts/e2e-server.ts seeds these into the default tenant, created 200 days ago; the second one's secret was used at seed time. */
const SEEDED_UNUSED_CLIENT = 'Dormant since spring (seed)';
const SEEDED_USED_CLIENT = 'Veteran still in use (seed)';

/** A client-credentials client through the REST API (as the signed-in administrator) with a secret expiring in `days`. */
async function createClient(page: Page, name: string, description: string, days: number) {
  const session = (await (await page.request.get('/api/auth/session')).json()) as { user: { tenantId: string } };
  const created = await page.request.post(`/api/v1/Tenants/${session.user.tenantId}/ClientCredentialClients`, {
    data: { Name: name, SecretDescription: description, SecretExpirationDate: new Date(Date.now() + days * 86_400_000).toISOString() },
    headers: SAME_ORIGIN,
  });
  expect(created.status()).toBe(201);
  const { Id: clientId, ClientSecret: secret } = (await created.json()) as { Id: string; ClientSecret: string };
  return { clientId, secret };
}

const token = (page: Page, clientId: string, secret: string) =>
  page.request.post('/identity/connect/token', { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret } });

/** The text of a row's cell under the column headed `header`. */
async function cellUnder(page: Page, table: ReturnType<Page['getByRole']>, rowName: string, header: string) {
  const headers = await table.getByRole('columnheader').allTextContents();
  const index = headers.indexOf(header);
  expect(index, `column ${header}`).toBeGreaterThanOrEqual(0);
  return table.getByRole('row').filter({ has: page.getByRole('link', { name: rowName, exact: true }) }).getByRole('cell').nth(index);
}

test('Overview: tokens of the last 24 hours, a secret expiring in 6 days and unused clients, each linking to its client; the list counts the tokens', async ({ page }) => {
  const name = unique('Overview expiring');
  const description = unique('rotate before Friday');
  const { clientId, secret } = await createClient(page, name, description, 6);
  for (let i = 0; i < 3; i++) expect((await token(page, clientId, secret)).status()).toBe(200);

  // Counts are written every few seconds: open the list (searched by the client's name) until the flush has happened.
  const list = page.getByRole('table', { name: 'Clients' });
  await expect(async () => {
    await page.goto(`/security/clients?q=${encodeURIComponent(name)}`);
    await expect(await cellUnder(page, list, name, 'Tokens (7 days)')).toHaveText('3', { timeout: 2000 });
  }).toPass({ timeout: 30_000 });

  // After sign-in the console opens here; Overview is the navigation's first item.
  await page.goto('/');
  await expect(page).toHaveURL(/\/overview$/);
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link').first()).toHaveText('Overview');
  await expect(nav.getByRole('link', { name: 'Overview' })).toHaveAttribute('aria-current', 'page');

  // Other specs add tokens to this tenant at the same time: at least this client's three.
  const issued = Number((await page.getByTestId('overview-tokens-issued').textContent())!.replace(/,/g, ''));
  expect(issued).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('overview-failures')).toHaveText(/^[\d,]+$/);

  const expiring = page.getByRole('table', { name: 'Expiring secrets and keys' });
  const row = expiring.getByRole('row').filter({ hasText: description });
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Expiring soon');
  await expect(row).toContainText(secret.slice(0, 9)); // the display hint, never the secret
  await expect(row.getByRole('link', { name, exact: true })).toHaveAttribute('href', `/security/clients/${clientId}`);
  expect(await page.content()).not.toContain(secret);

  const unused = page.getByRole('table', { name: 'Unused clients' });
  await expect(unused.getByRole('link', { name: SEEDED_UNUSED_CLIENT })).toBeVisible();
  await expect(unused.getByRole('link', { name: SEEDED_USED_CLIENT })).toHaveCount(0);
  await expect(unused.getByRole('link', { name })).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Failure Spikes' })).toContainText('more than 20 failed authentications within 5 minutes');

  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'overview');
  await page.setViewportSize(PHONE.viewport);
  await expect(page.getByRole('heading', { name: 'Overview', level: 1 })).toBeVisible();
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'overview-phone');

  await row.getByRole('link', { name, exact: true }).click();
  await expect(page).toHaveURL(new RegExp(`/security/clients/${clientId}$`));
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
});

test('Clients list: "Unused for 90 days" shows the old unused client and not the used one, keeps the search, says when none', async ({ page }) => {
  await page.goto('/security/clients');
  await expect(page.getByRole('columnheader', { name: 'Tokens (7 days)' })).toBeVisible();
  const filter = page.getByRole('link', { name: /^Unused for 90 days/ });
  await expect(filter).toContainText('(filter off)');
  await filter.click();
  await expect(page).toHaveURL(/\/security\/clients\?unused=1$/);
  await expect(filter).toContainText('(filter on)');
  const list = page.getByRole('table', { name: 'Clients' });
  await expect(list.getByRole('link', { name: SEEDED_UNUSED_CLIENT })).toBeVisible();
  await expect(list.getByRole('link', { name: SEEDED_USED_CLIENT })).toHaveCount(0);
  await expect(await cellUnder(page, list, SEEDED_UNUSED_CLIENT, 'Tokens (7 days)')).toHaveText('0');
  await shot(page, 'clients-unused-filter');

  // The search keeps the filter: the used client is not unused.
  await page.getByRole('searchbox', { name: 'Search' }).fill('Veteran still in use');
  await page.getByRole('button', { name: 'Search', exact: true }).click();
  await expect(page).toHaveURL(/unused=1/);
  await expect(page).toHaveURL(/q=Veteran/);
  await expect(page.getByText('No clients unused for 90 days.')).toBeVisible();

  // Turned off, the search stays and the used client is listed.
  await filter.click();
  await expect(page).not.toHaveURL(/unused=1/);
  await expect(page).toHaveURL(/q=Veteran/);
  await expect(list.getByRole('link', { name: SEEDED_USED_CLIENT })).toBeVisible();

  // Authorization Code clients count no client-credentials usage: no column, no filter.
  await page.goto('/security/clients?type=authorization_code&unused=1');
  await expect(page.getByRole('link', { name: /^Unused for/ })).toHaveCount(0);
  await expect(page.getByRole('columnheader', { name: 'Tokens (7 days)' })).toHaveCount(0);
});

test('Overview: more failed authentications than the tenant\'s spike threshold show as a failure spike linking to the client', async ({ browser }) => {
  // The other tenant: its threshold is lowered here (the token endpoint throttles a client after 10 failures, below
  // the default 20), and no other spec reads that tenant's thresholds.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await signIn(page, OTHER_ADMIN_EMAIL);
  await expect(page).toHaveURL(/\/overview$/);

  const setThresholds = async (count: string, minutes: string) => {
    await page.goto('/security/notifications');
    const form = page.getByRole('form', { name: 'Thresholds' });
    await hydrated(form);
    await form.getByLabel('Failure Spike (failures)').fill(count);
    await form.getByLabel('Within (minutes)').fill(minutes);
    await expect(form.getByLabel('Failure Spike (failures)')).toHaveValue(count);
    await expect(form.getByLabel('Within (minutes)')).toHaveValue(minutes);
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
  };
  await setThresholds('3', '60');

  const name = unique('Overview spiky');
  const { clientId } = await createClient(page, name, 'spiky', 100);
  // 8 failures: more than 3 in one hour window even if the requests straddle the hour.
  for (let i = 0; i < 8; i++) expect((await token(page, clientId, 'not-a-secret')).status()).toBe(401);

  const spikes = page.getByRole('table', { name: 'Failure spikes' });
  await expect(async () => {
    await page.goto('/overview');
    await expect(spikes.getByRole('link', { name, exact: true })).toBeVisible({ timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole('region', { name: 'Failure Spikes' })).toContainText('more than 3 failed authentications within 60 minutes');
  await expect(spikes.getByRole('link', { name, exact: true })).toHaveAttribute('href', `/security/clients/${clientId}`);
  const failures = Number((await page.getByTestId('overview-failures').textContent())!.replace(/,/g, ''));
  expect(failures).toBeGreaterThanOrEqual(8);
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'overview-failure-spikes');

  await setThresholds('20', '5');
  await context.close();
});
