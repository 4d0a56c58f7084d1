import { generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { addClientViaUi, localInput, unique } from './clients-helpers';
import { shot } from './helpers';

/*
 * Secretless clients in the console: the Keys tab (Add Key, refusal of a private key, Remove Key), Add Client with a
 * public key (the one-time window shows only the Client Id), and Security > Settings (the credential policy, refused
 * at the field in Add Secret). Each key pair is made here; the token endpoint is called with a signed assertion.
 */

function keyPair() {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return {
    publicPem: publicKey.export({ type: 'spki', format: 'pem' }).toString(),
    privatePem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    /** A client assertion (RFC 7523) signed with the private key. */
    assertion(clientId: string, audience: string) {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const input = `${b64({ alg: 'ES256', typ: 'JWT' })}.${b64({ iss: clientId, sub: clientId, aud: audience, iat: now, exp: now + 60, jti: randomUUID() })}`;
      const sig = sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
      return `${input}.${sig}`;
    },
  };
}

async function tokenStatus(page: Page, clientId: string, assertion: string) {
  const res = await page.request.post('/identity/connect/token', {
    form: {
      grant_type: 'client_credentials',
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    },
  });
  return res.status();
}

const keyRow = (page: Page, text: string) => page.getByRole('table', { name: 'Keys' }).getByRole('row').filter({ hasText: text });

test('Keys tab: a private key is refused at the field, a public key is added and gets tokens, Remove Key stops it', async ({ page, baseURL }) => {
  const { clientId } = await addClientViaUi(page);
  await page.goto(`/security/clients/${clientId}?tab=keys`);
  const panel = page.getByRole('tabpanel', { name: 'Keys (0)' });
  await expect(panel.getByText('This client has no public keys.')).toBeVisible();
  await panel.getByRole('button', { name: 'Add Key' }).click();
  const pane = page.getByRole('dialog', { name: 'Add Key' });
  const pair = keyPair();

  // The private key: refused in the browser, so it is never sent.
  const sent: string[] = [];
  page.on('request', (r) => sent.push(r.postData() ?? ''));
  await pane.getByRole('textbox', { name: 'Public Key' }).fill(pair.privatePem);
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane.getByText('This is a private key. Paste the public key only')).toBeVisible();
  await shot(page, 'add-key-private-refused');
  expect(sent.some((body) => body.includes('PRIVATE KEY'))).toBe(false);

  await pane.getByRole('textbox', { name: 'Public Key' }).fill(pair.publicPem);
  await pane.getByLabel('Description').fill('edge gateway');
  await pane.getByLabel('Expiration Date').fill(localInput(30));
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  const row = keyRow(page, 'edge gateway');
  await expect(row).toContainText('ES256');
  await expect(row).toContainText('Never used');
  await expect(page.getByRole('tab', { name: 'Keys (1)' })).toBeVisible();
  await shot(page, 'keys-tab');

  const audience = `${baseURL}/identity/connect/token`;
  expect(await tokenStatus(page, clientId, pair.assertion(clientId, audience))).toBe(200);

  await row.getByRole('button', { name: /^Remove Key edge gateway/ }).click();
  const confirm = page.getByRole('alertdialog', { name: 'Remove this key?' });
  await confirm.getByRole('button', { name: 'Remove Key' }).click();
  await expect(page.getByRole('tab', { name: 'Keys (0)' })).toBeVisible();
  expect(await tokenStatus(page, clientId, pair.assertion(clientId, audience))).toBe(401);
});

test('Add Client with a public key: the one-time window shows only the Client Id, and the key gets a token', async ({ page, baseURL }) => {
  const name = unique('Keyed client');
  const pair = keyPair();
  await page.goto('/security/clients?add=client');
  await page.getByRole('dialog', { name: 'Add Client' }).getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Next' }).click();
  const step = page.getByRole('dialog', { name: 'Create Secret' });
  await expect(step.getByRole('radio', { name: /Client Secret/ })).toBeChecked();
  await step.getByRole('radio', { name: /Public Key/ }).check();
  await step.getByRole('textbox', { name: 'Public Key' }).fill(pair.publicPem);
  await shot(page, 'add-client-public-key');
  await step.getByRole('button', { name: 'Save' }).click();
  const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
  const clientId = await dialog.getByRole('textbox', { name: 'Client Id' }).inputValue();
  await expect(dialog.getByRole('textbox', { name: 'Client Secret' })).toHaveCount(0);
  await shot(page, 'client-created-with-key');
  // Nothing secret to lose: Close closes at once.
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();

  expect(await tokenStatus(page, clientId, pair.assertion(clientId, `${baseURL}/identity`))).toBe(200);
  await page.goto(`/security/clients/${clientId}?tab=secrets`);
  await expect(page.getByRole('tab', { name: 'Secrets (0)' })).toBeVisible();
  await expect(page.getByRole('tab', { name: 'Keys (1)' })).toBeVisible();
});

test('Security > Settings: the credential policy is saved and Add Secret is refused at the field', { tag: '@tenant-wide' }, async ({ page }) => {
  const { clientId } = await addClientViaUi(page);
  await page.goto('/security/clients');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Settings' }).click();
  await expect(page.getByRole('heading', { name: 'Settings', level: 1 })).toBeVisible();
  const form = page.getByRole('form', { name: 'Credential Policy' });
  try {
    await form.getByRole('radio', { name: 'Limit secrets to a number of days' }).check();
    await form.getByLabel('Maximum Lifetime (days)').fill('0');
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByText('Enter a whole number of days from 1 to 3650, or choose No limit.')).toBeVisible();
    await form.getByLabel('Maximum Lifetime (days)').fill('30');
    await form.getByRole('checkbox', { name: 'Allow Never Expires' }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
    await shot(page, 'settings-policy');
    await page.reload();
    await expect(form.getByLabel('Maximum Lifetime (days)')).toHaveValue('30');
    await expect(form.getByRole('checkbox', { name: 'Allow Never Expires' })).not.toBeChecked();

    await page.goto(`/security/clients/${clientId}?tab=secrets&add=secret`);
    const pane = page.getByRole('dialog', { name: 'Add Secret' });
    await pane.getByRole('button', { name: 'Save' }).click(); // the default: one year from now
    await expect(pane.getByText(/credential policy allows secrets to live at most 30 days/)).toBeVisible();
    await pane.getByRole('checkbox', { name: 'Never Expires' }).click();
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane.getByText('Your tenant\'s credential policy does not allow secrets that never expire. Choose an expiration date.')).toBeVisible();
    await shot(page, 'add-secret-policy-refused');
    await pane.getByRole('checkbox', { name: 'Never Expires' }).click();
    await pane.getByLabel('Expiration Date').fill(localInput(20));
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByRole('dialog', { name: 'Secret Successfully Created' })).toBeVisible();
  } finally {
    // Other specs share this tenant: back to no limit, Never Expires allowed.
    await page.goto('/security/settings');
    await form.getByRole('radio', { name: 'No limit' }).check();
    const allow = form.getByRole('checkbox', { name: 'Allow Never Expires' });
    if (!(await allow.isChecked())) await allow.click();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
  }
});
