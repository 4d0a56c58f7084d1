import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { expect, test } from '@playwright/test';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { baseURL } from '../playwright.config';
import { unique } from './clients-helpers';
import { ADMIN_EMAIL, shot, signIn, copyThenClose } from './helpers';

/*
 * An application signs a user in through our server with a stock OpenID Connect library: a tiny relying party
 * (served by this test on a loopback port) runs openid-client's authorization code + PKCE flow, verifies the ID token
 * and access token against the JWKS, refreshes, replays an old refresh token (refused, family revoked) and logs out.
 */
const ISSUER = `${baseURL}/identity`;

type RpState = { codeVerifier: string; state: string; nonce: string; idToken?: string; refreshToken?: string };

function startRelyingParty(clientIdOf: () => string) {
  const rp: RpState = { codeVerifier: '', state: '', nonce: '' };
  let config: oidc.Configuration | null = null;
  let origin = '';
  const configure = async () =>
    (config ??= await oidc.discovery(new URL(ISSUER), clientIdOf(), undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] }));
  const page = (title: string, body: string) =>
    `<!doctype html><html lang="en"><head><title>${title}</title></head><body><main><h1>${title}</h1>${body}</main></body></html>`;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', origin);
    const reply = (status: number, html: string) => res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8' }).end(html);
    (async () => {
      const cfg = await configure();
      if (url.pathname === '/login') {
        rp.codeVerifier = oidc.randomPKCECodeVerifier();
        rp.state = oidc.randomState();
        rp.nonce = oidc.randomNonce();
        const to = oidc.buildAuthorizationUrl(cfg, {
          redirect_uri: `${origin}/callback`,
          scope: 'openid profile email offline_access',
          code_challenge: await oidc.calculatePKCECodeChallenge(rp.codeVerifier),
          code_challenge_method: 'S256',
          state: rp.state,
          nonce: rp.nonce,
        });
        res.writeHead(302, { Location: to.href }).end();
      } else if (url.pathname === '/callback') {
        const tokens = await oidc.authorizationCodeGrant(cfg, url, {
          pkceCodeVerifier: rp.codeVerifier,
          expectedState: rp.state,
          expectedNonce: rp.nonce,
          idTokenExpected: true,
        });
        const jwks = createRemoteJWKSet(new URL(cfg.serverMetadata().jwks_uri!));
        const id = await jwtVerify(tokens.id_token!, jwks, { issuer: ISSUER, audience: clientIdOf(), typ: 'JWT' });
        const at = await jwtVerify(tokens.access_token, jwks, { issuer: ISSUER, typ: 'at+jwt' });
        const info = await oidc.fetchUserInfo(cfg, tokens.access_token, String(id.payload.sub));
        rp.idToken = tokens.id_token;
        rp.refreshToken = tokens.refresh_token;
        reply(
          200,
          page(
            'Relying party: signed in',
            `<p>Signed in as <span data-testid="email">${String(info.email)}</span></p>
             <p>ID token verified: nonce <span data-testid="nonce-ok">${id.payload.nonce === rp.nonce}</span>, auth_time <span data-testid="auth-time">${typeof id.payload.auth_time}</span></p>
             <p>Access token verified for client <span data-testid="at-client">${String(at.payload.client_id)}</span></p>`,
          ),
        );
      } else if (url.pathname === '/refresh') {
        const first = rp.refreshToken!;
        const refreshed = await oidc.refreshTokenGrant(cfg, first);
        const errorOf = (p: Promise<unknown>) => p.then(() => 'accepted', (e: { error?: string }) => e.error ?? 'failed');
        const reuse = await errorOf(oidc.refreshTokenGrant(cfg, first));
        const afterReuse = await errorOf(oidc.refreshTokenGrant(cfg, refreshed.refresh_token!));
        reply(
          200,
          page(
            'Relying party: refresh',
            `<p>Rotated: <span data-testid="rotated">${refreshed.refresh_token !== first}</span></p>
             <p>Old refresh token: <span data-testid="reuse">${reuse}</span></p>
             <p>Newest refresh token after the reuse: <span data-testid="after-reuse">${afterReuse}</span></p>`,
          ),
        );
      } else if (url.pathname === '/logout') {
        const to = oidc.buildEndSessionUrl(cfg, { id_token_hint: rp.idToken!, post_logout_redirect_uri: `${origin}/signed-out`, state: 'bye' });
        res.writeHead(302, { Location: to.href }).end();
      } else if (url.pathname === '/signed-out') {
        reply(200, page('Relying party: signed out', `<p>State <span data-testid="state">${url.searchParams.get('state')}</span></p>`));
      } else {
        reply(404, page('Not found', ''));
      }
    })().catch((err: Error & { error?: string }) => reply(500, page('Relying party error', `<p data-testid="error">${err.error ?? err.message}</p>`)));
  });
  return new Promise<{ origin: string; close: () => Promise<void> }>((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      resolve({ origin, close: () => new Promise<void>((r) => server.close(() => r())) });
    }),
  );
}

