import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clients, clientSecrets, tenantSettings } from '../db/schema';
import { consoleSessionCookie } from '../testing/console-session';
import { hashSecret, isWellFormedSecret, secretHashesEqual } from '../secrets/secret';
import { createTestClient, type TestClient } from '../testing/clients';
import { createTestDb } from '../testing/db';
import { startApiTestServer } from './testing/api-server';
import { apiClient, apiTenant, type ApiServer } from './testing/fixtures';
import { itAnswersForeignClientsAsUnknown } from './testing/foreign-clients';
import type { ApiErrorBody as ErrorBody } from '../http/api-answers';

/*
 * The REST API's AuthorizationCodeClients and HybridClients collections over HTTP (every answer is also checked
 * against the OpenAPI document by lib/api/testing/fixtures.ts), and what the clients they make do at /identity.
 */
let h: DbHandle;
let srv: ApiServer;
let api: ReturnType<typeof apiClient>;
let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let token: string;
let otherToken: string;
let plainToken: string;
/** A client-credentials client, an Authorization Code client and a Hybrid client of `t`, and one of each type of `other`. */
let ccClient: TestClient;
let acClient: TestClient;
let hyClient: TestClient;
let otherAc: TestClient;
let otherHy: TestClient;

const REDIRECT = 'https://app.example.test/signin-oidc';
const LOOPBACK = 'http://127.0.0.1:8080/cb';

type UserClient = {
  Id: string;
  Name: string;
  Enabled: boolean;
  AccessTokenLifetime: number;
  RefreshTokenLifetime: number;
  RedirectUris: string[];
  PostLogoutRedirectUris: string[];
  AllowedCorsOrigins?: string[];
  RoleIds: string[];
  CreatedBy: string;
  ModifiedBy: string;
};
type HybridCreated = UserClient & { ClientSecret: string; SecretId: number; SecretDescription: string; SecretExpirationDate: string | null };
type Secret = { Id: number; Description: string; Expiration: string | null; Expires: boolean };
type Role = { Id: string; RoleType: string };

const collection = (name: string, tenantId = t.tenantId) => `/api/v1/Tenants/${tenantId}/${name}`;
const AC = (tenantId?: string) => collection('AuthorizationCodeClients', tenantId);
const HY = (tenantId?: string) => collection('HybridClients', tenantId);
const CC = (tenantId?: string) => collection('ClientCredentialClients', tenantId);

beforeAll(async () => {
  h = await createTestDb();
  srv = await startApiTestServer(h);
  api = apiClient(srv);
  t = await apiTenant(h, 'User clients API');
  other = await apiTenant(h, 'User clients API other');
  token = await api.tokenFor(t.adminClient);
  otherToken = await api.tokenFor(other.adminClient);
  plainToken = await api.tokenFor(t.plainClient);
  ccClient = await createTestClient(h.db, { tenantId: t.tenantId, name: 'A client-credentials client' });
  acClient = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'authorization_code', secrets: [], redirectUris: [REDIRECT] });
  hyClient = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'hybrid', redirectUris: [REDIRECT] });
  otherAc = await createTestClient(h.db, { tenantId: other.tenantId, clientType: 'authorization_code', secrets: [], redirectUris: [REDIRECT] });
  otherHy = await createTestClient(h.db, { tenantId: other.tenantId, clientType: 'hybrid', redirectUris: [REDIRECT] });
});
afterAll(async () => {
  await srv?.close();
  await h?.close();
});

const post = (path: string, body: unknown, tk = token) => api.call('POST', path, { token: tk, json: body });
const put = (path: string, body: unknown, headers: Record<string, string> = {}) => api.call('PUT', path, { token, json: body, headers });

async function clientCount(tenantId = t.tenantId) {
  const [{ n }] = await h.db.select({ n: count() }).from(clients).where(eq(clients.tenantId, tenantId));
  return n;
}

async function auditCount(tenantId = t.tenantId) {
  const [{ n }] = await h.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.tenantId, tenantId));
  return n;
}

/* ---- /identity: what the API's changes do where users sign in ---- */

const verifier = randomBytes(32).toString('base64url');
const challenge = createHash('sha256').update(verifier).digest('base64url');

/** A console session row for the user and the cookie naming it (lib/auth/sessions.ts). */
async function sessionCookie(userId: string) {
  return (await consoleSessionCookie(h.db, userId)).cookie;
}

