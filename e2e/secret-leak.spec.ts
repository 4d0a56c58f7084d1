/**
 * Secret-leak check. A production server of its own (fresh database, every line it logs kept) and a Tenant
 * Administrator who creates clients and secrets in the console and through the REST API, uses every secret at the
 * token endpoint, uses wrong and removed ones, edits, disables, rotates and removes. Then every issued secret (whole,
 * its random part, and the start of it) is searched for in: every response the browser received except the one
 * that carried the secret to its dialog, every request it sent, the test's own API answers except each 201 that
 * handed a secret over, the server's log, every row of the database (audit_events above all) read after the server
 * stopped, the browser's cookies, localStorage, sessionStorage, Cache Storage and IndexedDB, its console, and the
 * HTML of each page after a reload. The administrator's authenticator app seed and recovery codes (shown once at
 * enrolment, which a fresh installation requires of its administrators) are searched for the same way.
 * Any hit fails the test and says where.
 */
import { createHash, generateKeyPairSync, randomBytes, randomUUID, sign as cryptoSign } from 'node:crypto';
import { expect, test } from '@playwright/test';
import { sql } from 'drizzle-orm';
import { Secret, TOTP } from 'otpauth';
import { generateSecret } from '../lib/secrets/secret';
import { shot, copyThenClose } from './helpers';
import { ApiCapture, BrowserCapture, findHits, type IssuedSecret, type Source } from './leak/capture';
import { startLeakServer, type LeakServer } from './leak/server';

const PORT = Number(process.env.LEAK_PORT || 3131);
const ADMIN_EMAIL = 'leak-admin@example.com';
const ADMIN_PASSWORD = `leak-${randomBytes(12).toString('base64url')}`;
const AUTH_SECRET = randomBytes(32).toString('base64url');
const WRONG_PASSWORD = `wrong-${randomBytes(9).toString('base64url')}`;

let server: LeakServer;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  server = await startLeakServer({
    port: PORT,
    env: {
      ADMIN_EMAIL,
      ADMIN_PASSWORD,
      AUTH_SECRET,
      // A low throttle threshold, so a throttled client (and its audit event) is part of the run.
      CLIENT_AUTH_MAX_FAILURES: '3',
    },
  });
});

test.afterEach(async ({}, testInfo) => {
  if (server && testInfo.status !== testInfo.expectedStatus) await testInfo.attach('server log', { body: server.log(), contentType: 'text/plain' });
});

test.afterAll(async () => {
  await server?.discard();
});

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