test('an Authorization Code client added in the console signs a user in with openid-client, refreshes and logs out', async ({ page, browser }) => {
  let clientId = '';
  const rp = await startRelyingParty(() => clientId);
  try {
    // 1. The administrator adds the client: Client Type, Add Client, the sign-in fields, Save.
    const name = unique('Field App');
    await page.goto('/security/clients');
    await page.getByLabel('Client Type').click();
    await page.getByRole('option', { name: 'Authorization Code Client' }).click();
    await expect(page).toHaveURL(/type=authorization_code/);
    // Other specs may have added clients of this type already: the list of this type, not an empty state.
    await expect(page.getByRole('button', { name: 'Add Client' })).toBeVisible();
    await page.getByRole('button', { name: 'Add Client' }).click();
    const pane = page.getByRole('dialog', { name: 'Add Client' });
    await pane.getByLabel('Name', { exact: true }).fill(name);
    await pane.getByLabel('Redirect URLs', { exact: true }).fill('http://app.example.com/callback');
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane.getByText('Use https (http only for loopback addresses such as http://127.0.0.1).')).toBeVisible();
    await pane.getByLabel('Redirect URLs', { exact: true }).fill(`${rp.origin}/callback`);
    await pane.getByLabel('Post Logout Redirect URLs').fill(`${rp.origin}/signed-out`);
    await pane.getByLabel('Allowed CORS Origins').fill(rp.origin);
    await shot(page, 'add-authorization-code-client-pane');
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
    await expect(page.getByText('Authorization Code Client', { exact: true })).toBeVisible();
    await expect(page.getByRole('tab', { name: /Secrets/ })).toHaveCount(0);
    const settings = page.getByRole('region', { name: 'Sign-In Settings' });
    await expect(settings.getByText(`${rp.origin}/callback`)).toBeVisible();
    clientId = (await page.locator('#details-client-id').textContent())!.trim();
    await shot(page, 'authorization-code-client-details');

    // 2. A user with no session opens the application: our sign-in page names it, then back to the application.
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const user = await context.newPage();
    await user.goto(`${rp.origin}/login`);
    await expect(user).toHaveURL(/\/sign-in\?callbackUrl=/);
    await expect(user.getByText(`to continue to ${name}`)).toBeVisible();
    await shot(user, 'sign-in-names-the-application');
    await signIn(user, ADMIN_EMAIL);
    await expect(user.getByRole('heading', { name: 'Relying party: signed in' })).toBeVisible();
    await expect(user.getByTestId('email')).toHaveText(ADMIN_EMAIL);
    await expect(user.getByTestId('nonce-ok')).toHaveText('true');
    await expect(user.getByTestId('auth-time')).toHaveText('number');
    await expect(user.getByTestId('at-client')).toHaveText(clientId);
    await shot(user, 'relying-party-signed-in');

    // 3. Refresh rotates; the old token again is refused and revokes the family.
    await user.goto(`${rp.origin}/refresh`);
    await expect(user.getByTestId('rotated')).toHaveText('true');
    await expect(user.getByTestId('reuse')).toHaveText('invalid_grant');
    await expect(user.getByTestId('after-reuse')).toHaveText('invalid_grant');

    // 4. RP-initiated logout to the registered URI; the console session is gone afterwards.
    await user.goto(`${rp.origin}/logout`);
    await expect(user.getByRole('heading', { name: 'Relying party: signed out' })).toBeVisible();
    await expect(user.getByTestId('state')).toHaveText('bye');
    await user.goto(`${rp.origin}/login`);
    await expect(user).toHaveURL(/\/sign-in\?callbackUrl=/);
    await context.close();
  } finally {
    await rp.close();
  }
});

