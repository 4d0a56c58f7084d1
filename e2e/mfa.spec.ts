/**
 * Multi-factor authentication in Chromium, against the production server (scripts/e2e-server.ts seeds "MFA Tenant",
 * which keeps the product default: multi-factor authentication required of its Tenant Administrators). Each test
 * signs in as its own administrator of that tenant. TOTP codes are computed with otpauth, the library the server uses;
 * passkeys come from Chromium's virtual authenticator (CDP WebAuthn domain).
 */
import { expect, test, type Page } from '@playwright/test';
import { Secret, TOTP } from 'otpauth';
import { hydrated, PASSWORD, shot, signIn, copyThenClose } from './helpers';
import { axeViolations } from './ui-checks';

test.use({ storageState: { cookies: [], origins: [] } });

const TOTP_USER = 'mfa-totp@example.com';
const PASSKEY_USER = 'mfa-passkey@example.com';
const RESET_USER = 'mfa-reset@example.com';
const ACTING_ADMIN = 'mfa-admin@example.com';
const STEP_MS = 30_000;

function codeAt(key: string, timestamp: number) {
  return new TOTP({ secret: Secret.fromBase32(key), digits: 6, period: 30, algorithm: 'SHA1' }).generate({ timestamp });
}

async function axe(page: Page, state: string) {
  expect(await axeViolations(page), `axe: ${state}`).toEqual([]);
}

async function signOut(page: Page) {
  await page.getByRole('button', { name: /account menu/ }).click();
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

async function passwordStep(page: Page, email: string) {
  await page.goto('/sign-in');
  await signIn(page, email, PASSWORD);
}

async function enterCode(page: Page, code: string) {
  const form = page.getByRole('form', { name: 'Verify your sign-in' });
  await form.getByLabel('Authentication code').fill(code);
  await form.getByRole('button', { name: 'Verify' }).click();
}

const REFUSED = 'That code is not right, or it was already used.';

/** Chromium's virtual authenticator: a platform authenticator with resident keys and user verification. */
async function virtualAuthenticator(page: Page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('WebAuthn.enable');
  const { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', {
    options: {
      protocol: 'ctap2',
      transport: 'internal',
      hasResidentKey: true,
      hasUserVerification: true,
      isUserVerified: true,
      automaticPresenceSimulation: true,
    },
  });
  return { cdp, authenticatorId };
}

test('an administrator must enrol first; then password + authenticator code, a reused code refused, a recovery code once', async ({ page }) => {
  test.setTimeout(120_000);
  let key = '';
  let recovery: string[] = [];
  let enrolledAt = 0;

  await test.step('the tenant requires MFA: every Security page sends the administrator to enrol first', async () => {
    await passwordStep(page, TOTP_USER);
    await expect(page).toHaveURL(/\/account\/security$/);
    await expect(page.getByRole('heading', { name: 'Multi-factor authentication', level: 1 })).toBeVisible();
    await expect(page.getByRole('alert').filter({ hasText: 'Set up multi-factor authentication to continue' })).toBeVisible();
    for (const path of ['/overview', '/security/clients', '/security/users', '/security/settings', '/security/audit-log', '/account']) {
      await page.goto(path);
      await expect(page, path).toHaveURL(/\/account\/security$/);
    }
    await axe(page, 'enrolment required');
    await shot(page, 'mfa-enrolment-required');
  });

  await test.step('set up the authenticator app from the manual key, confirm with a code, see 10 recovery codes once', async () => {
    await page.getByRole('button', { name: 'Set up authenticator app' }).click();
    const setup = page.getByRole('form', { name: 'Set up authenticator app' });
    await expect(setup.getByRole('img', { name: /QR code/ })).toBeVisible();
    key = (await setup.getByRole('textbox', { name: 'Setup key' }).inputValue()).replace(/\s/g, '');
    expect(key).toMatch(/^[A-Z2-7]{32}$/);
    await axe(page, 'authenticator app setup');
    await shot(page, 'mfa-totp-setup');
    // A wrong code is refused at the field.
    const wrong = String((Number(codeAt(key, Date.now())) + 1) % 1_000_000).padStart(6, '0');
    await setup.getByLabel('Authentication code').fill(wrong);
    await setup.getByRole('button', { name: 'Verify' }).click();
    await expect(setup.getByText('That code is not right')).toBeVisible();
    enrolledAt = Date.now();
    await setup.getByLabel('Authentication code').fill(codeAt(key, enrolledAt));
    await setup.getByRole('button', { name: 'Verify' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save your recovery codes' });
    const items = dialog.getByRole('list', { name: 'Recovery codes' }).getByRole('listitem');
    await expect(items).toHaveCount(10);
    recovery = await items.allInnerTexts();
    for (const c of recovery) expect(c).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
    await axe(page, 'recovery codes dialog');
    await shot(page, 'mfa-recovery-codes');
    await copyThenClose(dialog, 'Copy Recovery Codes');
    await expect(dialog).toBeHidden();
    await expect(page.getByRole('status').filter({ hasText: 'Authenticator app set up' })).toBeVisible();
    await expect(page.getByTestId('recovery-codes-left')).toHaveText('10 of 10 recovery codes left.');
    await expect(page.getByRole('button', { name: 'Remove authenticator app' })).toBeVisible();
    // The Security pages open now.
    await page.goto('/security/clients');
    await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  });

  await test.step('sign out; password then code; the code used to enrol is refused as a replay', async () => {
    await signOut(page);
    await passwordStep(page, TOTP_USER);
    await expect(page).toHaveURL(/\/sign-in\/verify$/);
    await expect(page.getByRole('heading', { name: 'Verify your sign-in' })).toBeVisible();
    await axe(page, 'second step');
    await shot(page, 'mfa-second-step');
    await enterCode(page, codeAt(key, enrolledAt));
    await expect(page.getByText(REFUSED)).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in\/verify$/);
    // The next step's code (within the accepted window, not used yet) signs in.
    await enterCode(page, codeAt(key, enrolledAt + STEP_MS));
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByTestId('signed-in-user')).toContainText(TOTP_USER);
  });

  await test.step('a recovery code signs in once', async () => {
    await signOut(page);
    await passwordStep(page, TOTP_USER);
    await enterCode(page, recovery[0].toUpperCase());
    await expect(page).toHaveURL(/\/overview$/);
    await signOut(page);
    await passwordStep(page, TOTP_USER);
    await enterCode(page, recovery[0]);
    await expect(page.getByText(REFUSED)).toBeVisible();
    await enterCode(page, recovery[1]);
    await expect(page).toHaveURL(/\/overview$/);
    await page.goto('/account/security');
    await expect(page.getByTestId('recovery-codes-left')).toHaveText('8 of 10 recovery codes left.');
  });

  await test.step('the audit log has the enrolment, the codes, the refusals and the recovery codes used', async () => {
    await page.goto('/security/audit-log');
    const table = page.getByRole('table');
    await expect(table.getByText('Authenticator app set up').first()).toBeVisible();
    await expect(table.getByText('Recovery codes generated').first()).toBeVisible();
    await expect(table.getByText('Second factor refused at sign-in').first()).toBeVisible();
    await expect(table.getByText('Recovery code used to sign in').first()).toBeVisible();
    const text = await page.content();
    expect(text).not.toContain(key);
    for (const c of recovery) expect(text).not.toContain(c);
  });
});

