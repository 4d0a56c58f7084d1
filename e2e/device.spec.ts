import { expect, test } from '@playwright/test';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { baseURL } from '../playwright.config';
import { unique } from './clients-helpers';
import { MEMBER_EMAIL, shot, signIn } from './helpers';
import { runAxe } from './ui-checks';

/*
 * Device Code clients (RFC 8628): the administrator adds one in the console; a "TV" (openid-client in this test
 * process) starts the device flow and polls; a user opens /device on another screen, signs in, types the code and
 * allows it; the TV's poll then gets tokens that verify against the JWKS. The denied path and a wrong code too.
 */
const ISSUER = `${baseURL}/identity`;

async function addDeviceClient(page: import('@playwright/test').Page, name: string) {
  await page.goto('/security/clients');
  await page.getByLabel('Client Type').click();
  await page.getByRole('option', { name: 'Device Code Client' }).click();
  await expect(page).toHaveURL(/type=device_code/);
  await page.getByRole('button', { name: 'Add Client' }).click();
  const pane = page.getByRole('dialog', { name: 'Add Client' });
  // A device has no redirect URLs: the pane asks only for what it needs.
  await expect(pane.getByLabel('Redirect URLs', { exact: true })).toHaveCount(0);
  await pane.getByLabel('Name', { exact: true }).fill(name);
  await pane.getByLabel('Refresh Token Lifetime').fill('86400');
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name, level: 1 })).toBeVisible();
  return (await page.locator('#details-client-id').textContent())!.trim();
}

test('a Device Code client added in the console: a TV gets tokens once a user allows its code at /device', async ({ page, browser }) => {
  const name = unique('Living Room TV');
  const clientId = await addDeviceClient(page, name);
  await expect(page.getByText('Device Code Client', { exact: true })).toBeVisible();
  await expect(page.getByRole('tab', { name: /Secrets/ })).toHaveCount(0);
  const settings = page.getByRole('region', { name: 'Sign-In Settings' });
  await expect(settings.getByText('86400 seconds')).toBeVisible();
  await expect(settings.getByText('Redirect URLs')).toHaveCount(0);
  await shot(page, 'device-code-client-details');

  // The TV starts the flow and polls in the background.
  const config = await oidc.discovery(new URL(ISSUER), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile offline_access' });
  expect(started.verification_uri).toBe(`${baseURL}/device`);
  const polling = oidc.pollDeviceAuthorizationGrant(config, started);

  // A user without a session on another screen: sign-in first, then straight back to /device.
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const user = await context.newPage();
  await user.goto(started.verification_uri);
  await expect(user).toHaveURL(/\/sign-in\?callbackUrl=%2Fdevice/);
  await signIn(user, MEMBER_EMAIL);
  await expect(user.getByRole('heading', { name: 'Connect a device', level: 1 })).toBeVisible();
  // A wrong code is answered at the field; the right one, typed in lower case without the dash, names the device.
  await user.getByLabel('Code').fill('BCDF-BCDF');
  await user.getByRole('button', { name: 'Continue' }).click();
  await expect(user.getByText('This code is not valid.', { exact: false })).toBeVisible();
  await user.getByLabel('Code').fill(started.user_code.replace('-', '').toLowerCase());
  await user.getByRole('button', { name: 'Continue' }).click();
  await expect(user.getByRole('heading', { name: `Allow ${name}?` })).toBeVisible();
  await expect(user.getByText('Stay connected after this session (refresh tokens)')).toBeVisible();
  await shot(user, 'device-allow');
  expect(await runAxe(user), 'axe on the Allow step').toEqual([]);
  await user.getByRole('button', { name: 'Allow' }).click();
  await expect(user.getByRole('heading', { name: 'Device connected' })).toBeVisible();
  await expect(user.getByRole('heading', { name: 'Device connected' })).toBeFocused();
  await shot(user, 'device-connected');
  expect(await runAxe(user), 'axe on Device connected').toEqual([]);

  const tokens = await polling;
  const jwks = createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!));
  const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: ISSUER, typ: 'at+jwt' });
  expect(payload.client_id).toBe(clientId);
  expect(tokens.claims()?.aud).toBe(clientId);
  expect(tokens.refresh_token).toBeTruthy();
  // The code was used: typing it again finds nothing.
  await user.getByRole('button', { name: 'Connect another device' }).click();
  await user.getByLabel('Code').fill(started.user_code);
  await user.getByRole('button', { name: 'Continue' }).click();
  await expect(user.getByText('This code is not valid.', { exact: false })).toBeVisible();
  // The console's logo takes a member to their own account (Security is for administrators).
  await user.getByRole('link', { name: 'Security Console' }).click();
  await expect(user.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
  await context.close();

  // The approval is in the audit log, by the user who gave it.
  await page.goto(`/security/audit-log?client=${clientId}`);
  await expect(page.getByRole('row').filter({ hasText: 'Device allowed' }).filter({ hasText: name }).filter({ hasText: MEMBER_EMAIL })).toBeVisible();
});

test('a user who denies the device: the TV hears access_denied', async ({ page }) => {
  const name = unique('Build CLI');
  const clientId = await addDeviceClient(page, name);
  const config = await oidc.discovery(new URL(ISSUER), clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
  const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
  const polling = oidc.pollDeviceAuthorizationGrant(config, started).then(
    () => 'granted',
    (e: { error?: string }) => e.error ?? 'failed',
  );
  await page.goto('/device');
  await page.getByLabel('Code').fill(started.user_code);
  await page.getByRole('button', { name: 'Continue' }).click();
  await page.getByRole('button', { name: 'Deny' }).click();
  await expect(page.getByRole('heading', { name: 'Request denied' })).toBeVisible();
  expect(await polling).toBe('access_denied');
});