/** GET /identity/connect/authorize for `clientId` and `redirectUri`, signed in as the tenant's administrator or not. */
async function authorize(clientId: string, redirectUri: string, signedIn = false) {
  const url = new URL(`${srv.issuer}/connect/authorize`);
  const params = { client_id: clientId, response_type: 'code', redirect_uri: redirectUri, scope: 'openid', code_challenge: challenge, code_challenge_method: 'S256', state: 's' };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  const res = await fetch(url, { redirect: 'manual', headers: signedIn ? { cookie: await sessionCookie(t.admin.id) } : {} });
  await res.text();
  return { status: res.status, location: res.headers.get('location') ?? '' };
}

async function tokenRequest(params: Record<string, string>, basic?: [string, string]) {
  const res = await fetch(`${srv.issuer}/connect/token`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      ...(basic ? { Authorization: `Basic ${Buffer.from(`${basic[0]}:${basic[1]}`).toString('base64')}` } : {}),
    },
    body: new URLSearchParams(params),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

/**
 * Does `secret` authenticate Hybrid client `clientId`? The client_credentials grant authenticates the client first and
 * only then refuses the grant for its type: unauthorized_client means the secret was accepted, invalid_client not.
 */
async function secretAccepted(clientId: string, secret: string) {
  const res = await tokenRequest({ grant_type: 'client_credentials' }, [clientId, secret]);
  if (res.body.error === 'unauthorized_client') return true;
  if (res.body.error === 'invalid_client') return false;
  throw new Error(`unexpected token answer ${res.status} ${res.body.error}`);
}

describe('POST AuthorizationCodeClients', () => {
  it('201 without a secret: sign-in settings, defaults, Tenant Member, Location; audited as the API client; users can sign in', async () => {
    const res = await post(AC(), {
      Name: '  Operator app  ',
      RedirectUris: [REDIRECT, LOOPBACK, REDIRECT],
      PostLogoutRedirectUris: ['https://app.example.test/signed-out'],
      AllowedCorsOrigins: ['https://app.example.test'],
      SecretDescription: 'ignored: a public client has no secret',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const c = res.body as UserClient;
    expect(c).toMatchObject({
      Name: 'Operator app',
      Enabled: true,
      AccessTokenLifetime: 3600,
      RefreshTokenLifetime: 2_592_000,
      RedirectUris: [REDIRECT, LOOPBACK],
      PostLogoutRedirectUris: ['https://app.example.test/signed-out'],
      AllowedCorsOrigins: ['https://app.example.test'],
      RoleIds: [t.roleId('tenant_member')],
      CreatedBy: `client:${t.adminClient.clientId}`,
    });
    expect(c).not.toHaveProperty('ClientSecret');
    expect(res.headers.get('location')).toBe(`${AC()}/${c.Id}`);

    const [row] = await h.db.select().from(clients).where(eq(clients.id, c.Id));
    expect(row).toMatchObject({ clientType: 'authorization_code', tenantId: t.tenantId, enabled: true });
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, c.Id))).toEqual([]);
    const [event] = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.Id));
    expect(event).toMatchObject({
      action: 'client.created',
      actor: `client:${t.adminClient.clientId}`,
      details: expect.objectContaining({ via: 'api', clientType: 'authorization_code', redirectUris: [REDIRECT, LOOPBACK] }),
    });

    // The authorization endpoint knows it at once: a registered URL goes on to sign-in, any other is an error page.
    expect(await authorize(c.Id, LOOPBACK)).toMatchObject({ status: 302, location: expect.stringMatching(/^\/sign-in\?/) });
    expect((await authorize(c.Id, 'https://evil.example.test/cb')).status).toBe(400);
  });

  it('takes Id, lifetimes and roles; Enabled false adds it disabled in one step (users cannot sign in)', async () => {
    const id = randomUUID().toUpperCase();
    const res = await post(AC(), {
      Id: id,
      Name: 'Disabled app',
      Enabled: false,
      AccessTokenLifetime: 600,
      RefreshTokenLifetime: 300,
      RedirectUris: REDIRECT,
      RoleIds: [t.roleId('tenant_contributor')],
    });
    expect(res.status).toBe(201);
    const c = res.body as UserClient;
    expect(c).toMatchObject({ Id: id.toLowerCase(), Enabled: false, AccessTokenLifetime: 600, RefreshTokenLifetime: 300, RedirectUris: [REDIRECT] });
    expect([...c.RoleIds].sort()).toEqual([t.roleId('tenant_member'), t.roleId('tenant_contributor')].sort());
    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.Id)).orderBy(asc(auditEvents.id));
    expect(events.map((e) => e.action)).toEqual(['client.created']);
    expect(events[0].details).toMatchObject({ enabled: false });
    expect((await authorize(c.Id, REDIRECT)).status).toBe(400);
  });

  describe('400 with the field that is wrong; nothing written', () => {
    type Fields = Record<string, unknown> | (() => Record<string, unknown>);
    const cases: [string, Fields, string, RegExp][] = [
      ['an http redirect URL (not loopback)', { RedirectUris: ['http://app.example.test/cb'] }, 'RedirectUris', /https/],
      ['no redirect URL', {}, 'RedirectUris', /at least one Redirect URL/],
      ['an empty list of redirect URLs', { RedirectUris: [] }, 'RedirectUris', /at least one Redirect URL/],
      ['a javascript: redirect URL', { RedirectUris: ['javascript:alert(1)'] }, 'RedirectUris', /https/],
      ['a redirect URL with a fragment', { RedirectUris: ['https://app.example.test/cb#x'] }, 'RedirectUris', /fragment/],
      ['a relative redirect URL', { RedirectUris: ['/callback'] }, 'RedirectUris', /absolute URL/],
      ['a redirect URL with a user name', { RedirectUris: ['https://me@app.example.test/cb'] }, 'RedirectUris', /user name/],
      ['21 redirect URLs', { RedirectUris: Array.from({ length: 21 }, (_, i) => `https://app.example.test/${i}`) }, 'RedirectUris', /at most 20/],
      ['an http post-logout URL', { RedirectUris: [REDIRECT], PostLogoutRedirectUris: ['http://app.example.test/out'] }, 'PostLogoutRedirectUris', /https/],
      ['a CORS origin with a path', { RedirectUris: [REDIRECT], AllowedCorsOrigins: ['https://app.example.test/x'] }, 'AllowedCorsOrigins', /origin only/],
      ['a refresh token lifetime under 300', { RedirectUris: [REDIRECT], RefreshTokenLifetime: 299 }, 'RefreshTokenLifetime', /300 to 7776000/],
      ['a refresh token lifetime over 90 days', { RedirectUris: [REDIRECT], RefreshTokenLifetime: 7_776_001 }, 'RefreshTokenLifetime', /300 to 7776000/],
      ['an access token lifetime over 3600', { RedirectUris: [REDIRECT], AccessTokenLifetime: 3601 }, 'AccessTokenLifetime', /60 to 3600/],
      ['Enabled a string', { RedirectUris: [REDIRECT], Enabled: 'false' }, 'Enabled', /true or false/],
      ['another tenant\'s role', () => ({ RedirectUris: [REDIRECT], RoleIds: [other.roleId('tenant_contributor')] }), 'RoleIds', /do not exist/],
    ];
    for (const [label, fields, field, message] of cases) {
      it(label, async () => {
        const before = [await clientCount(), await auditCount()];
        const res = await post(AC(), { Name: 'Refused', ...(typeof fields === 'function' ? fields() : fields) });
        expect(res.status).toBe(400);
        const body = res.body as ErrorBody;
        expect(body.Error).toBe('Missing or invalid inputs.');
        expect(body.Errors?.[field]).toMatch(message);
        expect([await clientCount(), await auditCount()]).toEqual(before);
      });
    }
  });

  it('a refused URL is named in the error, but the answer never carries its markup (JSON \\u escapes)', async () => {
    const res = await post(AC(), { Name: 'x', RedirectUris: ['javascript:<script>alert(1)</script>'] });
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).Errors?.RedirectUris).toContain('javascript:<script>alert(1)</script>');
    expect(res.text).not.toMatch(/[<>]/);
    expect(res.text).toContain('\\u003cscript\\u003e');
  });

  it('409 when the Id exists, whatever the type of the client that has it', async () => {
    const before = await clientCount();
    for (const id of [acClient.clientId, ccClient.clientId, otherHy.clientId]) {
      const res = await post(AC(), { Id: id, Name: 'Taken', RedirectUris: [REDIRECT] });
      expect(res.status).toBe(409);
      expect((res.body as ErrorBody).Errors).toMatchObject({ Id: expect.any(String) });
    }
    expect(await clientCount()).toBe(before);
  });
});

