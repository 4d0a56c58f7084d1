import { expect, test } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { shot } from './helpers';
import { axeViolations, expectWithinWidth, PHONE } from './ui-checks';

/** The console's own origin: the API takes a signed-in administrator's session only from it. */
const SAME_ORIGIN = { Origin: baseURL };

test('the Usage tab shows 50 tokens issued and 5 failures with their reason, as a chart and numbers', async ({ page }) => {
  const session = (await (await page.request.get('/api/auth/session')).json()) as { user: { tenantId: string } };
  const created = await page.request.post(`/api/v1/Tenants/${session.user.tenantId}/ClientCredentialClients`, {
    data: { Name: `Usage ${Date.now().toString(36)}` },
    headers: SAME_ORIGIN,
  });
  expect(created.status()).toBe(201);
  const { Id: clientId, ClientSecret: secret } = (await created.json()) as { Id: string; ClientSecret: string };
  for (let i = 0; i < 50; i++) {
    const res = await page.request.post('/identity/connect/token', { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret } });
    expect(res.status()).toBe(200);
  }
  for (let i = 0; i < 5; i++) {
    const res = await page.request.post('/identity/connect/token', { form: { grant_type: 'client_credentials', client_id: clientId, client_secret: 'not-a-secret' } });
    expect(res.status()).toBe(401);
  }

  // Counts are written every few seconds, so one flush may hold the 50 tokens and only some of the failures: open the
  // tab until a flush has written them all.
  await expect(async () => {
    await page.goto(`/security/clients/${clientId}?tab=usage`);
    await expect(page.getByTestId('usage-tokens-issued')).toHaveText('50', { timeout: 2000 });
    await expect(page.getByTestId('usage-failed-authentications')).toHaveText('5', { timeout: 2000 });
  }).toPass({ timeout: 30_000 });
  await expect(page.getByRole('tab', { name: 'Usage' })).toHaveAttribute('aria-selected', 'true');
  await expect(page.getByTestId('usage-failed-authentications')).toHaveText('5');
  await expect(page.getByTestId('usage-source-addresses')).toHaveText('1');
  const reasons = page.getByRole('table', { name: 'Top failure reasons' });
  await expect(reasons.getByRole('row').filter({ hasText: 'Malformed secret or client id' })).toContainText('5');
  await expect(page.getByTestId('usage-chart').locator('canvas')).toBeVisible();

  await page.getByRole('button', { name: '30 days' }).click();
  await expect(page.getByRole('button', { name: '30 days' })).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('usage-tokens-issued')).toHaveText('50');
  await page.getByRole('button', { name: '24 hours' }).click();
  await expect(page.getByTestId('usage-failed-authentications')).toHaveText('5');
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'client-usage');
  await page.setViewportSize(PHONE.viewport);
  await expect(page.getByTestId('usage-chart').locator('canvas')).toBeVisible();
  // The window got narrower than the tab list: the selected tab is scrolled back into view.
  await expect(async () => expectWithinWidth(page, page.getByRole('tab', { name: 'Usage' }), 'the selected tab')).toPass({ timeout: 5_000 });
  expect(await axeViolations(page)).toEqual([]);
  await shot(page, 'client-usage-phone');
  // The chart's key names the two series; values are in the totals and the table, not "--" until hovered.
  await expect(page.getByTestId('usage-chart')).toContainText('Tokens issued');
  await expect(page.getByTestId('usage-chart')).not.toContainText('--');

  // The chart is drawn in the theme's colours: choosing Dark in the account menu draws it again, without a reload.
  const drawn = await page.getByTestId('usage-chart').locator('canvas').elementHandle();
  await page.getByRole('button', { name: /account menu/ }).click();
  await page.getByRole('button', { name: 'Dark', exact: true }).click();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(() => drawn!.evaluate((canvas) => canvas.isConnected)).toBe(false);
  await expect(page.getByTestId('usage-chart').locator('canvas')).toBeVisible();
  await page.keyboard.press('Escape');
  await shot(page, 'client-usage-phone-dark');
});
