import { spawn, type ChildProcess } from 'node:child_process';
import { expect, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { ADMIN_EMAIL, hydrated, shot, signIn, copyThenClose } from './helpers';
import { axeViolations } from './ui-checks';

/**
 * Console sessions are rows on the server (lib/auth/sessions.ts): sign out, "Sign out everywhere else", a password
 * change and an administrator's reset end them at the next request, on every instance, and a copied cookie dies
 * with its row. Passwords: Change password on /account, the common-passwords rule at the field, and "Choose your
 * password" after an administrator set one. The sign-in lock is shown and cleared on Security > Users.
 *
 * Each test makes its own user (Invite User, then the forced first password), so ending sessions never touches the
 * administrator session the other specs share.
 */
// Several sign-ins (each a password hash) and axe audits per test: 30 to 40 s on an idle 2-core machine beside the
// other worker, and over 90 s once when the machine had more to do. Room for that, not for a hang.
test.describe.configure({ timeout: 180_000 });

const SIGNED_OUT = { storageState: { cookies: [], origins: [] } };
const unique = () => `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const SESSION_COOKIE = 'authjs.session-token';

type Person = { email: string; password: string };

/** axe as in e2e/a11y.spec.ts (WCAG 2.0/2.1 A and AA plus best practices): the new pages and dialogs have 0 violations. */
async function audit(page: Page, state: string) {
  expect.soft(await axeViolations(page), `axe violations in "${state}"`).toEqual([]);
}

/** Invite a user as the administrator (this page is signed in as one), returning the initial password. */
async function invite(admin: Page, label: string): Promise<Person> {
  const email = `${label}-${unique()}@example.com`;
  await admin.goto('/security/users?invite=user');
  const pane = admin.getByRole('dialog', { name: 'Invite User' });
  await pane.getByLabel('Email').fill(email);
  await pane.getByLabel('Name').fill(`Sam ${label}`);
  await pane.getByRole('button', { name: 'Save' }).click();
  const dialog = admin.getByRole('dialog', { name: 'User Successfully Invited' });
  const password = await dialog.getByRole('textbox', { name: 'Initial Password' }).inputValue();
  await copyThenClose(dialog, 'Copy Initial Password');
  await expect(dialog).toBeHidden();
  return { email, password };
}

async function choosePassword(page: Page, password: string) {
  await expect(page.getByRole('heading', { name: 'Choose your password' })).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill(password);
  await page.getByLabel('Confirm new password').fill(password);
  await page.getByRole('button', { name: 'Set password and continue' }).click();
}

/** A browser of its own, signed in as `who` (through "Choose your password" when `firstPassword` is given). */
async function browserSignedIn(browser: Browser, who: Person, opts: { firstPassword?: string; userAgent?: string } = {}) {
  const context = await browser.newContext({ ...SIGNED_OUT, ...(opts.userAgent ? { userAgent: opts.userAgent } : {}) });
  const page = await context.newPage();
  await page.goto('/sign-in?callbackUrl=%2Faccount');
  await signIn(page, who.email, who.password);
  if (opts.firstPassword) await choosePassword(page, opts.firstPassword);
  await expect(page.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
  return { context, page };
}

/** A user who has chosen their own password, and one browser signed in as them. */
async function activeUser(browser: Browser, admin: Page, label: string, userAgent?: string) {
  const invited = await invite(admin, label);
  const person = { email: invited.email, password: `${label} picks a long passphrase ${unique()}` };
  const first = await browserSignedIn(browser, invited, { firstPassword: person.password, userAgent });
  return { person, ...first };
}

async function sessionCookie(context: BrowserContext): Promise<string> {
  const c = (await context.cookies()).find((k) => k.name === SESSION_COOKIE);
  expect(c, 'a session cookie after sign-in').toBeTruthy();
  return `${SESSION_COOKIE}=${c!.value}`;
}

/** The header's Sign out, inside the account menu. */
async function signOut(page: Page) {
  await page.getByRole('button', { name: /account menu/ }).click();
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}

/** A request with a copied cookie, as an attacker would send it (no redirects followed). */
const withCookie = (url: string, cookie: string) => fetch(url, { headers: { Cookie: cookie }, redirect: 'manual' });

test('a copied cookie is refused after sign-out, and /api/auth/session then mints nothing', async ({ browser, page: admin }) => {
  const { person, context, page } = await activeUser(browser, admin, 'copied');
  const cookie = await sessionCookie(context);

  // While signed in, the copy works like the original.
  expect((await withCookie(`${baseURL}/account`, cookie)).status).toBe(200);
  const live = await withCookie(`${baseURL}/api/auth/session`, cookie);
  expect(((await live.json()) as { user?: { email?: string } }).user?.email).toBe(person.email);

  await signOut(page);

  const account = await withCookie(`${baseURL}/account`, cookie);
  expect(account.status).toBe(307);
  expect(account.headers.get('location')).toContain('/sign-in');
  const session = await withCookie(`${baseURL}/api/auth/session`, cookie);
  expect(session.status).toBe(200);
  expect(await session.json()).toBeNull();
  // No fresh cookie: at most an instruction to delete the dead one.
  for (const set of session.headers.getSetCookie()) {
    if (set.startsWith(`${SESSION_COOKIE}=`)) expect(set).toMatch(new RegExp(`^${SESSION_COOKIE}=;`));
  }
  await context.close();
});

test('the sessions list shows two browsers; "Sign out everywhere else" ends the other one at its next request', async ({ browser, page: admin }) => {
  const firefox = 'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';
  const { person, context: a, page: pageA } = await activeUser(browser, admin, 'two-browsers', firefox);
  const { context: b, page: pageB } = await browserSignedIn(browser, person);

  await pageB.goto('/account');
  const list = pageB.getByRole('table', { name: 'Sessions' });
  await expect(list.getByRole('row')).toHaveCount(3); // header + two sessions
  await expect(list.getByRole('row').filter({ hasText: 'This browser' })).toHaveCount(1);
  await expect(list.getByRole('row').filter({ hasText: 'Firefox 128 on Linux' })).toContainText('Password');
  await shot(pageB, 'account-sessions');
  await audit(pageB, 'account: two sessions');

  await pageB.getByRole('button', { name: 'Sign out everywhere else' }).click();
  await expect(pageB.getByRole('status').filter({ hasText: 'Signed out of 1 other session.' })).toBeVisible();
  await expect(list.getByRole('row')).toHaveCount(2);

  // Browser A's next request finds its session gone.
  await pageA.goto('/security/clients');
  await expect(pageA).toHaveURL(/\/sign-in\?callbackUrl=/);
  // B is still signed in.
  await pageB.goto('/account');
  await expect(pageB.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();

  // "Sign out" on one row ends just that session.
  const { page: pageC } = await browserSignedIn(browser, person);
  await pageB.reload();
  await expect(list.getByRole('row')).toHaveCount(3);
  await list.getByRole('row').filter({ hasNotText: 'This browser' }).getByRole('button', { name: /^Sign out / }).click();
  await expect(list.getByRole('row')).toHaveCount(2);
  await pageC.goto('/account');
  await expect(pageC).toHaveURL(/\/sign-in\?callbackUrl=/);

  await a.close();
  await b.close();
  await pageC.context().close();
});

test('change password: weak and common passwords are refused at the field; then other sessions end and the old password fails', async ({ browser, page: admin }) => {
  const { person, context: a, page: pageA } = await activeUser(browser, admin, 'changer');
  const { context: b, page: pageB } = await browserSignedIn(browser, person);
  const form = pageB.getByRole('form', { name: 'Change password' });

  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('Enter your current password.')).toBeVisible();
  await form.getByLabel('Current password').fill(person.password);
  for (const [weak, message] of [
    ['short', 'Use at least 12 characters.'],
    ['password1234', 'This password is too common.'],
    ['Dragon2024!!', 'This password is too common.'],
    ['aaaaaaaaaaaaaaaa', 'This password repeats too few characters.'],
  ]) {
    await form.getByLabel('New password', { exact: true }).fill(weak);
    await form.getByLabel('Confirm new password').fill(weak);
    await form.getByRole('button', { name: 'Change password' }).click();
    await expect(form.getByText(message)).toBeVisible();
  }
  await shot(pageB, 'change-password-common');
  await audit(pageB, 'account: password refused at the field');

  // A wrong current password is named at its field (checked on the server).
  const next = `a brand new passphrase ${unique()}`;
  await form.getByLabel('Current password').fill('not my password at all');
  await form.getByLabel('New password', { exact: true }).fill(next);
  await form.getByLabel('Confirm new password').fill(next);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByText('The current password is not correct.')).toBeVisible();

  await form.getByLabel('Current password').fill(person.password);
  await form.getByRole('button', { name: 'Change password' }).click();
  await expect(form.getByRole('status')).toHaveText('Password changed. 1 other session was signed out.');
  await expect(form.getByLabel('Current password')).toHaveValue('');

  // This browser stays signed in, the other one is out.
  await pageB.goto('/account');
  await expect(pageB.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();
  await pageA.goto('/account');
  await expect(pageA).toHaveURL(/\/sign-in\?callbackUrl=/);
  // The old password no longer signs in; the new one does.
  await signIn(pageA, person.email, person.password);
  await expect(pageA.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText('Incorrect email or password.');
  await signIn(pageA, person.email, next);
  await expect(pageA.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();

  await a.close();
  await b.close();
});

test('an administrator resets a password: sessions end, the one-time password must be replaced at the next sign-in', async ({ browser, page }) => {
  const { person, context, page: user } = await activeUser(browser, page, 'reset');

  await page.goto('/security/users');
  const row = page.getByRole('row').filter({ hasText: person.email });
  await expect(row).toContainText('1 open session');
  await row.getByRole('button', { name: `Sign-in options for ${person.email}` }).click();
  await audit(page, 'users: Sign-in menu open');
  await page.getByRole('menuitem', { name: 'Reset password' }).click();
  const confirm = page.getByRole('alertdialog', { name: `Reset the password of ${person.email}?` });
  await expect(confirm).toBeVisible();
  await audit(page, 'users: Reset password confirmation');
  await confirm.getByRole('button', { name: 'Reset password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Password Reset' });
  const oneTime = await dialog.getByRole('textbox', { name: 'One-time Password' }).inputValue();
  expect(oneTime.length).toBeGreaterThanOrEqual(20);
  await expect(dialog).toContainText('Their 1 open session was signed out.');
  await shot(page, 'password-reset-dialog');
  await audit(page, 'Password Reset dialog');
  await copyThenClose(dialog, 'Copy One-time Password');
  await expect(row).toContainText('No open sessions');
  expect(await page.content()).not.toContain(oneTime);

  // The user's browser is signed out; the old password fails; the one-time password leads to "Choose your password".
  await user.goto('/account');
  await expect(user).toHaveURL(/\/sign-in\?callbackUrl=/);
  await signIn(user, person.email, person.password);
  await expect(user.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText('Incorrect email or password.');
  await signIn(user, person.email, oneTime);
  await expect(user).toHaveURL(/\/sign-in\/new-password$/);
  await shot(user, 'choose-password');
  await audit(user, 'choose your password');
  // Nothing is signed in yet: the console still asks to sign in.
  expect((await withCookie(`${baseURL}/account`, (await context.cookies()).map((c) => `${c.name}=${c.value}`).join('; '))).status).toBe(307);
  // The one-time password itself is not accepted as the new one.
  await user.getByLabel('New password', { exact: true }).fill(oneTime);
  await user.getByLabel('Confirm new password').fill(oneTime);
  await user.getByRole('button', { name: 'Set password and continue' }).click();
  await expect(user.getByText('Choose a password different from the one you were given.')).toBeVisible();
  await audit(user, 'choose your password: refused');
  await choosePassword(user, `my own passphrase again ${unique()}`);
  await expect(user.getByRole('heading', { name: 'Your account', level: 1 })).toBeVisible();

  // "Sign out all sessions" by the administrator.
  await page.reload();
  await expect(row).toContainText('1 open session');
  await row.getByRole('button', { name: `Sign-in options for ${person.email}` }).click();
  await page.getByRole('menuitem', { name: 'Sign out all sessions' }).click();
  await page.getByRole('alertdialog', { name: `Sign out all sessions of ${person.email}?` }).getByRole('button', { name: 'Sign out all sessions' }).click();
  await expect(page.getByRole('status').filter({ hasText: `Signed out 1 session of ${person.email}.` })).toBeVisible();
  await user.goto('/account');
  await expect(user).toHaveURL(/\/sign-in\?callbackUrl=/);

  // Both are in the audit log.
  await page.goto('/security/audit-log');
  await expect(page.getByRole('row').filter({ hasText: person.email }).first()).toBeVisible();
  await context.close();
});

test('too many wrong passwords lock the account; the administrator sees the lock and clears it', async ({ browser, page }) => {
  const { person, context } = await activeUser(browser, page, 'locked');
  await context.close();
  const guesser = await browser.newContext(SIGNED_OUT);
  const g = await guesser.newPage();
  await g.goto('/sign-in');
  const alert = g.getByRole('form', { name: 'Sign in' }).getByRole('alert');
  for (let i = 0; i < 10; i++) {
    await signIn(g, person.email, `wrong guess ${i}`);
    await expect(alert).toHaveText('Incorrect email or password.');
  }
  // Over the budget: refused without a password check, even the right password.
  await signIn(g, person.email, person.password);
  await expect(alert).toContainText('Too many failed sign-in attempts. Try again in');

  await page.goto('/security/users');
  const row = page.getByRole('row').filter({ hasText: person.email });
  await expect(row).toContainText('Locked until');
  await shot(page, 'users-locked');
  await audit(page, 'users: an account locked');
  await row.getByRole('button', { name: `Clear lock of ${person.email}` }).click();
  await expect(page.getByRole('status').filter({ hasText: `Sign-in lock of ${person.email} cleared.` })).toBeVisible();
  await expect(row).not.toContainText('Locked until');

  await signIn(g, person.email, person.password);
  await expect(g.getByTestId('signed-in-user')).toContainText(person.email);
  await guesser.close();
});

test.describe('two instances', () => {
  test.skip(!process.env.DATABASE_URL, 'needs PostgreSQL (DATABASE_URL): PGlite allows one process per data folder');
  let second: ChildProcess | undefined;
  const port = Number(new URL(baseURL).port) + 40;
  const secondURL = `http://localhost:${port}`;

  test.afterAll(() => {
    second?.kill('SIGTERM');
  });

  test('a session signed out on one instance is refused by the other at its next request', async ({ browser, page: admin }) => {
    test.setTimeout(120_000);
    // The same database as the e2e server (scripts/e2e-server.ts: "<name>_e2e") and the same AUTH_SECRET.
    const url = new URL(process.env.DATABASE_URL!);
    url.pathname = `/${`${url.pathname.slice(1) || 'postgres'}_e2e`.replace(/[^a-zA-Z0-9_]/g, '_')}`;
    second = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
      env: {
        ...process.env,
        NODE_ENV: 'production',
        PORT: String(port),
        DATABASE_URL: url.toString(),
        AUTH_SECRET: process.env.AUTH_SECRET || 'e2e-only-auth-secret-0123456789abcdef',
        AUTH_URL: secondURL,
        NEXT_TELEMETRY_DISABLED: '1',
      },
      stdio: 'ignore',
    });
    await expect
      .poll(async () => (await fetch(`${secondURL}/sign-in`).catch(() => null))?.status ?? 0, { timeout: 60_000, intervals: [250] })
      .toBe(200);

    const { context, page } = await activeUser(browser, admin, 'two-instances');
    const cookie = await sessionCookie(context);
    // The second instance knows (and caches) the session.
    expect((await withCookie(`${secondURL}/account`, cookie)).status).toBe(200);

    await signOut(page);
    // Announced over NOTIFY: well before the cache's 30-second backstop.
    await expect
      .poll(async () => (await withCookie(`${secondURL}/account`, cookie)).status, { timeout: 5_000, intervals: [50] })
      .toBe(307);
    expect(await (await withCookie(`${secondURL}/api/auth/session`, cookie)).json()).toBeNull();
    await context.close();
  });
});