test('passkeys: register one, sign in with it alone, and still sign in with it while the password is locked', async ({ page }) => {
  test.setTimeout(120_000);
  await virtualAuthenticator(page);

  await test.step('register a named passkey (the administrator is sent to enrol first)', async () => {
    await passwordStep(page, PASSKEY_USER);
    await expect(page).toHaveURL(/\/account\/security$/);
    const form = page.getByRole('form', { name: 'Add passkey' });
    await form.getByRole('button', { name: 'Add passkey' }).click();
    await expect(form.getByText('Give the passkey a name')).toBeVisible();
    await form.getByLabel('Passkey name').fill('Virtual laptop');
    await form.getByRole('button', { name: 'Add passkey' }).click();
    const dialog = page.getByRole('dialog', { name: 'Save your recovery codes' });
    await expect(dialog.getByRole('listitem')).toHaveCount(10);
    await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    await page.getByRole('alertdialog', { name: 'Close without saving the recovery codes?' }).getByRole('button', { name: 'Close without saving' }).click();
    const passkeys = page.getByRole('table', { name: 'Passkeys' });
    await expect(passkeys.getByRole('cell', { name: 'Virtual laptop', exact: true })).toBeVisible();
    await axe(page, 'passkey registered');
    await shot(page, 'mfa-passkey-registered');
  });

  await test.step('sign out; password, then "Use a passkey" as the second step', async () => {
    await signOut(page);
    await passwordStep(page, PASSKEY_USER);
    await expect(page).toHaveURL(/\/sign-in\/verify$/);
    await expect(page.getByText('Use your passkey, or enter one of your recovery codes.')).toBeVisible();
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByTestId('signed-in-user')).toContainText(PASSKEY_USER);
  });

  await test.step('sign out, then "Sign in with a passkey" alone', async () => {
    await signOut(page);
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByTestId('signed-in-user')).toContainText(PASSKEY_USER);
  });

  await test.step('a stranger locks the password; the owner still signs in with the passkey', async () => {
    await signOut(page);
    const form = page.getByRole('form', { name: 'Sign in' });
    let locked = false;
    for (let i = 0; i < 15 && !locked; i++) {
      await signIn(page, PASSKEY_USER, `wrong-${i}`);
      await expect(form.getByRole('alert')).toBeVisible();
      locked = /Too many failed sign-in attempts/.test((await form.getByRole('alert').textContent()) ?? '');
    }
    expect(locked).toBe(true);
    // The right password is refused while locked...
    await signIn(page, PASSKEY_USER, PASSWORD);
    await expect(form.getByRole('alert')).toContainText('Too many failed sign-in attempts');
    // ...the passkey is not.
    await page.getByRole('button', { name: 'Sign in with a passkey' }).click();
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByTestId('signed-in-user')).toContainText(PASSKEY_USER);
  });

  await test.step('remove the passkey: a wrong password is refused at the field, the right one removes it', async () => {
    await page.goto('/account/security');
    await page.getByRole('button', { name: 'Remove passkey Virtual laptop' }).click();
    const dialog = page.getByRole('dialog', { name: 'Remove passkey “Virtual laptop”?' });
    await dialog.getByLabel('Current password or authentication code').fill('not-my-password');
    await dialog.getByRole('button', { name: 'Remove passkey' }).click();
    await expect(dialog.getByText('That is not your current password')).toBeVisible();
    await axe(page, 'remove passkey: proof refused');
    await dialog.getByLabel('Current password or authentication code').fill(PASSWORD);
    await dialog.getByRole('button', { name: 'Remove passkey' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByText('No passkeys yet.')).toBeVisible();
    // No factor left in a tenant that requires one: the rest of the console is closed again.
    await page.goto('/security/clients');
    await expect(page).toHaveURL(/\/account\/security$/);
  });
});

