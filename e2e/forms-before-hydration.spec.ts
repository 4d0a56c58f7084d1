import { expect, test, type Page, type Request } from '@playwright/test';
import { ADMIN_STATE } from '../playwright.config';
import { unique } from './clients-helpers';
import { ADMIN_EMAIL, MEMBER_EMAIL, PASSWORD, shot, copyThenClose } from './helpers';

/**
 * Every form is safe before the page's JavaScript runs. Sign-in is a real POST form (it works without JavaScript);
 * every other form is method="post" with a submit button that stays disabled until hydrated, or a GET form with
 * harmless fields only (search text, filter, page). A password or secret in any query string is refused.
 */
const SIGNED_OUT = { cookies: [], origins: [] };
/** Query fields a GET form may carry: they end up in the address bar, history and access logs. */
const HARMLESS_GET_FIELDS = new Set(['q', 'client', 'type', 'page', 'tab', 'unused']);

type FormInfo = {
  label: string;
  method: string;
  serverAction: boolean;
  fields: { name: string; type: string }[];
  submits: { disabled: boolean; formMethod: string | null }[];
};

/** Every <form> on the page, with its named fields (including controls outside it that name it with form=). */
async function formsOn(page: Page): Promise<FormInfo[]> {
  return page.locator('form').evaluateAll((forms) =>
    (forms as HTMLFormElement[]).map((f) => {
      const controls = [...f.elements] as (HTMLInputElement | HTMLButtonElement)[];
      return {
        label: f.getAttribute('aria-label') ?? f.querySelector('button')?.textContent?.trim() ?? '(unlabelled)',
        method: (f.getAttribute('method') ?? 'get').toLowerCase(),
        // React renders a server-action form with hidden $ACTION_ fields: it works as a plain HTML POST.
        serverAction: controls.some((c) => c.name.startsWith('$ACTION_')),
        fields: controls.filter((c) => c.name && !c.name.startsWith('$ACTION_')).map((c) => ({ name: c.name, type: c.type })),
        submits: controls.filter((c) => c.type === 'submit').map((c) => ({ disabled: c.disabled, formMethod: c.getAttribute('formmethod') })),
      };
    }),
  );
}

/** What is wrong with a form: a GET that could carry anything but harmless fields. */
function unsafe(form: FormInfo): string | null {
  if (form.method === 'post') return null;
  const bad = form.fields.filter((f) => f.type === 'password' || !HARMLESS_GET_FIELDS.has(f.name));
  return bad.length ? `${form.label}: method=${form.method} with ${bad.map((f) => f.name).join(', ')}` : null;
}

const seen = new Map<string, string>();
async function expectSafeForms(page: Page, state: string, expected: string[] = []) {
  const forms = await formsOn(page);
  for (const f of forms) seen.set(f.label, f.method);
  expect(forms.map(unsafe).filter(Boolean), `unsafe forms in "${state}"`).toEqual([]);
  for (const label of expected) expect(forms.map((f) => f.label), `forms in "${state}"`).toContain(label);
  return forms;
}

/** A pane's form (react-hook-form): method=post, and its SubmitButtons (inside or form= outside) post natively too. */
async function expectPostingPane(page: Page, state: string, label: string) {
  const forms = await expectSafeForms(page, state, [label]);
  const form = forms.find((f) => f.label === label)!;
  expect(form.method, `${label} in "${state}"`).toBe('post');
  expect(form.submits.length, `${label} in "${state}": a submit button`).toBeGreaterThan(0);
  for (const s of form.submits) expect(s.formMethod, `${label} in "${state}": formmethod of its submit button`).toBe('post');
}

/** Every request the page makes that could carry the password in its address. */
function recordRequests(page: Page) {
  const requests: Request[] = [];
  page.on('request', (r) => requests.push(r));
  const urls: string[] = [];
  page.on('framenavigated', (f) => urls.push(f.url()));
  return { requests, urls };
}

