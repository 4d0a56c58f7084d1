import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import { expect, test, type Page } from '@playwright/test';
import { addClientViaUi, unique } from './clients-helpers';
import { shot } from './helpers';
import { axeViolations } from './ui-checks';

/*
 * Federated credentials in the console: Add Client with the GitHub Actions preset (the issuer's JWK Set pasted, since
 * this machine cannot reach GitHub: the tokens are made here with GitHub's issuer and claim names), Test a token with
 * a matching and a non-matching token (pass/fail per condition), a token over HTTP, and the secretless tenant policy
 * refusing Add Secret.
 */
const GITHUB = 'https://token.actions.githubusercontent.com';

function platformIssuer() {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `gh-${randomUUID().slice(0, 8)}`;
  const jwk = { ...(publicKey.export({ format: 'jwk' }) as Record<string, string>), kid, alg: 'RS256', use: 'sig' };
  return {
    jwks: JSON.stringify({ keys: [jwk] }),
    /** A GitHub Actions OIDC token for acme/api at `ref`, signed RS256. */
    token(audience: string, ref = 'refs/heads/main', key: KeyObject = privateKey) {
      const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
      const now = Math.floor(Date.now() / 1000);
      const claims = {
        jti: randomUUID(),
        sub: `repo:acme/api:ref:${ref}`,
        aud: audience,
        ref,
        repository: 'acme/api',
        repository_owner: 'acme',
        runner_environment: 'github-hosted',
        event_name: 'push',
        job_workflow_ref: `acme/api/.github/workflows/deploy.yml@${ref}`,
        iss: GITHUB,
        nbf: now - 5,
        iat: now - 5,
        exp: now + 300,
      };
      const input = `${b64({ alg: 'RS256', typ: 'JWT', kid })}.${b64(claims)}`;
      return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
    },
  };
}

async function tokenRequest(page: Page, clientId: string, assertion: string) {
  return page.request.post('/identity/connect/token', {
    form: {
      grant_type: 'client_credentials',
      client_id: clientId,
      client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
      client_assertion: assertion,
    },
  });
}

