import { expect, test } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { dpopKey, dpopProof } from '../lib/tokens/testing/dpop';
import { addClientViaUi, readClipboard } from './clients-helpers';
import { shot } from './helpers';

/**
 * Require DPoP (RFC 9449) in the console: an administrator turns it on in Edit Client; the details show it, it stays
 * after a reload, the audit log records it, and the token endpoint then refuses the client's requests without a
 * DPoP proof (and binds the token of a request with one).
 */
test('Require DPoP: set in Edit Client, shown, persisted, audited, and enforced at the token endpoint', async ({ page, request }) => {
  const { clientId } = await addClientViaUi(page);
  const secret = await readClipboard(page);
  expect(secret).toMatch(/^tscs_/);
  await page.goto(`/security/clients/${clientId}`);
  const details = page.getByRole('tabpanel', { name: 'Details' });
  await expect(details.getByTestId('client-require-dpop')).toHaveText('No');

  await page.getByRole('button', { name: 'Edit Client' }).click();
  const pane = page.getByRole('dialog', { name: 'Edit Client' });
  const box = pane.getByRole('checkbox', { name: 'Require DPoP' });
  await expect(box).not.toBeChecked();
  await box.click();
  await expect(box).toBeChecked();
  await shot(page, 'edit-client-require-dpop');
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  await expect(details.getByTestId('client-require-dpop')).toContainText('Yes');

  await page.reload();
  await expect(page.getByRole('tabpanel', { name: 'Details' }).getByTestId('client-require-dpop')).toContainText('Yes');
  await page.getByRole('button', { name: 'Edit Client' }).click();
  await expect(page.getByRole('dialog', { name: 'Edit Client' }).getByRole('checkbox', { name: 'Require DPoP' })).toBeChecked();
  await page.getByRole('dialog', { name: 'Edit Client' }).getByRole('button', { name: 'Cancel' }).click();

  await page.getByRole('link', { name: 'View this client’s audit log' }).click();
  const edit = page.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: 'Client edited' });
  await expect(edit).toContainText('Require DPoP: on');

  const tokenUrl = `${baseURL}/identity/connect/token`;
  const form = { grant_type: 'client_credentials', client_id: clientId, client_secret: secret };
  await expect
    .poll(async () => (await (await request.post(tokenUrl, { form })).json()).error)
    .toBe('invalid_dpop_proof');
  const key = await dpopKey('ES256');
  const bound = await request.post(tokenUrl, { form, headers: { DPoP: await dpopProof(key, 'POST', tokenUrl) } });
  expect(bound.status()).toBe(200);
  expect((await bound.json()).token_type).toBe('DPoP');
});

/**
 * The REST API on the production server (Next route handlers behind server.ts) as a DPoP resource server: a
 * DPoP-bound token of a Tenant Administrator client works with a proof for the exact request, and not as Bearer.
 */
test('the REST API accepts a DPoP-bound token with a proof, and refuses it as Bearer', async ({ page }) => {
  const request = page.request;
  const tenantId = ((await (await request.get('/api/auth/session')).json()) as { user: { tenantId: string } }).user.tenantId;
  const api = `/api/v1/Tenants/${tenantId}`;
  const admin = ((await (await request.get(`${api}/Roles`)).json()) as { Id: string; RoleType: string }[]).find((r) => r.RoleType === 'tenant_administrator')!;
  const res = await request.post(`${api}/ClientCredentialClients`, {
    data: { Name: `E2E DPoP automation ${Date.now()}`, RoleIds: [admin.Id] },
    headers: { Origin: baseURL },
  });
  expect(res.status()).toBe(201);
  const created = (await res.json()) as { Id: string; ClientSecret: string };
  try {
    const key = await dpopKey('ES256');
    const tokenUrl = `${baseURL}/identity/connect/token`;
    const issued = await request.post(tokenUrl, {
      form: { grant_type: 'client_credentials', client_id: created.Id, client_secret: created.ClientSecret },
      headers: { DPoP: await dpopProof(key, 'POST', tokenUrl) },
    });
    const token = ((await issued.json()) as { access_token: string }).access_token;
    const url = `${baseURL}${api}/ClientCredentialClients/${created.Id}`;
    const withProof = await request.get(`${url}?x=1`, { headers: { Authorization: `DPoP ${token}`, DPoP: await dpopProof(key, 'GET', url, { accessToken: token }) } });
    expect(withProof.status()).toBe(200);
    expect(((await withProof.json()) as { Id: string }).Id).toBe(created.Id);
    const asBearer = await request.get(url, { headers: { Authorization: `Bearer ${token}` } });
    expect(asBearer.status()).toBe(401);
    expect(asBearer.headers()['www-authenticate']).toMatch(/^DPoP .*error="invalid_token"/);
    const otherPath = await request.get(url, { headers: { Authorization: `DPoP ${token}`, DPoP: await dpopProof(key, 'GET', `${baseURL}${api}/Roles`, { accessToken: token }) } });
    expect(otherPath.status()).toBe(401);
    expect(otherPath.headers()['www-authenticate']).toContain('error="invalid_dpop_proof"');
  } finally {
    expect((await request.delete(`${api}/ClientCredentialClients/${created.Id}`, { headers: { Origin: baseURL } })).status()).toBe(204);
  }
});