test('no issued secret appears in responses, logs, the audit table, browser storage or later pages', async ({ browser }) => {
  test.setTimeout(420_000);
  const origin = server.origin;
  const context = await browser.newContext({ baseURL: origin, permissions: ['clipboard-read', 'clipboard-write'] });
  const capture = await BrowserCapture.attach(context);
  const api = new ApiCapture();
  const page = await context.newPage();
  const consoleLines: string[] = [];
  page.on('console', (m) => consoleLines.push(`${m.type()}: ${m.text()}`));
  const domAfterClose: Source[] = [];
  const secrets: IssuedSecret[] = [];
  // The administrator's authenticator app seed and recovery codes: searched for like the client secrets.
  const mfaSecrets: IssuedSecret[] = [];
  const clients: Record<string, { name: string; clientId: string }> = {};
  const authorizationCodes: string[] = [];

  /** Close the one-time window (copying first, or confirming the close without copying), then keep the DOM. */
  async function closeSecretWindow(title: string, label: string, copy: boolean) {
    const dialog = page.getByRole('dialog', { name: title });
    if (copy) {
      await dialog.getByRole('button', { name: 'Copy Client Secret' }).click();
      await expect(dialog.getByRole('button', { name: 'Copy Client Secret' })).toHaveText('Copied');
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    } else {
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
      await page.getByRole('alertdialog', { name: 'Close without copying the secret?' }).getByRole('button', { name: 'Close without copying' }).click();
    }
    await expect(dialog).toBeHidden();
    domAfterClose.push({ where: `page DOM right after the ${label} window closed (${page.url()})`, text: await page.content() });
  }

  async function addClientInUi(key: string, opts: { admin?: boolean; neverExpires?: boolean; copy?: boolean } = {}) {
    const name = `Leak ${key} ${Date.now().toString(36)}`;
    await page.goto('/security/clients');
    await page.getByRole('button', { name: 'Add Client' }).click();
    const pane = page.getByRole('dialog', { name: 'Add Client' });
    await pane.getByLabel('Name', { exact: true }).fill(name);
    if (opts.admin) await pane.getByRole('checkbox', { name: 'Tenant Administrator' }).click();
    await pane.getByRole('button', { name: 'Next' }).click();
    const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
    await secretPane.getByLabel('Description').fill(`${key} first`);
    if (opts.neverExpires) await secretPane.getByRole('checkbox', { name: 'Never Expires' }).click();
    const from = capture.seq;
    await secretPane.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
    const clientId = await dialog.getByRole('textbox', { name: 'Client Id' }).inputValue();
    const value = await dialog.getByRole('textbox', { name: 'Client Secret' }).inputValue();
    expect(value).toMatch(/^tscs_/);
    secrets.push({ label: `${key} first (Add Client)`, clientId, value, issuedAfter: from });
    await closeSecretWindow('Client Successfully Created', `${key} Add Client`, opts.copy ?? true);
    clients[key] = { name, clientId };
    return clients[key];
  }

  async function addSecretInUi(key: string, description: string, opts: { neverExpires?: boolean; copy?: boolean } = {}) {
    const { clientId } = clients[key];
    await page.goto(`/security/clients/${clientId}?tab=secrets`);
    await page.getByRole('button', { name: 'Add Secret' }).click();
    const pane = page.getByRole('dialog', { name: 'Add Secret' });
    await pane.getByLabel('Description').fill(description);
    if (opts.neverExpires) await pane.getByRole('checkbox', { name: 'Never Expires' }).click();
    const from = capture.seq;
    await pane.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Secret Successfully Created' });
    await expect(dialog.getByRole('textbox', { name: 'Client Id' })).toHaveValue(clientId);
    const value = await dialog.getByRole('textbox', { name: 'Client Secret' }).inputValue();
    expect(value).toMatch(/^tscs_/);
    secrets.push({ label: `${description} (Add Secret)`, clientId, value, issuedAfter: from });
    await closeSecretWindow('Secret Successfully Created', `${description} Add Secret`, opts.copy ?? true);
    return value;
  }

  const secretOf = (label: string) => secrets.find((s) => s.label.startsWith(label))!;

  async function tokenStatus(clientId: string, secret: string, viaBasic = false) {
    const res = viaBasic
      ? await api.call(origin, 'POST', '/identity/connect/token', {
          headers: { ...FORM, Authorization: basic(clientId, secret) },
          body: form({ grant_type: 'client_credentials' }),
        })
      : await api.call(origin, 'POST', '/identity/connect/token', {
          headers: FORM,
          body: form({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
        });
    return res;
  }

  await test.step('sign in through the console (one wrong password first)', async () => {
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(WRONG_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText('Incorrect email or password.');
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // A fresh installation requires multi-factor authentication of its Tenant Administrators: enrol first.
    await expect(page).toHaveURL(/\/account\/security$/);
    await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN_EMAIL);
  });

  await test.step('set up an authenticator app: its seed and the 10 recovery codes are shown once', async () => {
    const from = capture.seq;
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const setup = page.getByRole('form', { name: 'Set up authenticator app' });
    const seed = (await setup.getByRole('textbox', { name: 'Setup key' }).inputValue()).replace(/\s/g, '');
    expect(seed).toMatch(/^[A-Z2-7]{32}$/);
    mfaSecrets.push({ label: 'TOTP seed', clientId: '', value: seed, issuedAfter: from });
    const confirmFrom = capture.seq;
    await setup.getByLabel('Authentication code').fill(new TOTP({ secret: Secret.fromBase32(seed) }).generate());
    await setup.getByRole('button', { name: 'Verify' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save your recovery codes' });
    const items = dialog.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await expect(items).toHaveCount(10);
    for (const [i, code] of (await items.allInnerTexts()).entries()) {
      mfaSecrets.push({ label: `recovery code ${i + 1}`, clientId: '', value: code.trim(), issuedAfter: confirmFrom });
    }
    await copyThenClose(dialog, 'Copy Recovery Codes');
    await expect(dialog).toBeHidden();
    domAfterClose.push({ where: `page DOM right after the recovery codes window closed (${page.url()})`, text: await page.content() });
    await page.goto('/security/clients');
    await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  });

  await test.step('Add Client and Add Secret in the console, each secret read from its one-time window', async () => {
    await addClientInUi('automation', { admin: true });
    await addClientInUi('historian');
    await addClientInUi('gateway', { neverExpires: true, copy: false });
    await addClientInUi('retired');
    await addSecretInUi('historian', 'historian second', { neverExpires: true });
    await addSecretInUi('historian', 'historian third', { copy: false });
    await addSecretInUi('gateway', 'gateway second');
  });

  const tenantId = await page.evaluate(async () => {
    const session = (await (await fetch('/api/auth/session')).json()) as { user: { tenantId: string } };
    return session.user.tenantId;
  });
  const apiBase = `/api/v1/Tenants/${tenantId}/ClientCredentialClients`;

  await test.step('the console session adds a secret through the REST API, same-origin from the page', async () => {
    const from = capture.seq;
    const created = await page.evaluate(
      async ({ path }) => {
        const res = await fetch(path, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json' },
          body: JSON.stringify({ Description: 'retired from the browser', Expires: false }),
        });
        return { status: res.status, body: (await res.json()) as { ClientSecret: string } };
      },
      { path: `${apiBase}/${clients.retired.clientId}/Secrets` },
    );
    expect(created.status).toBe(201);
    secrets.push({
      label: 'retired from the browser (REST API, session)',
      clientId: clients.retired.clientId,
      value: created.body.ClientSecret,
      issuedAfter: from,
    });
  });

  let bearer = '';
  const auth = () => ({ Authorization: `Bearer ${bearer}`, 'Content-Type': 'application/json' });

  await test.step('REST API with the bearer token of an admin client: create, rotate, read, edit', async () => {
    const automation = secretOf('automation first');
    const tokenRes = await tokenStatus(automation.clientId, automation.value);
    expect(tokenRes.status).toBe(200);
    bearer = String(tokenRes.json.access_token);

    expect((await api.call(origin, 'GET', `/api/v1/Tenants/${tenantId}/Roles`, { headers: auth() })).status).toBe(200);

    const created = await api.call(origin, 'POST', apiBase, {
      headers: auth(),
      body: JSON.stringify({ Name: `Leak api ${Date.now().toString(36)}`, SecretDescription: 'api first' }),
    });
    expect(created.status, created.text).toBe(201);
    const apiClient = { name: String(created.json.Name), clientId: String(created.json.Id) };
    clients.api = apiClient;
    created.carries(String(created.json.ClientSecret));
    secrets.push({ label: 'api first (REST API create client)', clientId: apiClient.clientId, value: String(created.json.ClientSecret) });

    // Rotate the API client's secret: add a second, use it, remove the first.
    const second = await api.call(origin, 'POST', `${apiBase}/${apiClient.clientId}/Secrets`, {
      headers: auth(),
      body: JSON.stringify({ Description: 'api second', Expires: false }),
    });
    expect(second.status, second.text).toBe(201);
    second.carries(String(second.json.ClientSecret));
    secrets.push({ label: 'api second (REST API add secret)', clientId: apiClient.clientId, value: String(second.json.ClientSecret) });
    expect((await tokenStatus(apiClient.clientId, String(second.json.ClientSecret))).status).toBe(200);
    expect((await tokenStatus(apiClient.clientId, String(created.json.ClientSecret))).status).toBe(200);
    const removed = await api.call(origin, 'DELETE', `${apiBase}/${apiClient.clientId}/Secrets/${created.json.SecretId}`, { headers: auth() });
    expect(removed.status).toBe(204);
    expect((await tokenStatus(apiClient.clientId, String(created.json.ClientSecret))).status).toBe(401);

    // Rotate a console-made secret through the API: historian's first one.
    const historian = clients.historian.clientId;
    const rotated = await api.call(origin, 'POST', `${apiBase}/${historian}/Secrets`, {
      headers: auth(),
      body: JSON.stringify({ Description: 'historian rotated' }),
    });
    expect(rotated.status, rotated.text).toBe(201);
    rotated.carries(String(rotated.json.ClientSecret));
    secrets.push({ label: 'historian rotated (REST API add secret)', clientId: historian, value: String(rotated.json.ClientSecret) });
    const list = await api.call(origin, 'GET', `${apiBase}/${historian}/Secrets`, { headers: auth() });
    expect(list.status).toBe(200);
    const first = (list.json as unknown as { Id: number; Description: string }[]).find((s) => s.Description === 'historian first')!;
    expect((await api.call(origin, 'GET', `${apiBase}/${historian}/Secrets/${first.Id}`, { headers: auth() })).status).toBe(200);
    expect((await api.call(origin, 'DELETE', `${apiBase}/${historian}/Secrets/${first.Id}`, { headers: auth() })).status).toBe(204);

    // Reads and edits: a client, its secrets, the list.
    expect((await api.call(origin, 'GET', `${apiBase}/${apiClient.clientId}`, { headers: auth() })).status).toBe(200);
    expect((await api.call(origin, 'GET', `${apiBase}?count=100`, { headers: auth() })).status).toBe(200);
    const edited = await api.call(origin, 'PUT', `${apiBase}/${apiClient.clientId}/Secrets/${second.json.Id}`, {
      headers: auth(),
      body: JSON.stringify({ Description: 'api second, edited' }),
    });
    expect(edited.status, edited.text).toBe(200);
    const renamed = await api.call(origin, 'PUT', `${apiBase}/${apiClient.clientId}`, {
      headers: auth(),
      body: JSON.stringify({ Name: `${apiClient.name} renamed`, AccessTokenLifetime: 600 }),
    });
    expect(renamed.status, renamed.text).toBe(200);
  });

  // Private keys pasted by mistake (Add Key, Add Client's Public Key, the API's Keys): searched for everywhere, with
  // no carrier at all. Their needles are the JWK's "d" and a line of the PEM body.
  const privateKeys: IssuedSecret[] = [];
  await test.step('public keys: private keys refused in the console and the API, a public key added and used', async () => {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const privatePem = pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const privateJwk = pair.privateKey.export({ format: 'jwk' });
    privateKeys.push({ label: 'private key d', clientId: '', value: `pk_${privateJwk.d}` });
    privateKeys.push({ label: 'private key PEM line', clientId: '', value: `pem_${privatePem.split('\n')[2]}` });
    const historian = clients.historian.clientId;
    await page.goto(`/security/clients/${historian}?tab=keys&add=key`);
    const pane = page.getByRole('dialog', { name: 'Add Key' });
    for (const text of [privatePem, JSON.stringify(privateJwk)]) {
      await pane.getByRole('textbox', { name: 'Public Key' }).fill(text);
      await pane.getByRole('button', { name: 'Save' }).click();
      await expect(pane.getByText(/This is a private key/)).toBeVisible();
    }
    await pane.getByRole('textbox', { name: 'Public Key' }).fill(pair.publicKey.export({ type: 'spki', format: 'pem' }).toString());
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane).toBeHidden();
    await expect(page.getByRole('tab', { name: 'Keys (1)' })).toBeVisible();

    await page.goto('/security/clients?add=client');
    await page.getByRole('dialog', { name: 'Add Client' }).getByLabel('Name', { exact: true }).fill(`Leak keyed ${Date.now().toString(36)}`);
    await page.getByRole('button', { name: 'Next' }).click();
    const step = page.getByRole('dialog', { name: 'Create Secret' });
    await step.getByRole('radio', { name: /Public Key/ }).check();
    await step.getByRole('textbox', { name: 'Public Key' }).fill(privatePem);
    await step.getByRole('button', { name: 'Save' }).click();
    await expect(step.getByText(/This is a private key/)).toBeVisible();
    await step.getByRole('button', { name: 'Back' }).click();
    await page.keyboard.press('Escape');
    await page.getByRole('alertdialog', { name: 'Discard this client?' }).getByRole('button', { name: 'Discard' }).click();

    for (const Key of [privatePem, privateJwk]) {
      const refused = await api.call(origin, 'POST', `${apiBase}/${historian}/Keys`, { headers: auth(), body: JSON.stringify({ Key }) });
      expect(refused.status, refused.text).toBe(400);
    }
    const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
    const now = Math.floor(Date.now() / 1000);
    const input = `${b64({ alg: 'ES256' })}.${b64({ iss: historian, sub: historian, aud: `${origin}/identity`, exp: now + 60, jti: randomUUID() })}`;
    const assertion = `${input}.${cryptoSign('sha256', Buffer.from(input), { key: pair.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
    const res = await api.call(origin, 'POST', '/identity/connect/token', {
      headers: FORM,
      body: form({ grant_type: 'client_credentials', client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer', client_assertion: assertion }),
    });
    expect(res.status, res.text).toBe(200);
  });

  await test.step('the token endpoint: every live secret succeeds, wrong and removed ones fail', async () => {
    const removedLabels = ['api first', 'historian first'];
    for (const [i, s] of secrets.entries()) {
      const expected = removedLabels.some((l) => s.label.startsWith(l)) ? 401 : 200;
      const res = await tokenStatus(s.clientId, s.value, i % 2 === 1);
      expect(res.status, `${s.label}: ${res.text}`).toBe(expected);
    }
    // Introspection, the caller authenticated with a secret in the Basic header.
    const apiSecond = secretOf('api second');
    const introspected = await api.call(origin, 'POST', '/identity/connect/introspect', {
      headers: { ...FORM, Authorization: basic(apiSecond.clientId, apiSecond.value) },
      body: form({ token: bearer }),
    });
    expect(introspected.status, introspected.text).toBe(200);
    expect(introspected.json.active).toBe(true);

    // Wrong secrets: a made-up one, an issued one with a broken checksum, one of another client.
    const historian = secretOf('historian second');
    const gateway = secretOf('gateway first');
    expect((await tokenStatus(historian.clientId, generateSecret())).status).toBe(401);
    expect((await tokenStatus(historian.clientId, `${historian.value.slice(0, -6)}AAAAAA`)).status).toBe(401);
    // A success clears the failure count (three in a row would throttle historian from this address).
    expect((await tokenStatus(historian.clientId, historian.value)).status).toBe(200);
    expect((await tokenStatus(historian.clientId, gateway.value, true)).status).toBe(401);
    expect((await tokenStatus(gateway.clientId, historian.value)).status).toBe(401);

    // Three failures throttle "retired" from this address: its real secret is then refused too.
    const retired = secretOf('retired first');
    for (let n = 0; n < 3; n++) expect((await tokenStatus(retired.clientId, generateSecret())).status).toBe(401);
    expect((await tokenStatus(retired.clientId, retired.value)).status).toBe(401);
  });

  await test.step('credentials in a query string are refused without an echo (and the log search below covers them)', async () => {
    // Node's fetch, not the capture: these addresses hold the credentials on purpose; only the answers are checked.
    const historian = secretOf('historian second');
    for (const [method, path, status] of [
      ['GET', `/sign-in?email=${encodeURIComponent(ADMIN_EMAIL)}&password=${encodeURIComponent(ADMIN_PASSWORD)}`, 303],
      ['POST', `/identity/connect/token?client_id=${historian.clientId}&client_secret=${encodeURIComponent(historian.value)}`, 400],
      ['GET', `/api/v1/Tenants/x/Roles?secret=${encodeURIComponent(historian.value)}`, 400],
    ] as const) {
      const res = await fetch(origin + path, { method, redirect: 'manual', headers: FORM, body: method === 'POST' ? form({ grant_type: 'client_credentials' }) : undefined });
      const answer = `${[...res.headers].map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${await res.text()}`;
      expect(res.status, path.split('?')[0]).toBe(status);
      expect(answer).not.toContain(ADMIN_PASSWORD);
      expect(answer).not.toContain(historian.value);
    }
  });

  await test.step('edit, disable and remove in the console and through the API; the removed and disabled fail', async () => {
    // Edit Secret and Remove Secret on the details page.
    await page.goto(`/security/clients/${clients.historian.clientId}?tab=secrets`);
    const secretRow = (text: string) => page.getByRole('table', { name: 'Secrets' }).getByRole('row').filter({ hasText: text });
    await secretRow('historian third').getByRole('button', { name: /Edit Secret/ }).click();
    const edit = page.getByRole('dialog', { name: 'Edit Secret' });
    await edit.getByLabel('Description').fill('historian third, edited');
    await edit.getByRole('button', { name: 'Save' }).click();
    await expect(edit).toBeHidden();
    await expect(secretRow('historian third, edited')).toBeVisible();
    await expect(page.getByRole('tab', { name: 'Secrets (3)' })).toBeVisible();
    await secretRow('historian second').getByRole('button', { name: /Remove Secret/ }).click();
    const confirmRemove = page.getByRole('alertdialog', { name: 'Remove this secret?' });
    await confirmRemove.getByRole('button', { name: 'Remove Secret' }).click();
    await expect(confirmRemove).toBeHidden();
    await expect(page.getByRole('tab', { name: 'Secrets (2)' })).toBeVisible();
    await expect(secretRow('historian second')).toHaveCount(0);
    // Rotated: only display hints are left on the page.
    await shot(page, 'secret-leak-rotated-secrets');
    const historianSecond = secretOf('historian second');
    expect((await tokenStatus(historianSecond.clientId, historianSecond.value)).status).toBe(401);
    const historianThird = secretOf('historian third');
    expect((await tokenStatus(historianThird.clientId, historianThird.value)).status).toBe(200);

    // Disable Client: its secrets stop working.
    await page.goto(`/security/clients/${clients.gateway.clientId}`);
    await page.getByRole('button', { name: 'Disable Client' }).click();
    await page.getByRole('alertdialog', { name: `Disable client “${clients.gateway.name}”?` }).getByRole('button', { name: 'Disable Client' }).click();
    await expect(page.getByTestId('client-status')).toHaveText('Disabled');
    for (const s of secrets.filter((x) => x.clientId === clients.gateway.clientId)) {
      expect((await tokenStatus(s.clientId, s.value)).status, s.label).toBe(401);
    }

    // Remove Client from More Options.
    await page.goto(`/security/clients/${clients.retired.clientId}`);
    await page.getByRole('button', { name: 'More Options' }).click();
    await page.getByRole('menuitem', { name: 'Remove Client' }).click();
    await page.getByRole('alertdialog', { name: `Remove client “${clients.retired.name}”?` }).getByRole('button', { name: 'Remove Client' }).click();
    await expect(page).toHaveURL(/\/security\/clients$/);

    // Remove a client through the API; its secret then fails.
    const removed = await api.call(origin, 'DELETE', `${apiBase}/${clients.api.clientId}`, { headers: auth() });
    expect(removed.status).toBe(204);
    for (const s of secrets.filter((x) => x.clientId === clients.api.clientId || x.clientId === clients.retired.clientId)) {
      expect((await tokenStatus(s.clientId, s.value)).status, s.label).toBe(401);
    }

    // The audit log in the console, all and per client.
    await page.goto('/security/audit-log');
    await expect(page.getByRole('table', { name: 'Audit events' })).toBeVisible();
    await page.goto(`/security/audit-log?client=${clients.historian.clientId}`);
    await expect(page.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: 'Secret removed' }).first()).toBeVisible();
  });

  await test.step('a Hybrid client added in the console signs the administrator in; its secret and refresh tokens are tracked', async () => {
    const name = `Leak hybrid ${Date.now().toString(36)}`;
    const redirect = 'https://rp.leak.test/callback';
    await page.goto('/security/clients?type=hybrid');
    await page.getByRole('button', { name: 'Add Client' }).click();
    const pane = page.getByRole('dialog', { name: 'Add Client' });
    await pane.getByLabel('Name', { exact: true }).fill(name);
    await pane.getByLabel('Redirect URLs', { exact: true }).fill(redirect);
    await pane.getByRole('button', { name: 'Next' }).click();
    const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
    await secretPane.getByLabel('Description').fill('hybrid first');
    const from = capture.seq;
    await secretPane.getByRole('button', { name: 'Save' }).click();
    const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
    const clientId = await dialog.getByRole('textbox', { name: 'Client Id' }).inputValue();
    const value = await dialog.getByRole('textbox', { name: 'Client Secret' }).inputValue();
    expect(value).toMatch(/^tscs_/);
    secrets.push({ label: 'hybrid first (Add Client)', clientId, value, issuedAfter: from });
    await closeSecretWindow('Client Successfully Created', 'hybrid Add Client', true);
    clients.hybrid = { name, clientId };

    // The code flow with the browser's session (its request context shares the cookies); the 302 to the
    // application is read, not followed: the application is not there.
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorized = await page.request.get(
      `/identity/connect/authorize?${new URLSearchParams({ client_id: clientId, redirect_uri: redirect, response_type: 'code', scope: 'openid offline_access', code_challenge: challenge, code_challenge_method: 'S256', state: 'leak' })}`,
      { maxRedirects: 0 },
    );
    expect(authorized.status()).toBe(302);
    const location = new URL(authorized.headers()['location']);
    expect(location.origin + location.pathname).toBe(redirect);
    const code = location.searchParams.get('code')!;
    authorizationCodes.push(code);
    const exchanged = await api.call(origin, 'POST', '/identity/connect/token', {
      headers: { ...FORM, Authorization: basic(clientId, value) },
      body: form({ grant_type: 'authorization_code', code, redirect_uri: redirect, code_verifier: verifier }),
    });
    expect(exchanged.status, exchanged.text).toBe(200);
    const firstRefresh = String(exchanged.json.refresh_token);
    exchanged.carries(firstRefresh);
    secrets.push({ label: 'hybrid refresh token (code exchange)', clientId, value: firstRefresh });
    const refreshed = await api.call(origin, 'POST', '/identity/connect/token', {
      headers: { ...FORM, Authorization: basic(clientId, value) },
      body: form({ grant_type: 'refresh_token', refresh_token: firstRefresh }),
    });
    expect(refreshed.status, refreshed.text).toBe(200);
    const secondRefresh = String(refreshed.json.refresh_token);
    refreshed.carries(secondRefresh);
    secrets.push({ label: 'hybrid refresh token (rotated)', clientId, value: secondRefresh });
  });

  // Passwords an administrator is shown once (Invite User, Reset password), and the ones the user then chooses in a
  // browser of their own (not captured: typing them is the user's business) and changes on /account.
  const shownPasswords: { label: string; value: string; issuedAfter: number }[] = [];
  const chosenPasswords: { label: string; value: string }[] = [];
  await test.step('passwords: invite, reset, the user chooses their own and changes it', async () => {
    const email = `leak-user-${Date.now().toString(36)}@example.com`;
    await page.goto('/security/users?invite=user');
    const pane = page.getByRole('dialog', { name: 'Invite User' });
    await pane.getByLabel('Email').fill(email);
    await pane.getByLabel('Name').fill('Leak User');
    let from = capture.seq;
    await pane.getByRole('button', { name: 'Save' }).click();
    const invited = page.getByRole('dialog', { name: 'User Successfully Invited' });
    shownPasswords.push({ label: 'initial password (Invite User)', value: await invited.getByRole('textbox', { name: 'Initial Password' }).inputValue(), issuedAfter: from });
    await copyThenClose(invited, 'Copy Initial Password');
    domAfterClose.push({ where: 'page DOM right after the User Successfully Invited window closed', text: await page.content() });

    const row = page.getByRole('row').filter({ hasText: email });
    await row.getByRole('button', { name: `Sign-in options for ${email}` }).click();
    await page.getByRole('menuitem', { name: 'Reset password' }).click();
    from = capture.seq;
    await page.getByRole('alertdialog', { name: `Reset the password of ${email}?` }).getByRole('button', { name: 'Reset password' }).click();
    const reset = page.getByRole('dialog', { name: 'Password Reset' });
    const oneTime = await reset.getByRole('textbox', { name: 'One-time Password' }).inputValue();
    shownPasswords.push({ label: 'one-time password (Reset password)', value: oneTime, issuedAfter: from });
    await copyThenClose(reset, 'Copy One-time Password');
    domAfterClose.push({ where: 'page DOM right after the Password Reset window closed', text: await page.content() });

    const chosen = `leak-chosen-${randomBytes(9).toString('base64url')}`;
    const changed = `leak-changed-${randomBytes(9).toString('base64url')}`;
    chosenPasswords.push({ label: 'password chosen at first sign-in', value: chosen }, { label: 'password changed on /account', value: changed });
    const userContext = await browser.newContext({ baseURL: origin });
    const user = await userContext.newPage();
    await user.goto('/sign-in?callbackUrl=%2Faccount');
    await user.getByLabel('Email').fill(email);
    await user.getByLabel('Password').fill(oneTime);
    await user.getByRole('button', { name: 'Sign in', exact: true }).click();
    await user.getByLabel('New password', { exact: true }).fill(chosen);
    await user.getByLabel('Confirm new password').fill(chosen);
    await user.getByRole('button', { name: 'Set password and continue' }).click();
    const change = user.getByRole('form', { name: 'Change password' });
    await change.getByLabel('Current password').fill(chosen);
    await change.getByLabel('New password', { exact: true }).fill(changed);
    await change.getByLabel('Confirm new password').fill(changed);
    await change.getByRole('button', { name: 'Change password' }).click();
    await expect(change.getByRole('status')).toHaveText('Password changed.');
    await userContext.close();
  });

  const pages: Source[] = [];
  await test.step('every page after a reload', async () => {
    const urls = [
      '/security/clients',
      ...Object.values(clients).flatMap((c) => [`/security/clients/${c.clientId}`, `/security/clients/${c.clientId}?tab=secrets`]),
      '/security/audit-log',
      ...Object.values(clients).map((c) => `/security/audit-log?client=${c.clientId}`),
      '/security/roles',
      '/security/users',
      '/account',
      '/account/security',
    ];
    for (const url of urls) {
      await page.goto(url);
      await page.reload();
      await expect(page.locator('main')).toBeVisible();
      pages.push({ where: `page HTML after reload of ${url}`, text: await page.content() });
    }
  });

  const storage: Source[] = [];
  await test.step("the browser's storage", async () => {
    const state = await context.storageState({ indexedDB: true });
    storage.push({ where: 'cookies', text: JSON.stringify(state.cookies, null, 1) });
    for (const o of state.origins) {
      // localStorage and, with indexedDB: true, every IndexedDB record of the origin.
      storage.push({ where: `storage state of ${o.origin}`, text: JSON.stringify(o, null, 1) });
    }
    const inPage = await page.evaluate(async () => {
      const dump = (s: Storage) => Object.fromEntries(Array.from({ length: s.length }, (_, i) => [s.key(i)!, s.getItem(s.key(i)!)]));
      const cacheEntries: string[] = [];
      if ('caches' in self) {
        for (const name of await caches.keys()) {
          const cache = await caches.open(name);
          for (const request of await cache.keys()) {
            const response = await cache.match(request);
            cacheEntries.push(`${name} ${request.url}\n${(await response?.text()) ?? ''}`);
          }
        }
      }
      const databases = 'databases' in indexedDB ? await indexedDB.databases() : [];
      return { local: dump(localStorage), session: dump(sessionStorage), cacheEntries, databases };
    });
    storage.push({ where: 'localStorage (page)', text: JSON.stringify(inPage.local, null, 1) });
    storage.push({ where: 'sessionStorage', text: JSON.stringify(inPage.session, null, 1) });
    storage.push({ where: 'Cache Storage', text: inPage.cacheEntries.join('\n\n') });
    storage.push({ where: 'IndexedDB databases', text: JSON.stringify(inPage.databases) });
    storage.push({ where: 'service workers', text: context.serviceWorkers().map((w) => w.url()).join('\n') });
    storage.push({ where: 'browser console', text: consoleLines.join('\n') });
  });

  await capture.settle();
  await context.close();
  await capture.settle();

  // Stop the server: its log is complete, and PGlite's folder may be opened by this process.
  await server.stop();
  const log = server.log();
  const database: Source[] = [];
  let auditEvents: Record<string, unknown>[] = [];
  const handle = await server.openDatabase();
  try {
    const rowsOf = async (query: string) =>
      ((await handle.db.execute(sql.raw(query))) as unknown as { rows: Record<string, unknown>[] }).rows;
    auditEvents = await rowsOf('select * from audit_events order by created_at, id');
    for (const row of auditEvents) database.push({ where: `audit_events row ${String(row.id)} (${String(row.action)})`, text: JSON.stringify(row) });
    const tables = await rowsOf(`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by 1`);
    for (const { table_name } of tables) {
      if (table_name === 'audit_events') continue;
      for (const [i, row] of (await rowsOf(`select * from "${String(table_name)}"`)).entries()) {
        database.push({ where: `${String(table_name)} row ${i + 1}`, text: JSON.stringify(row) });
      }
    }
  } finally {
    await handle.close();
  }

  // ---- The search ----
  const browserResponses = capture.responseSources();
  // The one response that carried each browser-issued secret: the first after its Save that holds it. (Nothing
  // before it can hold the secret, which did not exist yet; every later response that holds it is a hit.)
  const carriers = new Map<string, number>();
  for (const s of [...secrets, ...mfaSecrets].filter((x) => x.issuedAfter !== undefined)) {
    const carrier = browserResponses.find((r) => r.seq >= s.issuedAfter! && r.text.includes(s.value));
    expect(carrier, `the response that carried "${s.label}" was captured`).toBeTruthy();
    expect(carrier!.where, `"${s.label}" came in the answer to a POST`).toMatch(/^browser response #\d+ POST /);
    expect(carrier!.text, `${carrier!.where} may not be cached`).toMatch(/cache-control: [^\n]*no-store/i);
    carriers.set(s.value, carrier!.seq);
  }
  for (const s of secrets.filter((x) => x.issuedAfter === undefined)) {
    const handedOver = api.responses.filter((r) => r.carries === s.value && r.text.includes(s.value));
    expect(handedOver, `the 201 that handed over "${s.label}"`).toHaveLength(1);
    expect(handedOver[0].text, `${handedOver[0].where} may not be cached`).toMatch(/cache-control: [^\n]*no-store/i);
  }
  // Every answer the page got went through the recording route.
  expect(capture.unrouted, 'responses that bypassed the capture').toEqual([]);

  const logLines = log.trimEnd().split('\n');
  const logSource: Source = { where: 'server log', text: log };
  // One JSON line per event (lib/log), and one access log line per request: every request this test sent, with the
  // X-Request-Id it was given, has exactly one line with its method, path (never the query) and status.
  const entries = logLines.map((line, i) => {
    try {
      return JSON.parse(line) as Record<string, unknown>;
    } catch {
      throw new Error(`server log line ${i + 1} is not JSON: ${line.slice(0, 200)}`);
    }
  });
  for (const e of entries) {
    expect(typeof e.time, 'every log line has a time').toBe('string');
    expect(typeof e.level, 'every log line has a level').toBe('string');
    expect(typeof e.msg, 'every log line has a message').toBe('string');
  }
  const messages = entries.map((e) => String(e.msg));
  const accessLines = entries.filter((e) => e.log === 'access');
  const accessById = new Map<string, Record<string, unknown>[]>();
  for (const a of accessLines) accessById.set(String(a.requestId), [...(accessById.get(String(a.requestId)) ?? []), a]);
  const expected = [...capture.accessExpectations(), ...api.expectations];
  for (const x of expected) {
    // A server action that redirects has Next fetch the target page from this same server with the request's
    // headers: that inner request (another path) shares the id. The request itself has exactly one line.
    const lines = (accessById.get(x.requestId) ?? []).filter((l) => l.method === x.method && l.path === x.path);
    expect(lines.length, `access log lines for ${x.where}`).toBe(1);
    expect(lines[0].status, x.where).toBe(x.status);
    expect(typeof lines[0].durationMs, x.where).toBe('number');
    expect(lines[0].remoteAddress, x.where).toBeTruthy();
  }
  for (const a of accessLines) expect(String(a.path), 'an access log path never holds a query string').not.toContain('?');
  // The token endpoint's lines name the client (a client id is not a secret).
  const tokenLines = accessLines.filter((a) => a.path === '/identity/connect/token' && a.status === 200);
  expect(tokenLines.length).toBeGreaterThan(0);
  for (const a of tokenLines) expect(Object.values(clients).map((c) => c.clientId)).toContain(a.clientId);
  const sources: Source[] = [
    ...browserResponses,
    ...capture.requests,
    ...api.responses,
    logSource,
    ...database,
    ...storage,
    ...domAfterClose,
    ...pages,
  ];
  const exempt = (source: Source, secret: IssuedSecret) => {
    if ('seq' in source) return carriers.get(secret.value) === (source as { seq: number }).seq;
    if ('carries' in source) return (source as { carries?: string }).carries === secret.value;
    return false;
  };

  // Guard: the capture holds what it should, so a clean result means something.
  const everything = (list: Source[]) => list.map((s) => s.text).join('\n');
  const responsesText = everything(browserResponses);
  const auditText = everything(database.filter((d) => d.where.startsWith('audit_events')));
  const pagesText = everything(pages);
  for (const c of Object.values(clients)) {
    expect(responsesText, `browser responses mention ${c.clientId}`).toContain(c.clientId);
    expect(auditText, `audit events mention ${c.clientId}`).toContain(c.clientId);
    expect(pagesText, `reloaded pages mention ${c.clientId}`).toContain(c.clientId);
  }
  expect(messages.some((m) => m.includes('Console ready on'))).toBe(true);
  expect(messages.some((m) => m.includes(`[auth] failed sign-in for "${ADMIN_EMAIL}"`))).toBe(true);
  const actions = new Set(auditEvents.map((e) => String(e.action)));
  for (const action of ['client.created', 'secret.added', 'secret.updated', 'secret.removed', 'client.disabled', 'client.removed', 'client.auth_throttled']) {
    expect([...actions], `an audit event ${action}`).toContain(action);
  }
  // The search itself finds a secret where one is: each carrier, when not exempted.
  expect(findHits(browserResponses, [...secrets, ...mfaSecrets]).length).toBeGreaterThanOrEqual(carriers.size);

  const hits = findHits(sources, [...secrets, ...mfaSecrets, ...privateKeys], exempt);
  // The administrator's password and the server's AUTH_SECRET must not show up either (the sign-in request carries the password).
  for (const [label, value] of [
    ['ADMIN_PASSWORD', ADMIN_PASSWORD],
    ['WRONG_PASSWORD', WRONG_PASSWORD],
    ['AUTH_SECRET', AUTH_SECRET],
  ] as const) {
    for (const source of sources) {
      if (label.endsWith('_PASSWORD') && source.where.startsWith(`browser request POST ${origin}/sign-in`)) continue;
      if (source.text.includes(value)) hits.push({ secret: label, kind: 'whole', where: source.where, line: 0, context: '' });
    }
  }

  // A password shown once to the administrator arrives in exactly one answer (its dialog's), then nowhere; the
  // passwords the user chose appear nowhere at all (the database holds only their scrypt hashes).
  expect(shownPasswords).toHaveLength(2);
  for (const p of shownPasswords) {
    const carrier = browserResponses.find((r) => r.seq >= p.issuedAfter && r.text.includes(p.value));
    expect(carrier, `the response that carried the ${p.label}`).toBeTruthy();
    expect(carrier!.text, `${carrier!.where} may not be cached`).toMatch(/cache-control: [^\n]*no-store/i);
    for (const source of sources) {
      if ('seq' in source && (source as { seq: number }).seq === carrier!.seq) continue;
      if (source.text.includes(p.value)) hits.push({ secret: p.label, kind: 'whole', where: source.where, line: 0, context: '' });
    }
  }
  for (const p of chosenPasswords) {
    for (const source of sources) {
      if (source.text.includes(p.value)) hits.push({ secret: p.label, kind: 'whole', where: source.where, line: 0, context: '' });
    }
  }
  for (const action of ['user.password_reset', 'user.password_changed']) expect([...actions], `an audit event ${action}`).toContain(action);

  // Access, ID and refresh tokens and authorization codes: handed to the test by design, never written to the log.
  expect(api.issuedTokens.length).toBeGreaterThan(0);
  expect(authorizationCodes.length).toBeGreaterThan(0);
  for (const [label, value] of [
    ...api.issuedTokens.map((t) => [t.label, t.value] as const),
    ...authorizationCodes.map((c) => ['authorization code', c] as const),
  ]) {
    if (log.includes(value)) hits.push({ secret: label, kind: 'whole', where: 'server log', line: log.slice(0, log.indexOf(value)).split('\n').length, context: '' });
  }

  const n = (x: number) => x.toLocaleString('en-US');
  console.log(
    `secret-leak check: ${n(secrets.length)} secrets, ${n(mfaSecrets.length)} MFA secrets (TOTP seed, recovery codes), ${n(browserResponses.length)} browser responses, ` +
      `${n(capture.requests.length)} browser requests (${n(capture.failures.length)} abandoned by the page), ${n(api.responses.length)} API/token responses, ` +
      `${n(logLines.length)} log lines (${n(accessLines.length)} access, ${n(expected.length)} matched by request id), ${n(auditEvents.length)} audit events, ${n(database.length - auditEvents.length)} other database rows, ` +
      `${n(pages.length)} reloaded pages, ${n(storage.length)} storage areas, ${n(hits.length)} hits` +
      ` (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`,
  );
  for (const h of hits) console.log(`  HIT ${h.secret} [${h.kind}] in ${h.where}, line ${h.line}: ${h.context}`);
  expect(hits.map((h) => `${h.secret} [${h.kind}] in ${h.where}`)).toEqual([]);
});
