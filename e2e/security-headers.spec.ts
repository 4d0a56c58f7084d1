import http from 'node:http';
import { expect, test } from '@playwright/test';

function expectSecurityHeaders(headers: Record<string, string>) {
  expect(headers['referrer-policy']).toBe('same-origin');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
}

test('pages carry a nonce-based CSP without unsafe-inline scripts, and the other security headers', async ({ page }) => {
  const response = await page.goto('/security/clients');
  const headers = response!.headers();
  expectSecurityHeaders(headers);
  const csp = headers['content-security-policy'];
  const scriptSrc = csp.split(';').find((d) => d.trim().startsWith('script-src'))!;
  expect(scriptSrc).toMatch(/'nonce-[A-Za-z0-9+/=]+'/);
  expect(scriptSrc).not.toContain("'unsafe-inline'");
  // Over plain http there is no HSTS; the page still works with the CSP (it hydrated: the nav is interactive).
  expect(headers['strict-transport-security']).toBeUndefined();
  await expect(page.getByRole('link', { name: 'Clients' })).toHaveAttribute('aria-current', 'page');
});

test('HSTS is sent when the request came over https through a proxy', async ({ request }) => {
  const response = await request.get('/sign-in', { headers: { 'x-forwarded-proto': 'https' } });
  expect(response.headers()['strict-transport-security']).toContain('max-age=');
});

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('a server action answer carries the security headers', async ({ page }) => {
    await page.goto('/sign-in');
    const actionResponse = page.waitForResponse((r) => r.request().method() === 'POST' && r.url().includes('/sign-in'));
    await page.getByLabel('Email').fill('nobody@example.com');
    await page.getByLabel('Password').fill('wrong-password');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    const r = await actionResponse;
    expectSecurityHeaders(r.headers());
  });

  test('session cookies are HttpOnly and SameSite=Lax', async ({ page, context }) => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill('admin@example.com');
    await page.getByLabel('Password').fill('e2e-password-123');
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/overview$/);
    const session = (await context.cookies()).find((c) => c.name.includes('session-token'));
    expect(session?.httpOnly).toBe(true);
    expect(session?.sameSite).toBe('Lax');
  });
});

test('a Next-Router-State-Tree header Next cannot parse gets a 400, never a 500; the router\'s own navigations still work', async ({ page, request }) => {
  for (const path of ['/sign-in', '/security/clients']) {
    const refused = await request.get(path, { headers: { RSC: '1', 'Next-Router-State-Tree': 'garbage' }, maxRedirects: 0 });
    expect(refused.status()).toBe(400);
    expect(refused.headers()['x-content-type-options']).toBe('nosniff');
    expect(await refused.text()).toBe('Bad Request: The Next-Router-State-Tree header is not a valid router state.\n');
  }
  // A client-side navigation sends the header the router built: answered as before.
  const sent: string[] = [];
  page.on('request', (r) => {
    const tree = r.headers()['next-router-state-tree'];
    if (tree) sent.push(tree);
  });
  await page.goto('/security/clients');
  await page.getByRole('navigation').getByRole('link', { name: 'Audit Log' }).click();
  await expect(page.getByRole('heading', { name: 'Audit Log', level: 1 })).toBeVisible();
  expect(sent.length).toBeGreaterThan(0);
});

test('TRACE (which Next cannot turn into a fetch Request) gets a 405 with Allow, never a 500', async ({ baseURL }) => {
  for (const path of ['/sign-in', '/security/clients', '/api/v1/openapi.json']) {
    const { status, allow } = await new Promise<{ status?: number; allow?: string }>((resolve, reject) => {
      http
        .request(new URL(path, baseURL), { method: 'TRACE' }, (res) => {
          res.resume();
          resolve({ status: res.statusCode, allow: res.headers.allow });
        })
        .on('error', reject)
        .end();
    });
    expect(status, path).toBe(405);
    expect(allow, path).toContain('GET');
  }
});

test('a malformed %-escape in the path gets a 400 from the server, with the headers, never a 500', async ({ request }) => {
  const page = await request.get('/security/clients/%E0');
  expect(page.status()).toBe(400);
  expect(page.headers()['x-content-type-options']).toBe('nosniff');
  const api = await request.get('/api/v1/Tenants/%C0%AE/ClientCredentialClients');
  expect(api.status()).toBe(400);
  expect(api.headers()['content-type']).toContain('application/json');
});