describe('POST HybridClients', () => {
  it('201 with the one-time secret: only its hash is stored, never shown again, and it redeems a code at the token endpoint', async () => {
    const res = await post(HY(), {
      Name: 'Plant portal',
      RedirectUris: [REDIRECT],
      AllowedCorsOrigins: ['https://ignored.example.test'],
      SecretDescription: 'portal-01',
    });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const c = res.body as HybridCreated;
    expect(c).toMatchObject({ Name: 'Plant portal', Enabled: true, RedirectUris: [REDIRECT], SecretDescription: 'portal-01' });
    // A Hybrid client runs on a server: it has no CORS origins.
    expect(c).not.toHaveProperty('AllowedCorsOrigins');
    expect(isWellFormedSecret(c.ClientSecret)).toBe(true);
    const inAYear = new Date();
    inAYear.setUTCFullYear(inAYear.getUTCFullYear() + 1);
    expect(Math.abs(new Date(c.SecretExpirationDate!).getTime() - inAYear.getTime())).toBeLessThan(60_000);

    const [row] = await h.db.select().from(clients).where(eq(clients.id, c.Id));
    expect(row).toMatchObject({ clientType: 'hybrid', allowedCorsOrigins: [] });
    const [secretRow] = await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, c.Id));
    expect(secretRow.id).toBe(c.SecretId);
    expect(secretHashesEqual(secretRow.secretHash, hashSecret(c.ClientSecret))).toBe(true);
    expect(JSON.stringify(secretRow)).not.toContain(c.ClientSecret);
    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.Id));
    expect(JSON.stringify(events)).not.toContain(c.ClientSecret);

    // Never again: not in the client, the list, or the secret's information.
    for (const path of [`${HY()}/${c.Id}`, HY(), `${HY()}/${c.Id}/Secrets`, `${HY()}/${c.Id}/Secrets/${c.SecretId}`]) {
      const again = await api.call('GET', path, { token });
      expect(again.status, path).toBe(200);
      expect(again.text).not.toContain(c.ClientSecret);
      expect(again.text).not.toContain('ClientSecret');
    }

    // A user signs in; the client redeems the code with its secret (and only with it).
    const signedIn = await authorize(c.Id, REDIRECT, true);
    expect(signedIn.status).toBe(302);
    const code = new URL(signedIn.location).searchParams.get('code')!;
    expect(code).toBeTruthy();
    const exchange = (secret: string) =>
      tokenRequest({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: verifier }, [c.Id, secret]);
    const wrong = await exchange(`${c.ClientSecret.slice(0, -1)}${c.ClientSecret.endsWith('A') ? 'B' : 'A'}`);
    expect(wrong.body.error).toBe('invalid_client');
    const tokens = await exchange(c.ClientSecret);
    expect(tokens.status).toBe(200);
    expect(tokens.body).toMatchObject({ token_type: 'Bearer', access_token: expect.stringMatching(/^ey/), id_token: expect.stringMatching(/^ey/) });
  });

  it('SecretExpirationDate null: never expires; the tenant\'s credential policy is enforced at that field', async () => {
    const never = await post(HY(), { Name: 'Forever', RedirectUris: [REDIRECT], SecretExpirationDate: null });
    expect(never.status).toBe(201);
    expect((never.body as HybridCreated).SecretExpirationDate).toBeNull();

    const strict = await apiTenant(h, 'User clients API strict policy');
    await h.db.insert(tenantSettings).values({ tenantId: strict.tenantId, maxSecretLifetimeDays: 30, allowNeverExpires: false, updatedBy: 'test' });
    const strictToken = await api.tokenFor(strict.adminClient);
    const before = await clientCount(strict.tenantId);
    const refusedNever = await post(HY(strict.tenantId), { Name: 'x', RedirectUris: [REDIRECT], SecretExpirationDate: null }, strictToken);
    expect(refusedNever.status).toBe(400);
    expect((refusedNever.body as ErrorBody).Errors?.SecretExpirationDate).toMatch(/never expire/);
    // Left out, the first secret would expire in a year: longer than the policy's 30 days.
    const refusedLong = await post(HY(strict.tenantId), { Name: 'x', RedirectUris: [REDIRECT] }, strictToken);
    expect(refusedLong.status).toBe(400);
    expect((refusedLong.body as ErrorBody).Errors?.SecretExpirationDate).toMatch(/at most 30 days/);
    expect(await clientCount(strict.tenantId)).toBe(before);
    const inTenDays = new Date(Date.now() + 10 * 86_400_000).toISOString();
    expect((await post(HY(strict.tenantId), { Name: 'x', RedirectUris: [REDIRECT], SecretExpirationDate: inTenDays }, strictToken)).status).toBe(201);
  });

  it('400 for a bad redirect URL or a past expiration, with the field; nothing written', async () => {
    const before = [await clientCount(), await auditCount()];
    const http = await post(HY(), { Name: 'x', RedirectUris: ['http://portal.example.test/cb'] });
    expect(http.status).toBe(400);
    expect((http.body as ErrorBody).Errors?.RedirectUris).toMatch(/https/);
    const past = await post(HY(), { Name: 'x', RedirectUris: [REDIRECT], SecretExpirationDate: '2000-01-01T00:00:00Z' });
    expect(past.status).toBe(400);
    expect((past.body as ErrorBody).Errors?.SecretExpirationDate).toMatch(/future/);
    expect([await clientCount(), await auditCount()]).toEqual(before);
  });
});