test('a Hybrid client: Save shows the one-time secret window; sign-in settings and secrets are maintained', async ({ page }) => {
  const name = unique('Portal');
  await page.goto('/security/clients?type=hybrid');
  await expect(page.getByLabel('Client Type')).toHaveText('Hybrid Client');
  await page.getByRole('button', { name: 'Add Client' }).click();
  const pane = page.getByRole('dialog', { name: 'Add Client' });
  await pane.getByLabel('Name', { exact: true }).fill(name);
  await expect(pane.getByLabel('Allowed CORS Origins')).toHaveCount(0);
  await pane.getByLabel('Redirect URLs', { exact: true }).fill('https://portal.example.com/signin-oidc');
  await pane.getByLabel('Refresh Token Lifetime').fill('100');
  await pane.getByRole('button', { name: 'Next' }).click();
  await expect(pane.getByText('Enter a whole number of seconds from 300 to 7776000 (90 days).')).toBeVisible();
  await pane.getByLabel('Refresh Token Lifetime').fill('86400');
  await pane.getByRole('button', { name: 'Next' }).click();
  const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
  await secretPane.getByLabel('Description').fill('portal');
  await secretPane.getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
  await expect(dialog.getByRole('textbox', { name: 'Client Secret' })).toHaveValue(/^tscs_/);
  await shot(page, 'hybrid-client-created');
  await copyThenClose(dialog, 'Copy Client Secret');
  await expect(page.getByRole('table', { name: 'Clients' }).getByRole('link', { name })).toBeVisible();

  await page.getByRole('table', { name: 'Clients' }).getByRole('link', { name }).click();
  await expect(page.getByText('Hybrid Client', { exact: true })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Secrets (1)' })).toBeVisible();
  await page.getByRole('button', { name: 'Edit Sign-In Settings' }).click();
  const edit = page.getByRole('dialog', { name: 'Edit Sign-In Settings' });
  await edit.getByLabel('Redirect URLs', { exact: true }).fill('https://portal.example.com/signin-oidc\nhttps://portal.example.com/alt');
  await edit.getByLabel('Post Logout Redirect URLs').fill('https://portal.example.com/#bye');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit.getByText('A redirect URL cannot have a fragment (#).', { exact: false })).toBeVisible();
  await edit.getByLabel('Post Logout Redirect URLs').fill('https://portal.example.com/');
  await shot(page, 'edit-sign-in-settings');
  await edit.getByRole('button', { name: 'Save' }).click();
  await expect(edit).toBeHidden();
  const settings = page.getByRole('region', { name: 'Sign-In Settings' });
  await expect(settings.getByText('https://portal.example.com/alt')).toBeVisible();
  await expect(settings.getByText('86400 seconds')).toBeVisible();
});

test('prompt=login: a signed-in user signs in again on our sign-in page, then the application gets a code', async ({ page: admin, browser }) => {
  // An Authorization Code client whose redirect URI this test answers itself (page.route): no relying party needed.
  const name = unique('Reauth App');
  const callbackServer = http.createServer((_req, res) => res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!doctype html><title>callback</title><h1>Callback</h1>'));
  await new Promise<void>((resolve) => callbackServer.listen(0, '127.0.0.1', resolve));
  const redirect = `http://127.0.0.1:${(callbackServer.address() as AddressInfo).port}/reauth-callback`;
  // The user signs in again in a browser of their own: signing in again replaces that browser's session, and the
  // shared setup session of the other specs must live on.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  try {
  await admin.goto('/security/clients?type=authorization_code&add=client');
  const pane = admin.getByRole('dialog', { name: 'Add Client' });
  await pane.getByLabel('Name', { exact: true }).fill(name);
  await pane.getByLabel('Redirect URLs', { exact: true }).fill(redirect);
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(admin.getByRole('heading', { name, level: 1 })).toBeVisible();
  const clientId = (await admin.locator('#details-client-id').textContent())!.trim();
  const page = await context.newPage();
  await page.goto('/sign-in');
  await signIn(page, ADMIN_EMAIL);
  await expect(page).toHaveURL(/\/overview$/);

  const verifier = oidc.randomPKCECodeVerifier();
  const authorize = async (extra: Record<string, string>) =>
    `${ISSUER}/connect/authorize?${new URLSearchParams({
      client_id: clientId,
      response_type: 'code',
      redirect_uri: redirect,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'st',
      ...extra,
    })}`;

  // Without prompt: the session is enough, straight back to the application.
  await page.goto(await authorize({}));
  await expect(page).toHaveURL(new RegExp(`^${redirect}\\?code=`));

  // prompt=login: the sign-in page shows its form to the signed-in user (it does not bounce back), names the application.
  const before = Math.floor(Date.now() / 1000);
  await page.goto(await authorize({ prompt: 'login', state: 'again' }));
  await expect(page).toHaveURL(/\/sign-in\?callbackUrl=/);
  await expect(page.getByText(`to continue to ${name}`)).toBeVisible();
  await shot(page, 'prompt-login-sign-in-again');
  await signIn(page, ADMIN_EMAIL);
  await expect(page).toHaveURL(new RegExp(`^${redirect}\\?code=`));
  const back = new URL(page.url());
  expect(back.searchParams.get('state')).toBe('again');
  const tokens = await page.request.post(`${ISSUER}/connect/token`, {
    form: { grant_type: 'authorization_code', code: back.searchParams.get('code')!, redirect_uri: redirect, code_verifier: verifier, client_id: clientId },
  });
  expect(tokens.status()).toBe(200);
  const idToken = ((await tokens.json()) as { id_token: string }).id_token;
  const authTime = JSON.parse(Buffer.from(idToken.split('.')[1], 'base64url').toString()).auth_time as number;
  // The fresh sign-in, not the session the test started with.
  expect(authTime).toBeGreaterThanOrEqual(before);
  } finally {
    await context.close();
    await new Promise<void>((resolve) => callbackServer.close(() => resolve()));
  }
});
