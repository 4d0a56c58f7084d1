import { expect, test } from '@playwright/test';
import { ADMIN_EMAIL, MEMBER_EMAIL, signIn } from './helpers';

/**
 * After sign-in the console only ever sends the browser back to itself (lib/auth/callback-url.ts): the callbackUrl is
 * parsed as a URL, as the browser would, and anything not on our origin falls back to the default page, never a 500.
 */
const VARIANTS = [
  '/\t/evil.example/phish',
  '/\n/evil.example/phish',
  '/\r\n/evil.example/phish',
  '/\\evil.example/phish',
  '/\t\\evil.example/phish',
  '//evil.example/phish',
  '/.//evil.example/phish',
  '/%2e//evil.example/phish',
  'https://evil.example/phish',
  'javascript:alert(document.domain)',
];

test.describe('signed in: /sign-in sends the browser straight back, only to us', () => {
  for (const value of VARIANTS) {
    test(`callbackUrl ${JSON.stringify(value)} stays on our origin`, async ({ request, baseURL }) => {
      const res = await request.get(`/sign-in?callbackUrl=${encodeURIComponent(value)}`, { maxRedirects: 0 });
      expect(res.status()).toBe(307);
      const location = res.headers()['location'];
      expect(new URL(location, baseURL).origin).toBe(new URL(baseURL!).origin);
      expect(location).toBe('/overview');
    });
  }

  test('a callbackUrl with line breaks or non-ASCII characters is a redirect, not a 500', async ({ request, baseURL }) => {
    for (const value of ['/security/roles\r\nSet-Cookie: x=1', '/security/roles?q=Zürich', '/security/roles\u2028', '/%E2%80%A8']) {
      const res = await request.get(`/sign-in?callbackUrl=${encodeURIComponent(value)}`, { maxRedirects: 0 });
      expect(res.status(), value).toBe(307);
      const location = res.headers()['location'];
      expect(new URL(location, baseURL).origin).toBe(new URL(baseURL!).origin);
      expect(res.headers()['set-cookie'] ?? '').not.toContain('x=1');
    }
  });

  test('Chromium lands on our own page for the tab variant', async ({ page, baseURL }) => {
    await page.goto('/sign-in?callbackUrl=%2F%09%2Fevil.example%2Fphish');
    await expect(page).toHaveURL(`${baseURL}/overview`);
  });
});

test.describe('signing in through the form', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  for (const value of ['/\t/evil.example/phish', '/\\evil.example/phish']) {
    test(`with callbackUrl ${JSON.stringify(value)} lands on our default page`, async ({ page, baseURL }) => {
      await page.goto(`/sign-in?callbackUrl=${encodeURIComponent(value)}`);
      await signIn(page, ADMIN_EMAIL);
      await expect(page).toHaveURL(`${baseURL}/overview`);
    });
  }

  test('a same-site callbackUrl is honoured', async ({ page, baseURL }) => {
    await page.goto('/sign-in?callbackUrl=%2Fsecurity%2Froles%3Fx%3D1');
    await signIn(page, ADMIN_EMAIL);
    await expect(page).toHaveURL(`${baseURL}/security/roles?x=1`);
  });
});

test.describe('the address a sign-in is counted and recorded under', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('is the socket address: a forged X-Forwarded-For changes nothing without TRUST_PROXY', async ({ browser }) => {
    const forged = '203.0.113.99';
    const context = await browser.newContext({
      storageState: { cookies: [], origins: [] },
      extraHTTPHeaders: { 'X-Forwarded-For': forged, 'X-Tsc-Client-Address': '198.51.100.77' },
    });
    const page = await context.newPage();
    await page.goto('/sign-in?callbackUrl=%2Faccount');
    await signIn(page, MEMBER_EMAIL);
    await expect(page.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
    const thisBrowser = page.getByRole('table', { name: 'Sessions' }).getByRole('row').filter({ hasText: 'This browser' });
    await expect(thisBrowser).toContainText(/127\.0\.0\.1|::1/);
    await expect(page.getByRole('table', { name: 'Sessions' })).not.toContainText(forged);
    await expect(page.getByRole('table', { name: 'Sessions' })).not.toContainText('198.51.100.77');
    await context.close();
  });
});