describe('GET the collections', () => {
  it('each lists only its own type, oldest first, with Total-Count and skip/count', async () => {
    const acList = await api.call('GET', AC(), { token });
    expect(acList.status).toBe(200);
    const acIds = (acList.body as UserClient[]).map((c) => c.Id);
    expect(acIds).toContain(acClient.clientId);
    expect(acIds).not.toContain(hyClient.clientId);
    expect(acIds).not.toContain(ccClient.clientId);
    expect(acIds).not.toContain(otherAc.clientId);
    const [{ n }] = await h.db
      .select({ n: count() })
      .from(clients)
      .where(and(eq(clients.tenantId, t.tenantId), eq(clients.clientType, 'authorization_code')));
    expect(acList.headers.get('total-count')).toBe(String(n));
    expect(acIds).toHaveLength(n);

    const hyList = await api.call('GET', HY(), { token });
    const hyIds = (hyList.body as UserClient[]).map((c) => c.Id);
    expect(hyIds[0]).toBe(hyClient.clientId);
    expect(hyIds).not.toContain(acClient.clientId);
    expect(hyIds).not.toContain(ccClient.clientId);
    expect(hyIds).not.toContain(otherHy.clientId);

    const page = await api.call('GET', `${AC()}?skip=1&count=1`, { token });
    expect((page.body as UserClient[]).map((c) => c.Id)).toEqual([acIds[1]]);
    expect(page.headers.get('total-count')).toBe(String(n));
    expect((await api.call('GET', `${HY()}?count=0`, { token })).status).toBe(400);
  });

  it('GET one: the client with an ETag', async () => {
    const res = await api.call('GET', `${AC()}/${acClient.clientId}`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toMatchObject({ Id: acClient.clientId, RedirectUris: [REDIRECT], AllowedCorsOrigins: [] });
  });
});

describe('each collection answers only for its own type', () => {
  const cases: [string, () => string, () => string][] = [
    ['a client-credentials client under AuthorizationCodeClients', () => AC(), () => ccClient.clientId],
    ['a client-credentials client under HybridClients', () => HY(), () => ccClient.clientId],
    ['a Hybrid client under AuthorizationCodeClients', () => AC(), () => hyClient.clientId],
    ['an Authorization Code client under HybridClients', () => HY(), () => acClient.clientId],
    ['an Authorization Code client under ClientCredentialClients', () => CC(), () => acClient.clientId],
    ['a Hybrid client under ClientCredentialClients', () => CC(), () => hyClient.clientId],
    ['another tenant\'s Authorization Code client', () => AC(), () => otherAc.clientId],
    ['another tenant\'s Hybrid client', () => HY(), () => otherHy.clientId],
  ];
  itAnswersForeignClientsAsUnknown(() => ({ db: h.db, api, token, roleId: t.roleId('tenant_administrator') }), cases);

  it('Secrets: 404 for an Authorization Code client (it has none) and for other types under HybridClients', async () => {
    const secretId = String(hyClient.secrets[0].id);
    const before = await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, hyClient.clientId));
    for (const path of [
      `${AC()}/${acClient.clientId}/Secrets`,
      `${AC()}/${hyClient.clientId}/Secrets`,
      `${AC()}/${hyClient.clientId}/Secrets/${secretId}`,
      `${HY()}/${acClient.clientId}/Secrets`,
      `${HY()}/${ccClient.clientId}/Secrets`,
      `${HY()}/${ccClient.clientId}/Secrets/${ccClient.secrets[0].id}`,
      `${CC()}/${hyClient.clientId}/Secrets`,
      `${CC()}/${hyClient.clientId}/Secrets/${secretId}`,
      `${HY()}/${otherHy.clientId}/Secrets`,
    ]) {
      expect((await api.call('GET', path, { token })).status, path).toBe(404);
      if (path.endsWith('/Secrets')) {
        expect((await post(path, { Description: 'x' })).status, path).toBe(404);
        expect((await api.call('DELETE', `${path}/${secretId}`, { token })).status, path).toBe(404);
      } else {
        expect((await put(path, { Description: 'x' })).status, path).toBe(404);
      }
    }
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, hyClient.clientId))).toEqual(before);
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, acClient.clientId))).toEqual([]);
  });
});

