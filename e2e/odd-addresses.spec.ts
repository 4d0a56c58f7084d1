import { expect, test } from '@playwright/test';

/**
 * Console pages given addresses nobody's link produces (hand-edited query strings, a scanner's probes): each gets a
 * page or a 4xx, never a 500. The signed-in Tenant Administrator (the chromium project's storage state).
 */
const BAD = ['', '-1', '0', '99999999999999999999', 'abc', '%00', '%E2%80%AE', "'", '<script>', 'a'.repeat(3000), '1e309', '[]', '__proto__'];
const PAGES: [string, string[]][] = [
  ['/overview', ['days', 'page']],
  ['/security/clients', ['q', 'type', 'page', 'unused', 'add', 'sort']],
  ['/security/users', ['q', 'page', 'invite', 'edit']],
  ['/security/roles', ['type', 'page']],
  ['/security/communities', ['page', 'add']],
  ['/security/apis', ['page', 'add']],
  ['/security/audit-log', ['client', 'page', 'from', 'to', 'type']],
  ['/security/notifications', ['tab', 'page', 'channel']],
  ['/security/settings', ['tab']],
  ['/account', ['tab']],
  ['/account/security', ['tab']],
  ['/api-docs', ['op']],
  ['/device', ['user_code', 'code']],
];

for (const [path, params] of PAGES) {
  test(`${path}: odd query values get a page, never a 500`, async ({ request }) => {
    const failures: string[] = [];
    for (const name of params) {
      for (const value of BAD) {
        const url = `${path}?${name}=${value}`;
        const res = await request.get(url, { maxRedirects: 0 });
        if (res.status() >= 500) failures.push(`${res.status()} ${url.slice(0, 120)}`);
      }
      // The same parameter twice.
      const twice = await request.get(`${path}?${name}=1&${name}=2`, { maxRedirects: 0 });
      if (twice.status() >= 500) failures.push(`${twice.status()} ${path}?${name}=1&${name}=2`);
    }
    expect(failures).toEqual([]);
  });
}

test('a client\'s page: odd ids, tabs and panes get a page or a 404, never a 500', async ({ request }) => {
  const list = await request.get('/security/clients');
  const id = /\/security\/clients\/([0-9a-f-]{36})/.exec(await list.text())?.[1];
  const failures: string[] = [];
  const ids = ['x', '00000000-0000-0000-0000-000000000000', 'ZZZZZZZZ-0000-0000-0000-000000000000', '%E2%80%AE', 'a'.repeat(500), ...(id ? [id] : [])];
  for (const clientId of ids) {
    for (const q of ['', '?tab=x', '?tab=secrets&edit=x', '?tab=federated&edit=federated-abc', '?tab=federated&edit=federated-99999999999', '?tab=keys&add=x', '?tab=usage&range=x', '?edit=client&tab=%00']) {
      const res = await request.get(`/security/clients/${clientId}${q}`, { maxRedirects: 0 });
      if (res.status() >= 500) failures.push(`${res.status()} ${clientId.slice(0, 40)}${q}`);
    }
  }
  expect(failures).toEqual([]);
});

test('a search with a page past any list shows its last page, never a 500', async ({ request }) => {
  for (const url of ['/security/clients?q=a&page=99999999999999999999', '/security/audit-log?client=a&page=99999999999999999999', '/security/clients?q=%00&unused=1&page=2']) {
    expect((await request.get(url, { maxRedirects: 0 })).status(), url).toBe(200);
  }
});

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });
  for (const path of ['/sign-in', '/sign-in/verify', '/sign-in/new-password', '/', '/security/clients']) {
    test(`${path}: odd query values get a page or a redirect, never a 500`, async ({ request }) => {
      const failures: string[] = [];
      for (const name of ['callbackUrl', 'error', 'code', 'token', 'email']) {
        for (const value of [...BAD, 'https://evil.example', '//evil.example', 'javascript:alert(1)', '/%2F%2Fevil.example', '%5C%5Cevil.example']) {
          const url = `${path}?${name}=${value}`;
          const res = await request.get(url, { maxRedirects: 0 });
          if (res.status() >= 500) failures.push(`${res.status()} ${url.slice(0, 120)}`);
          const location = res.headers().location;
          if (location && !location.startsWith('/') && !location.startsWith(new URL(res.url()).origin)) failures.push(`redirect off-site: ${url} -> ${location}`);
          if (location?.startsWith('//')) failures.push(`protocol-relative redirect: ${url} -> ${location}`);
        }
      }
      expect(failures).toEqual([]);
    });
  }
});