test('GitHub Actions preset in Add Client, Test a token (pass and fail per condition), a token over HTTP', async ({ page, baseURL }) => {
  const issuer = platformIssuer();
  const audience = `${baseURL}/identity`;
  await page.goto('/security/clients?add=client');
  await page.getByRole('dialog', { name: 'Add Client' }).getByRole('textbox', { name: 'Name', exact: true }).fill(unique('Deploy pipeline'));
  await page.getByRole('button', { name: 'Next' }).click();
  const step = page.getByRole('dialog', { name: 'Create Secret' });
  await step.getByRole('radio', { name: /Federated Credential/ }).check();
  await expect(step.getByRole('combobox', { name: 'Preset' })).toHaveValue('github_actions');
  await expect(step.getByRole('textbox', { name: 'Issuer', exact: true })).toHaveValue(GITHUB);
  await expect(step.getByRole('textbox', { name: 'Audience', exact: true })).toHaveValue(audience);
  await step.getByRole('textbox', { name: 'Name', exact: true }).fill('deploy-main');
  await expect(step.getByRole('radio', { name: /Matches glob/ })).toBeChecked();
  await step.getByRole('textbox', { name: 'Subject', exact: true }).fill('repo:acme/*:ref:refs/heads/main');
  // A new condition row takes the focus at its first field (the button that added it may be gone: "+ repository").
  await step.getByRole('button', { name: '+ repository' }).click();
  await expect(step.getByRole('textbox', { name: 'Claim 1', exact: true })).toBeFocused();
  await step.getByRole('combobox', { name: 'Operator 1' }).selectOption('glob');
  await step.getByRole('textbox', { name: 'Value 1', exact: true }).fill('acme/*');
  await step.getByRole('textbox', { name: 'Value 1', exact: true }).press('Tab');
  await step.getByRole('button', { name: 'Add Condition' }).click();
  await expect(step.getByRole('textbox', { name: 'Claim 2', exact: true })).toBeFocused();
  await page.keyboard.type('runner_environment');
  await page.keyboard.press('Tab');
  await expect(step.getByRole('combobox', { name: 'Operator 2' })).toBeFocused();
  await page.keyboard.press('Tab');
  await page.keyboard.type('github-hosted');
  await expect(step.getByRole('textbox', { name: 'Value 2', exact: true })).toHaveValue('github-hosted');
  // By keyboard: Enter on Add Condition, then the row's Remove; focus never drops to the page.
  await step.getByRole('button', { name: 'Add Condition' }).focus();
  await page.keyboard.press('Enter');
  await expect(step.getByRole('textbox', { name: 'Claim 3', exact: true })).toBeFocused();
  await step.getByRole('button', { name: 'Remove condition 3' }).click();
  await expect(step.getByRole('textbox', { name: 'Claim 3', exact: true })).toHaveCount(0);
  await expect(step.getByRole('button', { name: 'Add Condition' })).toBeFocused();
  await step.getByRole('radio', { name: /Paste JWKS/ }).check();
  await step.getByRole('textbox', { name: 'JWK Set', exact: true }).fill(issuer.jwks);
  await shot(page, 'add-client-federated-github');
  await step.getByRole('button', { name: 'Save' }).click();

  const dialog = page.getByRole('dialog', { name: 'Client Successfully Created' });
  const clientId = await dialog.getByRole('textbox', { name: 'Client Id' }).inputValue();
  await expect(dialog.getByRole('textbox', { name: 'Client Secret' })).toHaveCount(0);
  await dialog.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(dialog).toBeHidden();

  await page.goto(`/security/clients/${clientId}?tab=federated`);
  const panel = page.getByRole('tabpanel', { name: 'Federated Credentials (1)' });
  const row = panel.getByRole('table', { name: 'Federated Credentials' }).getByRole('row').filter({ hasText: 'deploy-main' });
  await expect(row).toContainText('repo:acme/*:ref:refs/heads/main');
  await expect(row).toContainText('Never used');

  // Test a token: a matching one passes every check.
  const test = panel.getByRole('form', { name: 'Test a token' });
  await test.getByLabel('Token or Claims').fill(issuer.token(audience));
  await test.getByRole('button', { name: 'Test Token' }).click();
  const results = panel.getByRole('region', { name: 'Test results' });
  await expect(results.getByText('Would be accepted')).toBeVisible();
  const checks = results.getByRole('list', { name: 'Checks of deploy-main' });
  await expect(checks.getByRole('listitem').filter({ hasText: 'Signature' })).toContainText('Pass');
  await expect(checks.getByRole('listitem').filter({ hasText: 'repository matches acme/*' })).toContainText('Pass');
  await shot(page, 'federated-test-token-pass');

  // A token from the dev branch: the subject fails, and says why; the other conditions still pass.
  await test.getByLabel('Token or Claims').fill(issuer.token(audience, 'refs/heads/dev'));
  await test.getByRole('button', { name: 'Test Token' }).click();
  await expect(results.getByText('Would be refused')).toBeVisible();
  const subject = checks.getByRole('listitem').filter({ hasText: 'sub matches repo:acme/*:ref:refs/heads/main' });
  await expect(subject).toContainText('Fail');
  await expect(subject).toContainText('sub repo:acme/api:ref:refs/heads/dev did not match repo:acme/*:ref:refs/heads/main');
  await expect(checks.getByRole('listitem').filter({ hasText: 'runner_environment equals github-hosted' })).toContainText('Pass');
  await shot(page, 'federated-test-token-fail');
  expect(await axeViolations(page)).toEqual([]);

  // Over HTTP: the platform token gets an access token; the dev-branch token gets invalid_client.
  const ok = await tokenRequest(page, clientId, issuer.token(audience));
  expect(ok.status()).toBe(200);
  expect((await ok.json()).token_type).toBe('Bearer');
  const refused = await tokenRequest(page, clientId, issuer.token(audience, 'refs/heads/dev'));
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
  // The refusal's reason reaches the credential's Last Failure (flushed every few seconds).
  await expect(async () => {
    await page.reload();
    await expect(row).toContainText('did not match repo:acme/*:ref:refs/heads/main', { timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await shot(page, 'federated-tab');
});

/** A Kubernetes projected service-account token (claims nested under "kubernetes.io"), signed ES256 by the cluster key. */
function kubernetesToken(privateKey: KeyObject, kid: string, audience: string, namespace: string, serviceAccount: string) {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    aud: [audience],
    exp: now + 3600,
    iat: now - 5,
    iss: 'https://kubernetes.default.svc.cluster.local',
    jti: randomUUID(),
    'kubernetes.io': {
      namespace,
      node: { name: 'node-1', uid: randomUUID() },
      pod: { name: `${serviceAccount}-7d9f8b6c5-x2x4z`, uid: randomUUID() },
      serviceaccount: { name: serviceAccount, uid: randomUUID() },
      warnafter: now + 3000,
    },
    nbf: now - 5,
    sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
  };
  const input = `${b64({ alg: 'ES256', kid })}.${b64(claims)}`;
  return `${input}.${sign('sha256', Buffer.from(input), { key: privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
}

test('Add Federated Credential on the tab: Kubernetes preset; a private key in the JWK Set is refused', async ({ page }) => {
  const { clientId } = await addClientViaUi(page);
  await page.goto(`/security/clients/${clientId}?tab=federated`);
  await page.getByRole('button', { name: 'Add Federated Credential' }).click();
  const pane = page.getByRole('dialog', { name: 'Add Federated Credential' });
  await pane.getByRole('combobox', { name: 'Preset' }).selectOption('kubernetes');
  await expect(pane.getByRole('radio', { name: /Paste JWKS/ })).toBeChecked();
  await expect(pane.getByRole('checkbox', { name: 'Accept each token only once' })).not.toBeChecked();
  await pane.getByRole('textbox', { name: 'Name', exact: true }).fill('payments-api');
  await pane.getByRole('textbox', { name: 'Subject', exact: true }).fill('system:serviceaccount:payments:api');
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  await pane.getByRole('textbox', { name: 'JWK Set', exact: true }).fill(JSON.stringify({ keys: [privateKey.export({ format: 'jwk' })] }));
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane.getByText('The JWK Set holds a private or secret key. Paste the public keys only: nothing was saved.')).toBeVisible();
  await pane.getByRole('textbox', { name: 'JWK Set', exact: true }).fill(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid: 'cluster-1' }] }));
  await shot(page, 'add-federated-kubernetes');
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  const row = page.getByRole('table', { name: 'Federated Credentials' }).getByRole('row').filter({ hasText: 'payments-api' });
  await expect(row).toContainText('pasted JWK Set (1 key)');
  await row.getByRole('button', { name: 'Remove Federated Credential payments-api' }).click();
  await page.getByRole('alertdialog', { name: 'Remove this federated credential?' }).getByRole('button', { name: 'Remove Federated Credential' }).click();
  await expect(page.getByRole('tab', { name: 'Federated Credentials (0)' })).toBeVisible();
});

test('Edit Federated Credential: nested Kubernetes claims, a wrong value refused at its field, disabled and enabled again (tokens over HTTP)', async ({ page, baseURL }) => {
  const audience = `${baseURL}/identity`;
  const { clientId } = await addClientViaUi(page);
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const kid = `cluster-${randomUUID().slice(0, 6)}`;
  await page.goto(`/security/clients/${clientId}?tab=federated&add=federated`);
  const add = page.getByRole('dialog', { name: 'Add Federated Credential' });
  await add.getByRole('combobox', { name: 'Preset' }).selectOption('kubernetes');
  await add.getByRole('textbox', { name: 'Name', exact: true }).fill('payments');
  await add.getByRole('textbox', { name: 'Subject', exact: true }).fill('system:serviceaccount:payments:api');
  await add.getByRole('textbox', { name: 'JWK Set', exact: true }).fill(JSON.stringify({ keys: [{ ...publicKey.export({ format: 'jwk' }), kid }] }));
  await add.getByRole('button', { name: 'Save' }).click();
  await expect(add).toBeHidden();
  const table = page.getByRole('table', { name: 'Federated Credentials' });
  const row = table.getByRole('row').filter({ hasText: 'payments' });
  await expect(row.getByText('Active')).toBeVisible();

  // Edit: the form holds the stored values; the subject becomes a glob, and two nested claims narrow it.
  await row.getByRole('button', { name: 'Edit Federated Credential payments' }).click();
  const pane = page.getByRole('dialog', { name: 'Edit Federated Credential' });
  await expect(page).toHaveURL(/[?&]edit=federated-\d+/);
  await expect(pane.getByRole('textbox', { name: 'Name', exact: true })).toHaveValue('payments');
  await expect(pane.getByRole('combobox', { name: 'Preset' })).toHaveValue('kubernetes');
  await expect(pane.getByRole('radio', { name: /Paste JWKS/ })).toBeChecked();
  await expect(pane.getByRole('textbox', { name: 'JWK Set', exact: true })).toHaveValue(new RegExp(`"kid": "${kid}"`));
  await expect(pane.getByRole('checkbox', { name: 'Enabled' })).toBeChecked();
  await pane.getByRole('radio', { name: /Matches glob/ }).check();
  await pane.getByRole('textbox', { name: 'Subject', exact: true }).fill('system:serviceaccount:payments:*');
  await pane.getByRole('button', { name: '+ /kubernetes.io/serviceaccount/name' }).click();
  await expect(pane.getByRole('textbox', { name: 'Claim 1', exact: true })).toHaveValue('/kubernetes.io/serviceaccount/name');
  await expect(pane.getByRole('combobox', { name: 'Operator 1' })).toHaveValue('one_of');
  const value1 = pane.getByRole('textbox', { name: 'Value 1', exact: true });
  await value1.fill('api, worker');
  await expect(value1).toHaveValue('api, worker');
  // Value 1 holds the focus before the press. Twice in CI on PGlite (loaded 2-core machine) the focus had left it
  // right after fill, for good, with Value 1 still marked invalid from the row check its Claim's blur started; the
  // cause is not found (no trace is kept in CI). What this test is about is the press, so the focus is put back first.
  await expect(async () => {
    await value1.focus();
    await expect(value1).toBeFocused({ timeout: 1000 });
  }).toPass({ timeout: 10_000 });
  // Pressing Add Condition leaves the focus in Value 1 until the release (no blur, so no message appears or goes and
  // moves the button from under the pointer): the press's default action, focusing the button, is prevented. Checked
  // on the event itself: a press by pointer coordinates (hover, mouse.down) lost Value 1's focus once in CI, on a
  // loaded machine, and never in 17 runs here; the cause is not known. The click then focuses the new row's Claim.
  const addCondition = pane.getByRole('button', { name: 'Add Condition' });
  const pressKeptFocus = await addCondition.evaluate((b) => !b.dispatchEvent(new MouseEvent('mousedown', { bubbles: true, cancelable: true, button: 0 })));
  expect(pressKeptFocus).toBe(true);
  await expect(value1).toBeFocused();
  await expect(value1).toHaveValue('api, worker');
  await addCondition.click();
  await expect(pane.getByRole('textbox', { name: 'Claim 2', exact: true })).toBeFocused();
  await page.keyboard.type('/kubernetes.io//namespace');
  await pane.getByRole('textbox', { name: 'Value 2', exact: true }).fill('payments');
  await pane.getByRole('textbox', { name: 'Maximum Token Age (minutes)' }).fill('0');
  await pane.getByRole('button', { name: 'Save' }).click();
  // Refused at the fields (the same schema as Add), and nothing saved.
  await expect(pane.getByText(/^A path to a nested claim starts with \//)).toBeVisible();
  await expect(pane.getByText('Enter a whole number of minutes from 1 to 1440.')).toBeVisible();
  await pane.getByRole('textbox', { name: 'Claim 2', exact: true }).fill('/kubernetes.io/namespace');
  await pane.getByRole('textbox', { name: 'Maximum Token Age (minutes)' }).fill('30');
  await shot(page, 'edit-federated-desktop');
  await page.setViewportSize({ width: 390, height: 844 });
  await pane.getByRole('button', { name: 'Add Condition' }).click();
  await expect(pane.getByRole('textbox', { name: 'Claim 3', exact: true })).toBeFocused();
  // A row added after the refused save starts without messages (it was not part of what was sent).
  await expect(pane.getByText('Enter a claim name.')).toHaveCount(0);
  await shot(page, 'edit-federated-phone');
  await pane.getByRole('button', { name: 'Remove condition 3' }).click();
  await expect(pane.getByRole('button', { name: 'Add Condition' })).toBeFocused();
  await page.setViewportSize({ width: 1280, height: 720 });
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  await expect(row).toContainText('sub matches system:serviceaccount:payments:*');
  await expect(row).toContainText('/kubernetes.io/serviceaccount/name one of api, worker');
  await expect(row).toContainText('/kubernetes.io/namespace = payments');
  await expect(row).toContainText('at most 30 min old');
  await expect(row.getByRole('button', { name: 'Edit Federated Credential payments' })).toBeFocused();

  const token = (namespace: string, serviceAccount: string) =>
    page.request.post('/identity/connect/token', {
      form: {
        grant_type: 'client_credentials',
        client_id: clientId,
        client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer',
        client_assertion: kubernetesToken(privateKey, kid, audience, namespace, serviceAccount),
      },
    });
  expect((await token('payments', 'worker')).status()).toBe(200);
  expect((await token('payments', 'cron')).status()).toBe(401);

  // Disabled: kept, shown as Disabled, accepts no token; enabled again, it does.
  await row.getByRole('button', { name: 'Edit Federated Credential payments' }).click();
  await pane.getByRole('checkbox', { name: 'Enabled' }).click();
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  await expect(row.getByText('Disabled')).toBeVisible();
  await expect.poll(async () => (await token('payments', 'api')).status()).toBe(401);
  await row.getByRole('button', { name: 'Edit Federated Credential payments' }).click();
  await pane.getByRole('checkbox', { name: 'Enabled' }).click();
  await pane.getByRole('button', { name: 'Save' }).click();
  await expect(pane).toBeHidden();
  await expect(row.getByText('Active')).toBeVisible();
  await expect.poll(async () => (await token('payments', 'api')).status()).toBe(200);

  // Audited, with the fields that changed.
  await page.goto(`/security/audit-log?client=${clientId}`);
  await expect(page.getByRole('table', { name: 'Audit events' }).getByRole('row').filter({ hasText: 'Federated credential edited' }).filter({ hasText: 'Changed: enabled' }).first()).toBeVisible();
});

test('the secretless tenant policy refuses Add Secret', { tag: '@tenant-wide' }, async ({ page }) => {
  const { clientId } = await addClientViaUi(page);
  await page.goto('/security/settings');
  const form = page.getByRole('form', { name: 'Credential Policy' });
  const secretless = form.getByRole('checkbox', { name: 'Clients may only use keys and federated credentials (no secrets)' });
  try {
    await secretless.click();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
    await page.goto(`/security/clients/${clientId}?tab=secrets&add=secret`);
    const pane = page.getByRole('dialog', { name: 'Add Secret' });
    await pane.getByRole('button', { name: 'Save' }).click();
    await expect(pane.getByRole('alert')).toContainText('Your tenant\'s credential policy allows only keys and federated credentials for clients: no new secrets.');
    await shot(page, 'add-secret-secretless-refused');
  } finally {
    await page.goto('/security/settings');
    if (await secretless.isChecked()) await secretless.click();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
  }
});