describe('PUT AuthorizationCodeClients/{clientId} and HybridClients/{clientId}', () => {
  let app: UserClient;
  beforeAll(async () => {
    app = (await post(AC(), { Name: 'Editable app', RedirectUris: [REDIRECT], AllowedCorsOrigins: ['https://app.example.test'] })).body as UserClient;
  });

  it('changes details, sign-in settings and roles in one request; audited; the authorization endpoint follows at once', async () => {
    const res = await put(`${AC()}/${app.Id}`, {
      Name: 'Edited app',
      AccessTokenLifetime: 900,
      RefreshTokenLifetime: 86_400,
      RedirectUris: [LOOPBACK],
      PostLogoutRedirectUris: ['http://localhost:8080/out'],
      AllowedCorsOrigins: ['http://localhost:8080'],
      RoleIds: [t.roleId('tenant_viewer')],
    });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      Name: 'Edited app',
      AccessTokenLifetime: 900,
      RefreshTokenLifetime: 86_400,
      RedirectUris: [LOOPBACK],
      PostLogoutRedirectUris: ['http://localhost:8080/out'],
      AllowedCorsOrigins: ['http://localhost:8080'],
      Enabled: true,
      ModifiedBy: `client:${t.adminClient.clientId}`,
    });
    expect([...(res.body as UserClient).RoleIds].sort()).toEqual([t.roleId('tenant_member'), t.roleId('tenant_viewer')].sort());
    expect(res.headers.get('etag')).toBe('"3"'); // one version for Edit Client, one for the sign-in settings
    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, app.Id)).orderBy(asc(auditEvents.id));
    expect(events.map((e) => e.action)).toEqual(['client.created', 'client.updated', 'client.updated']);
    expect(events.every((e) => (e.details as { via?: string }).via === 'api')).toBe(true);

    expect((await authorize(app.Id, REDIRECT)).status).toBe(400);
    expect((await authorize(app.Id, LOOPBACK)).status).toBe(302);

    const disabled = await put(`${AC()}/${app.Id}`, { Enabled: false });
    expect(disabled.status).toBe(200);
    expect(disabled.body).toMatchObject({ Enabled: false, Name: 'Edited app', RedirectUris: [LOOPBACK] });
    expect((await authorize(app.Id, LOOPBACK)).status).toBe(400);
    expect((await put(`${AC()}/${app.Id}`, { Enabled: true })).status).toBe(200);
    expect((await authorize(app.Id, LOOPBACK)).status).toBe(302);
  });

  it('fields left out keep their values; an unchanged PUT writes nothing', async () => {
    const before = (await api.call('GET', `${AC()}/${app.Id}`, { token })).body as UserClient;
    const audits = await auditCount();
    const same = await put(`${AC()}/${app.Id}`, {});
    expect(same.status).toBe(200);
    expect(same.body).toEqual(before);
    expect(await auditCount()).toBe(audits);
    const renamed = await put(`${AC()}/${app.Id}`, { Name: 'Renamed app' });
    expect(renamed.body).toEqual({ ...before, Name: 'Renamed app', ModifiedDate: expect.any(String) });
  });

  it('400 for a bad URL with the field, even beside valid changes: nothing changes', async () => {
    const [before] = await h.db.select().from(clients).where(eq(clients.id, app.Id));
    const audits = await auditCount();
    const res = await put(`${AC()}/${app.Id}`, { Name: 'Would be fine', RedirectUris: ['http://app.example.test/cb'], AllowedCorsOrigins: ['ftp://x'] });
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).Errors).toMatchObject({ RedirectUris: expect.stringMatching(/https/), AllowedCorsOrigins: expect.any(String) });
    expect((await put(`${AC()}/${app.Id}`, { RedirectUris: [] })).status).toBe(400);
    expect((await put(`${AC()}/${app.Id}`, { RefreshTokenLifetime: 0 })).status).toBe(400);
    // A role of another tenant is refused by Edit Client inside the transaction (the sign-in settings sent were valid).
    const role = await put(`${AC()}/${app.Id}`, { RedirectUris: [REDIRECT], RoleIds: [other.roleId('tenant_viewer')] });
    expect(role.status).toBe(400);
    expect((role.body as ErrorBody).Errors?.RoleIds).toMatch(/do not exist/);
    const [after] = await h.db.select().from(clients).where(eq(clients.id, app.Id));
    expect(after).toEqual(before);
    expect(await auditCount()).toBe(audits);
  });

  it('If-Match: the current ETag passes, an older one is 412 and changes nothing', async () => {
    const current = await api.call('GET', `${AC()}/${app.Id}`, { token });
    const etag = current.headers.get('etag')!;
    const ok = await put(`${AC()}/${app.Id}`, { RedirectUris: [REDIRECT, LOOPBACK] }, { 'If-Match': etag });
    expect(ok.status).toBe(200);
    const stale = await put(`${AC()}/${app.Id}`, { RedirectUris: [REDIRECT] }, { 'If-Match': etag });
    expect(stale.status).toBe(412);
    expect(((await api.call('GET', `${AC()}/${app.Id}`, { token })).body as UserClient).RedirectUris).toEqual([REDIRECT, LOOPBACK]);
  });

  it('Hybrid: edits sign-in settings; AllowedCorsOrigins is not one of its fields (ignored); its secret keeps working', async () => {
    const created = (await post(HY(), { Name: 'Portal to edit', RedirectUris: [REDIRECT] })).body as HybridCreated;
    const res = await put(`${HY()}/${created.Id}`, { RedirectUris: [LOOPBACK], AllowedCorsOrigins: ['not even an origin'], RefreshTokenLifetime: 3600 });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ RedirectUris: [LOOPBACK], RefreshTokenLifetime: 3600 });
    expect(res.body).not.toHaveProperty('AllowedCorsOrigins');
    expect(await secretAccepted(created.Id, created.ClientSecret)).toBe(true);
  });
});