/** Sign in (password only: no factor yet), get sent to enrol, set up the authenticator app; returns its key. */
async function enrolAuthenticatorApp(page: Page, email: string): Promise<string> {
  await passwordStep(page, email);
  await expect(page).toHaveURL(/\/account\/security$/);
  await page.getByRole('button', { name: 'Set up authenticator app' }).click();
  const setup = page.getByRole('form', { name: 'Set up authenticator app' });
  const key = (await setup.getByRole('textbox', { name: 'Setup key' }).inputValue()).replace(/\s/g, '');
  await setup.getByLabel('Authentication code').fill(codeAt(key, Date.now()));
  await setup.getByRole('button', { name: 'Verify' }).click();
  const dialog = page.getByRole('dialog', { name: 'Save your recovery codes' });
  await copyThenClose(dialog, 'Copy Recovery Codes');
  await expect(dialog).toBeHidden();
  return key;
}

test('Reset MFA ends the user\'s sessions and removes their factors; the tenant setting decides whether they must enrol again', async ({
  page,
  browser,
}) => {
  test.setTimeout(120_000);
  const other = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const theirs = await other.newPage();

  await test.step('two administrators of the tenant set up authenticator apps', async () => {
    await enrolAuthenticatorApp(theirs, RESET_USER);
    await theirs.goto('/security/clients');
    await expect(theirs.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
    await enrolAuthenticatorApp(page, ACTING_ADMIN);
  });

  await test.step('Security > Users: Reset MFA of the other administrator', async () => {
    await page.goto('/security/users');
    const row = page.getByRole('row').filter({ hasText: RESET_USER });
    await expect(row.getByRole('cell', { name: 'Authenticator app', exact: true })).toBeVisible();
    await row.getByRole('button', { name: `Reset MFA of ${RESET_USER}` }).click();
    const confirm = page.getByRole('alertdialog', { name: `Reset multi-factor authentication of ${RESET_USER}?` });
    await axe(page, 'Reset MFA confirmation');
    await confirm.getByRole('button', { name: 'Reset MFA' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Multi-factor authentication of ${RESET_USER} reset` })).toBeVisible();
    await expect(row.getByRole('cell', { name: 'None', exact: true })).toBeVisible();
    await expect(row.getByRole('button', { name: `Reset MFA of ${RESET_USER}` })).toHaveCount(0);
  });

  await test.step('their session ended; signing in again asks for no code and sends them to enrol', async () => {
    await theirs.goto('/security/clients');
    await expect(theirs).toHaveURL(/\/sign-in/);
    await passwordStep(theirs, RESET_USER);
    await expect(theirs).toHaveURL(/\/account\/security$/);
  });

  await test.step('Security > Settings: with the requirement off they may go on without a factor; on again, they may not', async () => {
    await page.goto('/security/settings');
    const form = page.getByRole('form', { name: 'Multi-factor Authentication' });
    const box = form.getByRole('checkbox', { name: 'Require multi-factor authentication for Tenant Administrators' });
    await expect(box).toBeChecked();
    await hydrated(form);
    await axe(page, 'settings with the MFA requirement');
    await box.click();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
    await theirs.goto('/security/clients');
    await expect(theirs.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
    await box.click();
    await form.getByRole('button', { name: 'Save' }).click();
    await expect(form.getByRole('status')).toHaveText('Saved.');
    await theirs.goto('/security/roles');
    await expect(theirs).toHaveURL(/\/account\/security$/);
    await page.goto('/security/audit-log');
    await expect(page.getByRole('table').getByText('Multi-factor authentication reset').first()).toBeVisible();
    await expect(page.getByRole('table').getByText('Multi-factor requirement changed').first()).toBeVisible();
  });
  await other.close();
});