test('the account page: Change password and the sessions list as the administrator sees them', async ({ page }) => {
  await page.goto('/account');
  await expect(page.getByRole('form', { name: 'Change password' })).toBeVisible();
  await expect(page.getByRole('table', { name: 'Sessions' }).getByRole('row').filter({ hasText: 'This browser' })).toHaveCount(1);
  await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN_EMAIL);
  await shot(page, 'account');
});

test('Security > Settings: Console Sessions limits are refused out of range at the field, then saved', async ({ page }) => {
  await page.goto('/security/settings');
  const form = page.getByRole('form', { name: 'Console Sessions' });
  await expect(form.getByLabel('Idle Timeout (minutes)')).toHaveValue(/^\d+$/);
  await hydrated(form);
  await form.getByLabel('Idle Timeout (minutes)').fill('4');
  await form.getByLabel('Maximum Session Length (hours)').fill('721');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByText('Enter a whole number of minutes from 5 to 1440.')).toBeVisible();
  await expect(form.getByText('Enter a whole number of hours from 1 to 720.')).toBeVisible();
  await audit(page, 'settings: Console Sessions refused');
  // Longer than the default, so the administrator session the other specs share is never cut short by this.
  await form.getByLabel('Idle Timeout (minutes)').fill('240');
  await form.getByLabel('Maximum Session Length (hours)').fill('24');
  await form.getByRole('button', { name: 'Save' }).click();
  await expect(form.getByRole('status')).toHaveText('Saved.');
  await page.reload();
  await expect(form.getByLabel('Idle Timeout (minutes)')).toHaveValue('240');
  await expect(form.getByLabel('Maximum Session Length (hours)')).toHaveValue('24');
  await shot(page, 'settings-sessions');
});