describe('roles of Authorization Code and Hybrid clients', () => {
  it('GET lists them; PUT replaces the list (Tenant Member stays); another tenant\'s role is 400', async () => {
    for (const base of [AC(), HY()]) {
      const c = (await post(base, { Name: 'With roles', RedirectUris: [REDIRECT] })).body as UserClient;
      const replaced = await put(`${base}/${c.Id}/Roles`, [t.roleId('tenant_contributor'), { Id: t.roleId('tenant_viewer') }]);
      expect(replaced.status).toBe(200);
      expect((replaced.body as Role[]).map((r) => r.RoleType).sort()).toEqual(['tenant_contributor', 'tenant_member', 'tenant_viewer']);
      const listed = await api.call('GET', `${base}/${c.Id}/Roles`, { token });
      expect(listed.headers.get('total-count')).toBe('3');
      const refused = await put(`${base}/${c.Id}/Roles`, [other.roleId('tenant_contributor')]);
      expect(refused.status).toBe(400);
      expect((refused.body as ErrorBody).Errors?.RoleIds).toBeDefined();
      expect((await api.call('GET', `${base}/${c.Id}/Roles`, { token })).headers.get('total-count')).toBe('3');
      // The client keeps its sign-in settings.
      expect(((await api.call('GET', `${base}/${c.Id}`, { token })).body as UserClient).RedirectUris).toEqual([REDIRECT]);
    }
  });
});

