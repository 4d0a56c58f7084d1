import { expect, test, type APIRequestContext } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { MEMBER_EMAIL, OTHER_ADMIN_EMAIL, SCREENSHOTS, signIn } from './helpers';

/*
 * The REST API against the real production server (scripts/e2e-server.ts): the console session for same-origin
 * calls, real tokens from /identity/connect/token for automation, and the API Reference page.
 */
type Role = { Id: string; Name: string; RoleType: string };
type Created = { Id: string; Name: string; ClientSecret: string; SecretId: number; RoleIds: string[] };

const SAME_ORIGIN = { Origin: baseURL };

async function tenantIdOf(request: APIRequestContext): Promise<string> {
  const session = (await (await request.get('/api/auth/session')).json()) as { user: { tenantId: string } };
  return session.user.tenantId;
}

async function tokenFor(request: APIRequestContext, clientId: string, secret: string): Promise<string> {
  const res = await request.post('/identity/connect/token', {
    form: { grant_type: 'client_credentials', client_id: clientId, client_secret: secret },
  });
  expect(res.status()).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

test.describe('REST API with the console session', () => {
  test('a signed-in administrator adds an automation client same-origin; cross-site is refused', async ({ page }) => {
    const request = page.request;
    const tenantId = await tenantIdOf(request);
    const api = `/api/v1/Tenants/${tenantId}`;

    const roles = await request.get(`${api}/Roles`);
    expect(roles.status()).toBe(200);
    expect(roles.headers()['cache-control']).toBe('no-store');
    const admin = ((await roles.json()) as Role[]).find((r) => r.RoleType === 'tenant_administrator')!;

    const refused = await request.post(`${api}/ClientCredentialClients`, { data: { Name: 'No origin' } });
    expect(refused.status()).toBe(403);
    const crossSite = await request.post(`${api}/ClientCredentialClients`, {
      data: { Name: 'Evil' },
      headers: { Origin: 'https://evil.example' },
    });
    expect(crossSite.status()).toBe(403);

    const res = await request.post(`${api}/ClientCredentialClients`, {
      data: { Name: `E2E automation ${Date.now()}`, RoleIds: [admin.Id] },
      headers: SAME_ORIGIN,
    });
    expect(res.status()).toBe(201);
    expect(res.headers()['cache-control']).toBe('no-store');
    const created = (await res.json()) as Created;
    expect(created.RoleIds).toContain(admin.Id);

    // The client's token works for the API without any cookie.
    const token = await tokenFor(request, created.Id, created.ClientSecret);
    const listed = await request.get(`${api}/ClientCredentialClients?count=1`, {
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(listed.status()).toBe(200);
    expect(Number(listed.headers()['total-count'])).toBeGreaterThanOrEqual(1);
    const one = await request.get(`${api}/ClientCredentialClients/${created.Id}`, { headers: { Authorization: `Bearer ${token}` } });
    expect(one.status()).toBe(200);
    expect(await one.text()).not.toContain(created.ClientSecret);

    // Disabling the automation client (through the API, with its own token) stops its token at once.
    const disabled = await request.put(`${api}/ClientCredentialClients/${created.Id}`, {
      data: { Name: created.Name, Enabled: false },
      headers: { Authorization: `Bearer ${token}` },
    });
    expect(disabled.status()).toBe(200);
    const refusedNow = await request.get(`${api}/ClientCredentialClients`, { headers: { Authorization: `Bearer ${token}` } });
    expect(refusedNow.status()).toBe(401);
    expect(refusedNow.headers()['www-authenticate']).toContain('error="invalid_token"');
    // The console session removes it.
    expect((await request.delete(`${api}/ClientCredentialClients/${created.Id}`, { headers: SAME_ORIGIN })).status()).toBe(204);
  });

  test('body errors come back as JSON with no-store from the real server', async ({ page }) => {
    const request = page.request;
    const api = `/api/v1/Tenants/${await tenantIdOf(request)}/ClientCredentialClients`;
    const malformed = await request.post(api, { data: Buffer.from('{"Name": '), headers: { ...SAME_ORIGIN, 'Content-Type': 'application/json' } });
    expect(malformed.status()).toBe(400);
    expect(await malformed.json()).toMatchObject({ Reason: 'The request body is not valid JSON.' });
    const wrongType = await request.post(api, { data: Buffer.from('Name=x'), headers: { ...SAME_ORIGIN, 'Content-Type': 'text/plain' } });
    expect(wrongType.status()).toBe(415);
    const big = await request.post(api, {
      data: Buffer.from(JSON.stringify({ Name: 'x', SecretDescription: 'd'.repeat(40 * 1024) })),
      headers: { ...SAME_ORIGIN, 'Content-Type': 'application/json' },
    });
    expect(big.status()).toBe(413);
    for (const r of [malformed, wrongType, big]) {
      expect(r.headers()['cache-control']).toBe('no-store');
      expect(r.headers()['content-type']).toMatch(/^application\/json/);
    }
    const unknown = await request.get('/api/v1/Nope');
    expect(unknown.status()).toBe(404);
    expect(await unknown.json()).toMatchObject({ Reason: 'There is no such API endpoint.' });
  });
});

test.describe('REST API refusals for other people', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('no credentials: 401 with a Bearer challenge; a member\'s session: 403; another tenant\'s admin: 403', async ({ page, request }) => {
    const anonymous = await request.get('/api/v1/Tenants/00000000-0000-4000-8000-000000000000/ClientCredentialClients');
    expect(anonymous.status()).toBe(401);
    // Both schemes are offered: Bearer, and DPoP (RFC 9449 7.1) with the proof algorithms.
    expect(anonymous.headers()['www-authenticate']).toBe('Bearer realm="api", DPoP realm="api", algs="RS256 PS256 ES256 ES384 EdDSA"');

    await page.goto('/sign-in');
    await signIn(page, MEMBER_EMAIL);
    await expect(page.getByTestId('signed-in-user')).toContainText(MEMBER_EMAIL);
    const tenantId = await tenantIdOf(page.request);
    expect((await page.request.get(`/api/v1/Tenants/${tenantId}/ClientCredentialClients`)).status()).toBe(403);

    await page.context().clearCookies();
    await page.goto('/sign-in');
    await signIn(page, OTHER_ADMIN_EMAIL);
    await expect(page.getByTestId('signed-in-user')).toContainText(OTHER_ADMIN_EMAIL);
    const res = await page.request.get(`/api/v1/Tenants/${tenantId}/ClientCredentialClients`);
    expect(res.status()).toBe(403);
    expect(await res.json()).toMatchObject({ Reason: 'You can only manage your own tenant.' });
  });
});

test('the API Reference page renders the OpenAPI document', async ({ page }) => {
  await page.goto('/security/clients');
  await page.getByRole('link', { name: 'API Reference' }).click();
  await expect(page).toHaveURL(/\/api-docs$/);
  await expect(page.getByRole('heading', { level: 1, name: 'API Reference' })).toBeVisible();
  const tenantId = await tenantIdOf(page.request);
  await expect(page.getByText(tenantId).first()).toBeVisible();

  const add = page.getByRole('region', { name: 'Add a client' });
  await expect(add.getByText('/api/v1/Tenants/{tenantId}/ClientCredentialClients', { exact: true })).toBeVisible();
  // Each operation's tables are closed until asked for.
  await expect(add.getByRole('table', { name: 'Request body of Add a client' })).toBeHidden();
  await add.getByText('Request, responses and curl example').click();
  const body = add.getByRole('table', { name: 'Request body of Add a client' });
  await expect(body.getByRole('row', { name: /SecretExpirationDate/ })).toContainText('string (date-time) or null');
  await expect(body.getByRole('row', { name: /^Name/ })).toContainText('1 to 100 characters');
  await expect(add.getByRole('table', { name: 'Responses of Add a client' }).getByRole('row', { name: /^201/ })).toContainText(
    'ClientCredentialClientCreateResponse',
  );
  // The top of the page and one operation (the whole page is very long).
  if (SCREENSHOTS) await page.screenshot({ path: 'e2e/screenshots/api-reference.png' });
  if (SCREENSHOTS) await add.screenshot({ path: 'e2e/screenshots/api-reference-add-client.png' });

  // A schema link jumps to the schema's table, opening it.
  await expect(page.getByRole('table', { name: 'Fields of ClientCredentialClientCreateResponse' })).toBeHidden();
  await add.getByRole('link', { name: 'ClientCredentialClientCreateResponse' }).first().click();
  await expect(page).toHaveURL(/#schema-ClientCredentialClientCreateResponse$/);
  await expect(page.getByRole('table', { name: 'Fields of ClientCredentialClientCreateResponse' }).getByRole('row', { name: /ClientSecret/ })).toBeVisible();

  // Copy the token request with the tenant filled in.
  await page.getByRole('button', { name: 'Copy token request' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  expect(copied).toContain(`TENANT_ID=${tenantId}`);
  expect(copied).toContain('/identity/connect/token');

  const doc = await page.request.get('/api/v1/openapi.json');
  expect(doc.status()).toBe(200);
  expect(((await doc.json()) as { openapi: string }).openapi).toBe('3.1.0');
});