test.describe('sign-in', () => {
  test.use({ storageState: SIGNED_OUT });

  test('works as a plain HTML form without JavaScript: a POST, errors at the fields, never the password in a URL', async ({ browser }) => {
    const context = await browser.newContext({ javaScriptEnabled: false, storageState: SIGNED_OUT });
    const page = await context.newPage();
    const { requests, urls } = recordRequests(page);
    const wrong = `wrong-${Date.now().toString(36)}`;

    await page.goto('/security/clients');
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Fsecurity%2Fclients/);
    await expectSafeForms(page, 'sign-in without JavaScript', ['Sign in']);

    // Empty: the server's field errors, on the server-rendered page.
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByText('Enter your email.')).toBeVisible();
    await expect(page.getByText('Enter your password.')).toBeVisible();

    // A wrong password: the one generic message, the email kept, the password not echoed.
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(wrong);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText('Incorrect email or password.');
    await expect(page.getByLabel('Email')).toHaveValue(ADMIN_EMAIL);
    await expect(page.getByLabel('Password')).toHaveValue('');
    expect(await page.content()).not.toContain(wrong);
    await shot(page, 'sign-in-without-javascript-refused');

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page).toHaveURL(/\/security\/clients$/);
    await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
    await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN_EMAIL);
    await shot(page, 'signed-in-without-javascript');

    const submissions = requests.filter((r) => r.isNavigationRequest() && new URL(r.url()).pathname === '/sign-in' && r.method() === 'POST');
    expect(submissions).toHaveLength(3);
    for (const r of submissions) expect(r.postData() ?? '', 'the POST body holds the fields').toContain('email');
    for (const url of [...urls, ...requests.map((r) => r.url())]) {
      expect(url).not.toContain(PASSWORD);
      expect(url).not.toContain(wrong);
      expect(url).not.toMatch(/password=/i);
    }
    await context.close();
  });

  test('signing in before the page has hydrated posts the form, never a GET with the password', async ({ page }) => {
    // Hold the page's scripts back until the form has been submitted: what a slow connection or a busy machine does.
    let release!: () => void;
    const scriptsHeld = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/_next/static/**', async (route) => {
      if (route.request().resourceType() === 'script') await scriptsHeld;
      await route.continue();
    });
    const { requests, urls } = recordRequests(page);

    await page.goto('/sign-in', { waitUntil: 'commit' });
    const submitted = page.waitForRequest((r) => r.isNavigationRequest() && r.frame() === page.mainFrame());
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(PASSWORD);
    const button = page.getByRole('button', { name: 'Sign in', exact: true });
    expect(await page.evaluate(() => document.querySelector('script[src*="/_next/static/"]') !== null)).toBe(true);
    await button.click();
    const request = await submitted;
    release();

    expect(request.method()).toBe('POST');
    expect(new URL(request.url()).search).not.toMatch(/password|email/i);
    await expect(page).toHaveURL(/\/overview$/);
    await expect(page.getByTestId('signed-in-user')).toContainText(ADMIN_EMAIL);
    for (const url of [...urls, ...requests.map((r) => r.url())]) expect(url).not.toContain(PASSWORD);
  });
});

test.describe('credentials in a query string', () => {
  test.use({ storageState: SIGNED_OUT });

  test('a page is redirected to its clean address, the API and token service refuse, nothing is echoed', async ({ page, request }) => {
    const leaked = `query-${Date.now().toString(36)}`;
    const signIn = await request.get(`/sign-in?email=${encodeURIComponent(ADMIN_EMAIL)}&password=${leaked}&callbackUrl=%2Faccount`, { maxRedirects: 0 });
    expect(signIn.status()).toBe(303);
    expect(signIn.headers()['location']).toBe(`/sign-in?email=${encodeURIComponent(ADMIN_EMAIL)}&callbackUrl=%2Faccount`);
    expect(signIn.headers()['cache-control']).toBe('no-store');
    expect(await signIn.text()).not.toContain(leaked);

    const token = await request.post(`/identity/connect/token?client_secret=${leaked}`, {
      form: { grant_type: 'client_credentials', client_id: 'x' },
    });
    expect(token.status()).toBe(400);
    expect(await token.json()).toMatchObject({ error: 'invalid_request' });
    expect(await token.text()).not.toContain(leaked);

    const api = await request.get(`/api/v1/Tenants/x/Roles?Secret=${leaked}`);
    expect(api.status()).toBe(400);
    expect((await api.json()).Reason).toMatch(/not accepted in the address/);
    expect(await api.text()).not.toContain(leaked);

    // A browser that arrives with one (a form submitted as GET somewhere) ends on the clean address: the history
    // entry holds no password.
    const { urls } = recordRequests(page);
    await page.goto(`/sign-in?password=${leaked}`);
    await expect(page).toHaveURL(/\/sign-in$/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
    expect(urls.filter((u) => u.includes(leaked))).toEqual([]);
    expect(await page.content()).not.toContain(leaked);
  });
});

test('every form the console renders posts, or is a GET with harmless fields only', async ({ page, browser }) => {
  test.slow(); // walks every page and pane
  const name = unique('Forms walk');

  await page.goto('/security/clients');
  await expect(page.getByRole('heading', { name: 'Clients', level: 1 })).toBeVisible();
  await expectSafeForms(page, 'clients', ['Search clients']);

  await page.goto('/security/clients?add=client');
  const addPane = page.getByRole('dialog', { name: 'Add Client' });
  await expect(addPane.getByRole('button', { name: 'Next' })).toBeEnabled();
  await expectSafeForms(page, 'Add Client pane', ['Add Client']);
  await addPane.getByLabel('Name', { exact: true }).fill(name);
  await addPane.getByRole('button', { name: 'Next' }).click();
  const secretPane = page.getByRole('dialog', { name: 'Create Secret' });
  await expect(secretPane.getByLabel('Description')).toBeVisible();
  await expectSafeForms(page, 'Create Secret pane', ['Create Secret']);
  await secretPane.getByLabel('Description').fill('first');
  await secretPane.getByRole('button', { name: 'Save' }).click();
  const created = page.getByRole('dialog', { name: 'Client Successfully Created' });
  const clientId = await created.getByRole('textbox', { name: 'Client Id' }).inputValue();
  await copyThenClose(created, 'Copy Client Secret');
  await expect(created).toBeHidden();

  await page.goto(`/security/clients/${clientId}?edit=client`);
  await expect(page.getByRole('dialog', { name: 'Edit Client' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectSafeForms(page, 'Edit Client pane', ['Edit Client']);

  await page.goto(`/security/clients/${clientId}?tab=secrets&add=secret`);
  await expect(page.getByRole('dialog', { name: 'Add Secret' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectSafeForms(page, 'Add Secret pane', ['Add Secret']);

  await page.goto(`/security/clients/${clientId}?tab=secrets`);
  await page.getByRole('table', { name: 'Secrets' }).getByRole('row').filter({ hasText: 'first' }).getByRole('button', { name: /Edit Secret/ }).click();
  await expect(page.getByRole('dialog', { name: 'Edit Secret' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectSafeForms(page, 'Edit Secret dialog', ['Edit Secret']);

  await page.goto(`/security/clients/${clientId}?tab=keys&add=key`);
  await expect(page.getByRole('dialog', { name: 'Add Key' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectSafeForms(page, 'Add Key pane', ['Add Key']);

  // Authorization Code and Hybrid clients have an Add Client pane of their own, and Edit Sign-In Settings.
  await page.goto('/security/clients?type=authorization_code&add=client');
  const addCodeClient = page.getByRole('dialog', { name: 'Add Client' });
  await expect(addCodeClient.getByLabel('Redirect URLs', { exact: true })).toBeVisible();
  await expect(addCodeClient.getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectPostingPane(page, 'Add Client pane (Authorization Code)', 'Add Client');
  await addCodeClient.getByLabel('Name', { exact: true }).fill(`${name} app`);
  await addCodeClient.getByLabel('Redirect URLs', { exact: true }).fill('http://127.0.0.1:8080/callback');
  await addCodeClient.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('heading', { name: `${name} app`, level: 1 })).toBeVisible();
  const codeClientId = (await page.locator('#details-client-id').textContent())!.trim();

  await page.goto(`/security/clients/${codeClientId}?edit=sign-in`);
  await expect(page.getByRole('dialog', { name: 'Edit Sign-In Settings' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectPostingPane(page, 'Edit Sign-In Settings pane', 'Edit Sign-In Settings');

  await page.goto('/security/clients?type=device_code&add=client');
  await expect(page.getByRole('dialog', { name: 'Add Client' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectPostingPane(page, 'Add Client pane (Device Code)', 'Add Client');

  await page.goto('/security/clients?type=hybrid&add=client');
  const addHybrid = page.getByRole('dialog', { name: 'Add Client' });
  await expect(addHybrid.getByRole('button', { name: 'Next' })).toBeEnabled();
  await expectPostingPane(page, 'Add Client pane (Hybrid)', 'Add Client');
  await addHybrid.getByLabel('Name', { exact: true }).fill(`${name} portal`);
  await addHybrid.getByLabel('Redirect URLs', { exact: true }).fill('https://portal.example.com/signin-oidc');
  await addHybrid.getByRole('button', { name: 'Next' }).click();
  const hybridSecret = page.getByRole('dialog', { name: 'Create Secret' });
  await expect(hybridSecret.getByLabel('Description')).toBeVisible();
  await expect(hybridSecret.getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectPostingPane(page, 'Create Secret pane (Hybrid)', 'Create Secret');

  await page.goto('/security/settings');
  await expect(page.getByRole('form', { name: 'Credential Policy' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectSafeForms(page, 'Settings', ['Credential Policy', 'Multi-factor Authentication']);

  await page.goto('/security/roles?add=role');
  const addRole = page.getByRole('dialog', { name: 'Add Role' });
  await expect(addRole.getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectSafeForms(page, 'Add Role pane', ['Add Role']);
  await addRole.getByLabel('Name').fill(name);
  await addRole.getByRole('button', { name: 'Save' }).click();
  await expect(addRole).toBeHidden();
  await page.getByRole('button', { name: `Edit ${name}` }).click();
  await expect(page).toHaveURL(/[?&]edit=/);
  await page.goto(page.url()); // the deep link of the Edit Role pane
  await expect(page.getByRole('dialog', { name: 'Edit Role' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectSafeForms(page, 'Edit Role pane', ['Edit Role']);

  await page.goto('/security/communities?add=community');
  await expect(page.getByRole('dialog', { name: 'Add Community' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectSafeForms(page, 'Add Community pane', ['Add Community']);

  await page.goto('/security/apis?add=api');
  await expect(page.getByRole('dialog', { name: 'Add API' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectPostingPane(page, 'Add API pane', 'Add API');

  await page.goto(`/security/clients/${clientId}?edit=api-access`);
  await expect(page.getByRole('dialog', { name: 'Edit API Access' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectPostingPane(page, 'Edit API Access pane', 'Edit API Access');

  await page.goto('/security/users?invite=user');
  await expect(page.getByRole('dialog', { name: 'Invite User' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectSafeForms(page, 'Invite User pane', ['Invite User']);
  await page.goto('/security/users');
  await page.getByRole('button', { name: `Edit Roles of ${MEMBER_EMAIL}` }).click();
  await expect(page).toHaveURL(/[?&]roles=/);
  await page.goto(page.url());
  await expect(page.getByRole('dialog', { name: 'Edit Roles' }).getByRole('button', { name: 'Save' })).toBeEnabled();
  await expectSafeForms(page, 'Edit Roles pane', ['Edit Roles']);

  for (const [path, heading] of [
    ['/security/audit-log', 'Audit Log'],
    ['/account', 'Your account'],
    ['/api-docs', 'API Reference'],
    ['/device', 'Connect a device'],
  ] as const) {
    await page.goto(path);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    await expectSafeForms(page, path, ['Sign out']);
  }
  await page.goto('/device');
  await expect(page.getByRole('form', { name: 'Connect a device' }).getByRole('button', { name: 'Continue' })).toBeEnabled();
  await expectPostingPane(page, '/device', 'Connect a device');
  await expectSafeForms(page, 'sign-out', []);

  // The same pages as the server renders them, before any script: the search and filter forms work as GETs, the
  // others post, and a form that needs JavaScript cannot be submitted yet.
  const context = await browser.newContext({ javaScriptEnabled: false, storageState: ADMIN_STATE });
  const raw = await context.newPage();
  for (const path of ['/overview', '/security/clients', '/security/clients?unused=1&q=zz-none', `/security/clients/${clientId}?tab=secrets`, '/security/roles', '/security/communities', '/security/apis', '/security/users', '/security/audit-log', '/security/settings', '/account', '/account/security', '/api-docs', '/device']) {
    await raw.goto(path);
    const forms = await expectSafeForms(raw, `${path} without JavaScript`, ['Sign out']);
    for (const f of forms.filter((x) => x.method === 'post' && !x.serverAction)) {
      expect(f.submits.every((s) => s.disabled), `${f.label} on ${path}: submit disabled before hydration`).toBe(true);
    }
  }
  // The panes of Authorization Code and Hybrid clients, deep-linked, as the server renders them: a pane is a portal
  // that exists only once React runs, so before hydration there is no pane form to submit at all, and the rest of
  // the page posts or stays disabled as above.
  for (const [path, label] of [
    ['/security/clients?type=authorization_code&add=client', 'Add Client'],
    ['/security/clients?type=hybrid&add=client', 'Add Client'],
    ['/security/clients?type=device_code&add=client', 'Add Client'],
    [`/security/clients/${codeClientId}?edit=sign-in`, 'Edit Sign-In Settings'],
    ['/security/apis?add=api', 'Add API'],
    [`/security/clients/${clientId}?edit=api-access`, 'Edit API Access'],
  ] as const) {
    await raw.goto(path);
    const forms = await expectSafeForms(raw, `${path} without JavaScript`, ['Sign out']);
    expect(forms.map((f) => f.label), `${path}: no ${label} form before hydration`).not.toContain(label);
    for (const f of forms.filter((x) => x.method === 'post' && !x.serverAction)) {
      expect(f.submits.every((s) => s.disabled), `${f.label} on ${path}: submit disabled before hydration`).toBe(true);
    }
  }
  // A search without JavaScript: a GET with the search text only.
  await raw.goto('/security/clients');
  await raw.getByRole('searchbox', { name: 'Search' }).fill(name);
  await raw.getByRole('searchbox', { name: 'Search' }).press('Enter');
  await expect(raw).toHaveURL(new RegExp(`/security/clients\\?q=${encodeURIComponent(name).replace(/%20/g, '\\+')}$`));
  await expect(raw.getByRole('link', { name })).toBeVisible();
  await context.close();

  console.log(`forms: ${seen.size} distinct forms checked: ${[...seen].map(([l, m]) => `${l} (${m})`).join(', ')}`);
});