describe('HybridClients/{clientId}/Secrets', () => {
  it('add (one-time secret), list, read, edit, remove; a removed secret no longer authenticates', async () => {
    const c = (await post(HY(), { Name: 'Rotating portal', RedirectUris: [REDIRECT], SecretDescription: 'first' })).body as HybridCreated;
    const secrets = `${HY()}/${c.Id}/Secrets`;
    const added = await post(secrets, { Description: 'second', Expires: false });
    expect(added.status).toBe(201);
    const second = added.body as Secret & { ClientSecret: string };
    expect(second).toMatchObject({ Description: 'second', Expires: false, Expiration: null });
    expect(added.headers.get('location')).toBe(`${secrets}/${second.Id}`);
    expect(await secretAccepted(c.Id, second.ClientSecret)).toBe(true);
    const [row] = await h.db.select().from(clientSecrets).where(eq(clientSecrets.id, second.Id));
    expect(secretHashesEqual(row.secretHash, hashSecret(second.ClientSecret))).toBe(true);

    const list = await api.call('GET', secrets, { token });
    expect(list.headers.get('total-count')).toBe('2');
    expect(list.text).not.toContain(second.ClientSecret);
    expect(list.text).not.toContain(c.ClientSecret);

    const edited = await put(`${secrets}/${c.SecretId}`, { Description: 'first, retiring' });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({ Id: c.SecretId, Description: 'first, retiring' });
    expect((await api.call('GET', `${secrets}/${c.SecretId}`, { token })).body).toMatchObject({ Description: 'first, retiring' });

    expect((await api.call('DELETE', `${secrets}/${c.SecretId}`, { token })).status).toBe(204);
    expect(await secretAccepted(c.Id, c.ClientSecret)).toBe(false);
    expect(await secretAccepted(c.Id, second.ClientSecret)).toBe(true);
    expect((await api.call('GET', `${secrets}/${c.SecretId}`, { token })).status).toBe(404);
    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.Id)).orderBy(asc(auditEvents.id));
    expect(events.map((e) => e.action)).toEqual(['client.created', 'secret.added', 'secret.updated', 'secret.removed']);
    expect(JSON.stringify(events)).not.toContain(second.ClientSecret);
  });

  it('400 at the 10-secret limit and for Expires true without an Expiration', async () => {
    const full = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'hybrid', redirectUris: [REDIRECT], secrets: Array.from({ length: 10 }, () => ({})) });
    const limit = await post(`${HY()}/${full.clientId}/Secrets`, { Description: 'eleventh' });
    expect(limit.status).toBe(400);
    expect((limit.body as ErrorBody).Reason).toMatch(/10 secrets/);
    const bad = await post(`${HY()}/${hyClient.clientId}/Secrets`, { Expires: true });
    expect(bad.status).toBe(400);
    expect((bad.body as ErrorBody).Errors?.Expiration).toBeDefined();
  });
});

describe('DELETE', () => {
  it('204 for each type; the client, its secrets and roles are gone; a second DELETE is 404', async () => {
    const app = (await post(AC(), { Name: 'To remove', RedirectUris: [REDIRECT] })).body as UserClient;
    const portal = (await post(HY(), { Name: 'To remove', RedirectUris: [REDIRECT] })).body as HybridCreated;
    for (const [base, id] of [[AC(), app.Id], [HY(), portal.Id]] as const) {
      const res = await api.call('DELETE', `${base}/${id}`, { token });
      expect(res.status).toBe(204);
      expect(await h.db.select().from(clients).where(eq(clients.id, id))).toEqual([]);
      expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, id))).toEqual([]);
      expect((await api.call('GET', `${base}/${id}`, { token })).status).toBe(404);
      expect((await api.call('DELETE', `${base}/${id}`, { token })).status).toBe(404);
      const [event] = await h.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, id), eq(auditEvents.action, 'client.removed')));
      expect(event.details).toMatchObject({ via: 'api' });
    }
    expect((await authorize(app.Id, REDIRECT)).status).toBe(400);
    expect(await secretAccepted(portal.Id, portal.ClientSecret)).toBe(false);
  });
});

describe('who may call', () => {
  const paths = () => [AC(), HY(), `${AC()}/${acClient.clientId}`, `${HY()}/${hyClient.clientId}/Secrets`, `${HY()}/${hyClient.clientId}/Roles`];

  it('401 without a token', async () => {
    for (const path of paths()) {
      const res = await api.call('GET', path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
    }
  });

  it('403 for a client without Tenant Administrator, for reading and for adding; nothing written', async () => {
    const before = await clientCount();
    for (const path of paths()) expect((await api.call('GET', path, { token: plainToken })).status, path).toBe(403);
    expect((await post(AC(), { Name: 'x', RedirectUris: [REDIRECT] }, plainToken)).status).toBe(403);
    expect((await post(HY(), { Name: 'x', RedirectUris: [REDIRECT] }, plainToken)).status).toBe(403);
    expect(await clientCount()).toBe(before);
  });

  it('403 for another tenant\'s path, either way round; nothing written there', async () => {
    const before = await clientCount(other.tenantId);
    expect((await api.call('GET', AC(other.tenantId), { token })).status).toBe(403);
    expect((await post(HY(other.tenantId), { Name: 'x', RedirectUris: [REDIRECT] })).status).toBe(403);
    expect((await api.call('DELETE', `${AC(other.tenantId)}/${otherAc.clientId}`, { token })).status).toBe(403);
    expect((await api.call('GET', `${HY()}/${hyClient.clientId}`, { token: otherToken })).status).toBe(403);
    expect(await clientCount(other.tenantId)).toBe(before);
    expect(await h.db.select().from(clients).where(eq(clients.id, otherAc.clientId))).toHaveLength(1);
  });
});
