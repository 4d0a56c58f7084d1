import { randomUUID } from 'node:crypto';
import { and, asc, count, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clients, clientSecrets } from '../db/schema';
import { createTestClient, type TestClient } from '../testing/clients';
import { createTestDb } from '../testing/db';
import { startApiTestServer } from './testing/api-server';
import { apiClient, apiTenant, type ApiServer } from './testing/fixtures';
import { itAnswersForeignClientsAsUnknown } from './testing/foreign-clients';
import type { ApiErrorBody as ErrorBody } from '../http/api-answers';

/*
 * The REST API's DeviceCodeClients collection over HTTP (every answer is also checked against the OpenAPI document
 * by lib/api/testing/fixtures.ts): a Device Code client (RFC 8628) is public and has no URLs, so its bodies are the
 * Authorization Code client's without RedirectUris, PostLogoutRedirectUris and AllowedCorsOrigins, and never a secret.
 */
let h: DbHandle;
let srv: ApiServer;
let api: ReturnType<typeof apiClient>;
let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let token: string;
let plainToken: string;
let otherToken: string;
/** A Device Code, an Authorization Code, a Hybrid and a client-credentials client of `t`, and a Device Code client of `other`. */
let dcClient: TestClient;
let acClient: TestClient;
let hyClient: TestClient;
let ccClient: TestClient;
let otherDc: TestClient;

const REDIRECT = 'https://app.example.test/signin-oidc';
const URL_FIELDS = ['RedirectUris', 'PostLogoutRedirectUris', 'AllowedCorsOrigins'];

type DeviceClient = {
  Id: string;
  Name: string;
  Enabled: boolean;
  RequireDpop: boolean;
  AccessTokenLifetime: number;
  RefreshTokenLifetime: number;
  RoleIds: string[];
  CreatedDate: string;
  CreatedBy: string;
  ModifiedDate: string;
  ModifiedBy: string;
};
type Role = { Id: string; RoleType: string };

const DC = (tenantId = t.tenantId) => `/api/v1/Tenants/${tenantId}/DeviceCodeClients`;
const AC = (tenantId = t.tenantId) => `/api/v1/Tenants/${tenantId}/AuthorizationCodeClients`;
const HY = (tenantId = t.tenantId) => `/api/v1/Tenants/${tenantId}/HybridClients`;
const CC = (tenantId = t.tenantId) => `/api/v1/Tenants/${tenantId}/ClientCredentialClients`;

beforeAll(async () => {
  h = await createTestDb();
  srv = await startApiTestServer(h);
  api = apiClient(srv);
  t = await apiTenant(h, 'Device clients API');
  other = await apiTenant(h, 'Device clients API other');
  token = await api.tokenFor(t.adminClient);
  plainToken = await api.tokenFor(t.plainClient);
  otherToken = await api.tokenFor(other.adminClient);
  dcClient = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'device_code', secrets: [], name: 'Lobby display' });
  acClient = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'authorization_code', secrets: [], redirectUris: [REDIRECT] });
  hyClient = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'hybrid', redirectUris: [REDIRECT] });
  ccClient = await createTestClient(h.db, { tenantId: t.tenantId, name: 'A client-credentials client' });
  otherDc = await createTestClient(h.db, { tenantId: other.tenantId, clientType: 'device_code', secrets: [] });
});
afterAll(async () => {
  await srv?.close();
  await h?.close();
});

const post = (path: string, body: unknown, tk = token) => api.call('POST', path, { token: tk, json: body });
const put = (path: string, body: unknown, headers: Record<string, string> = {}) => api.call('PUT', path, { token, json: body, headers });

async function counts(tenantId = t.tenantId) {
  const [{ n: c }] = await h.db.select({ n: count() }).from(clients).where(eq(clients.tenantId, tenantId));
  const [{ n: a }] = await h.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.tenantId, tenantId));
  return [c, a];
}

/** POST /identity/connect/deviceauthorization for the client (public: client_id alone). */
async function startDeviceFlow(clientId: string) {
  const res = await fetch(`${srv.issuer}/connect/deviceauthorization`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ client_id: clientId, scope: 'openid' }),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

function expectNoUrlFields(body: unknown) {
  for (const field of [...URL_FIELDS, 'ClientSecret', 'SecretId']) expect(body).not.toHaveProperty(field);
}

describe('POST DeviceCodeClients', () => {
  it('201 without a secret or URL fields; stored with empty URLs; Tenant Member; Location; audited; the device flow starts', async () => {
    const res = await post(DC(), { Name: '  Lobby TV  ', RefreshTokenLifetime: 86_400, SecretDescription: 'ignored: a public client has no secret' });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const c = res.body as DeviceClient;
    expect(c).toEqual({
      Id: expect.any(String),
      Name: 'Lobby TV',
      Enabled: true,
      RequireDpop: false,
      AccessTokenLifetime: 3600,
      RefreshTokenLifetime: 86_400,
      RoleIds: [t.roleId('tenant_member')],
      CreatedDate: expect.any(String),
      CreatedBy: `client:${t.adminClient.clientId}`,
      ModifiedDate: expect.any(String),
      ModifiedBy: `client:${t.adminClient.clientId}`,
    });
    expectNoUrlFields(c);
    expect(res.headers.get('location')).toBe(`${DC()}/${c.Id}`);

    const [row] = await h.db.select().from(clients).where(eq(clients.id, c.Id));
    expect(row).toMatchObject({
      clientType: 'device_code',
      tenantId: t.tenantId,
      enabled: true,
      redirectUris: [],
      postLogoutRedirectUris: [],
      allowedCorsOrigins: [],
      refreshTokenLifetime: 86_400,
    });
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, c.Id))).toEqual([]);
    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.Id));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      action: 'client.created',
      actor: `client:${t.adminClient.clientId}`,
      details: expect.objectContaining({ via: 'api', clientType: 'device_code', redirectUris: [] }),
    });

    // The token service knows it at once: the device gets a user code to show.
    const started = await startDeviceFlow(c.Id);
    expect(started.status).toBe(200);
    expect(started.body).toMatchObject({ device_code: expect.any(String), user_code: expect.any(String) });
  });

  it('URL fields are ignored like any field the API does not know, even when they would be invalid: stored empty', async () => {
    const res = await post(DC(), {
      Name: 'CLI',
      RedirectUris: ['http://not-allowed.example.test/cb', 'javascript:alert(1)'],
      PostLogoutRedirectUris: ['https://app.example.test/out'],
      AllowedCorsOrigins: ['ftp://x'],
      SomethingElse: true,
    });
    expect(res.status).toBe(201);
    expectNoUrlFields(res.body);
    const [row] = await h.db.select().from(clients).where(eq(clients.id, (res.body as DeviceClient).Id));
    expect(row).toMatchObject({ redirectUris: [], postLogoutRedirectUris: [], allowedCorsOrigins: [] });
  });

  it('takes Id, lifetimes and roles; Enabled false adds it disabled in one step (no device flow)', async () => {
    const id = randomUUID().toUpperCase();
    const res = await post(DC(), {
      Id: id,
      Name: 'Disabled TV',
      Enabled: false,
      AccessTokenLifetime: 600,
      RefreshTokenLifetime: 300,
      RoleIds: [t.roleId('tenant_contributor')],
    });
    expect(res.status).toBe(201);
    const c = res.body as DeviceClient;
    expect(c).toMatchObject({ Id: id.toLowerCase(), Enabled: false, AccessTokenLifetime: 600, RefreshTokenLifetime: 300 });
    expect([...c.RoleIds].sort()).toEqual([t.roleId('tenant_member'), t.roleId('tenant_contributor')].sort());
    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.Id));
    expect(events.map((e) => e.action)).toEqual(['client.created']);
    expect(events[0].details).toMatchObject({ enabled: false });
    expect((await startDeviceFlow(c.Id)).body).toMatchObject({ error: 'invalid_client' });
  });

  describe('400 with the standard error body at the field; nothing written', () => {
    type Fields = Record<string, unknown> | (() => Record<string, unknown>);
    const cases: [string, Fields, string, RegExp][] = [
      ['no Name', { Name: undefined }, 'Name', /./],
      ['an empty Name', { Name: '   ' }, 'Name', /./],
      ['a Name with a line break', { Name: 'a\nb' }, 'Name', /./],
      ['a refresh token lifetime under 300', { RefreshTokenLifetime: 299 }, 'RefreshTokenLifetime', /300 to 7776000/],
      ['a refresh token lifetime over 90 days', { RefreshTokenLifetime: 7_776_001 }, 'RefreshTokenLifetime', /300 to 7776000/],
      ['a refresh token lifetime that is true', { RefreshTokenLifetime: true }, 'RefreshTokenLifetime', /300 to 7776000/],
      ['an access token lifetime over 3600', { AccessTokenLifetime: 3601 }, 'AccessTokenLifetime', /60 to 3600/],
      ['Enabled a string', { Enabled: 'false' }, 'Enabled', /true or false/],
      ['an Id that is not a GUID', { Id: 'my-tv' }, 'Id', /./],
      ['another tenant\'s role', () => ({ RoleIds: [other.roleId('tenant_contributor')] }), 'RoleIds', /do not exist/],
    ];
    for (const [label, fields, field, message] of cases) {
      it(label, async () => {
        const before = await counts();
        const res = await post(DC(), { Name: 'Refused', ...(typeof fields === 'function' ? fields() : fields) });
        expect(res.status).toBe(400);
        const body = res.body as ErrorBody;
        expect(body).toMatchObject({ Error: 'Missing or invalid inputs.', Reason: expect.any(String) });
        expect(body.Errors?.[field]).toMatch(message);
        expect(await counts()).toEqual(before);
      });
    }

    it('a body that is not an object', async () => {
      const before = await counts();
      const res = await post(DC(), [{ Name: 'x' }]);
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).Reason).toMatch(/JSON object/);
      expect(await counts()).toEqual(before);
    });
  });

  it('409 when the Id exists, whatever the type of the client that has it', async () => {
    const before = await counts();
    for (const id of [dcClient.clientId, acClient.clientId, otherDc.clientId]) {
      const res = await post(DC(), { Id: id, Name: 'Taken' });
      expect(res.status).toBe(409);
      expect((res.body as ErrorBody).Errors).toMatchObject({ Id: expect.any(String) });
    }
    expect(await counts()).toEqual(before);
  });
});

describe('GET DeviceCodeClients', () => {
  it('lists only the tenant\'s Device Code clients, oldest first, with Total-Count and skip/count', async () => {
    const list = await api.call('GET', DC(), { token });
    expect(list.status).toBe(200);
    const ids = (list.body as DeviceClient[]).map((c) => c.Id);
    expect(ids[0]).toBe(dcClient.clientId);
    for (const id of [acClient.clientId, hyClient.clientId, ccClient.clientId, otherDc.clientId]) expect(ids).not.toContain(id);
    const [{ n }] = await h.db
      .select({ n: count() })
      .from(clients)
      .where(and(eq(clients.tenantId, t.tenantId), eq(clients.clientType, 'device_code')));
    expect(list.headers.get('total-count')).toBe(String(n));
    expect(ids).toHaveLength(n);
    for (const c of list.body as DeviceClient[]) expectNoUrlFields(c);

    const page = await api.call('GET', `${DC()}?skip=1&count=1`, { token });
    expect((page.body as DeviceClient[]).map((c) => c.Id)).toEqual(ids.slice(1, 2));
    expect((await api.call('GET', `${DC()}?count=0`, { token })).status).toBe(400);
  });

  it('GET one: the client with an ETag, no URL fields', async () => {
    const res = await api.call('GET', `${DC()}/${dcClient.clientId}`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toMatchObject({ Id: dcClient.clientId, Name: 'Lobby display', RefreshTokenLifetime: 2_592_000 });
    expectNoUrlFields(res.body);
  });
});

describe('PUT DeviceCodeClients/{clientId}', () => {
  let tv: DeviceClient;
  beforeAll(async () => {
    tv = (await post(DC(), { Name: 'Editable TV' })).body as DeviceClient;
  });

  it('changes Name and RefreshTokenLifetime in one request (If-Match current); audited; a stale ETag is 412', async () => {
    const current = await api.call('GET', `${DC()}/${tv.Id}`, { token });
    const etag = current.headers.get('etag')!;
    const res = await put(`${DC()}/${tv.Id}`, { Name: 'Renamed TV', RefreshTokenLifetime: 3600 }, { 'If-Match': etag });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ ...tv, Name: 'Renamed TV', RefreshTokenLifetime: 3600, ModifiedDate: expect.any(String) });
    expect(res.headers.get('etag')).toBe('"3"'); // one version for Edit Client, one for the refresh token lifetime
    const [row] = await h.db.select().from(clients).where(eq(clients.id, tv.Id));
    expect(row).toMatchObject({ name: 'Renamed TV', refreshTokenLifetime: 3600, redirectUris: [], version: 3 });
    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, tv.Id)).orderBy(asc(auditEvents.id));
    expect(events.map((e) => e.action)).toEqual(['client.created', 'client.updated', 'client.updated']);
    expect(events.every((e) => (e.details as { via?: string }).via === 'api')).toBe(true);

    const stale = await put(`${DC()}/${tv.Id}`, { Name: 'Stale' }, { 'If-Match': etag });
    expect(stale.status).toBe(412);
    const [after] = await h.db.select().from(clients).where(eq(clients.id, tv.Id));
    expect(after).toEqual(row);
  });

  it('URL fields are ignored (even invalid ones): the client stays without URLs, and the answer has none', async () => {
    const [before] = await h.db.select().from(clients).where(eq(clients.id, tv.Id));
    const res = await put(`${DC()}/${tv.Id}`, { RedirectUris: ['http://not-allowed.example.test/cb'], PostLogoutRedirectUris: [REDIRECT], AllowedCorsOrigins: ['ftp://x'] });
    expect(res.status).toBe(200);
    expectNoUrlFields(res.body);
    const [after] = await h.db.select().from(clients).where(eq(clients.id, tv.Id));
    // Nothing to change: no write, no new version.
    expect(after).toEqual(before);
  });

  it('Enabled false disables it: its devices can no longer start the flow', async () => {
    const res = await put(`${DC()}/${tv.Id}`, { Enabled: false });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ Enabled: false, Name: 'Renamed TV' });
    expect((await startDeviceFlow(tv.Id)).body).toMatchObject({ error: 'invalid_client' });
    expect((await put(`${DC()}/${tv.Id}`, { Enabled: true })).status).toBe(200);
    expect((await startDeviceFlow(tv.Id)).status).toBe(200);
  });

  it('400 with the field for bad values, even beside valid changes: nothing changes', async () => {
    const [before] = await h.db.select().from(clients).where(eq(clients.id, tv.Id));
    const [, audits] = await counts();
    const res = await put(`${DC()}/${tv.Id}`, { Name: 'Would be fine', RefreshTokenLifetime: 0, AccessTokenLifetime: 'soon' });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      Error: 'Missing or invalid inputs.',
      Errors: { RefreshTokenLifetime: expect.stringMatching(/300 to 7776000/), AccessTokenLifetime: expect.any(String) },
    });
    expect(((await put(`${DC()}/${tv.Id}`, { Name: '' })).body as ErrorBody).Errors).toHaveProperty('Name');
    const role = await put(`${DC()}/${tv.Id}`, { RefreshTokenLifetime: 600, RoleIds: [other.roleId('tenant_viewer')] });
    expect(role.status).toBe(400);
    expect((role.body as ErrorBody).Errors?.RoleIds).toMatch(/do not exist/);
    const [after] = await h.db.select().from(clients).where(eq(clients.id, tv.Id));
    expect(after).toEqual(before);
    expect((await counts())[1]).toBe(audits);
  });
});

describe('DeviceCodeClients/{clientId}/Roles', () => {
  it('GET lists them; PUT replaces the list (Tenant Member stays); another tenant\'s role is 400', async () => {
    const c = (await post(DC(), { Name: 'With roles' })).body as DeviceClient;
    const replaced = await put(`${DC()}/${c.Id}/Roles`, [t.roleId('tenant_contributor'), { Id: t.roleId('tenant_viewer') }]);
    expect(replaced.status).toBe(200);
    expect((replaced.body as Role[]).map((r) => r.RoleType).sort()).toEqual(['tenant_contributor', 'tenant_member', 'tenant_viewer']);
    const listed = await api.call('GET', `${DC()}/${c.Id}/Roles`, { token });
    expect(listed.headers.get('total-count')).toBe('3');
    const refused = await put(`${DC()}/${c.Id}/Roles`, [other.roleId('tenant_contributor')]);
    expect(refused.status).toBe(400);
    expect((refused.body as ErrorBody).Errors?.RoleIds).toBeDefined();
    expect((await api.call('GET', `${DC()}/${c.Id}/Roles`, { token })).headers.get('total-count')).toBe('3');
    const [row] = await h.db.select().from(clients).where(eq(clients.id, c.Id));
    expect(row).toMatchObject({ clientType: 'device_code', redirectUris: [], name: 'With roles' });
  });
});

describe('DELETE DeviceCodeClients/{clientId}', () => {
  it('204; the client is gone; a second DELETE is 404; audited', async () => {
    const c = (await post(DC(), { Name: 'To remove' })).body as DeviceClient;
    const res = await api.call('DELETE', `${DC()}/${c.Id}`, { token });
    expect(res.status).toBe(204);
    expect(await h.db.select().from(clients).where(eq(clients.id, c.Id))).toEqual([]);
    expect((await api.call('GET', `${DC()}/${c.Id}`, { token })).status).toBe(404);
    expect((await api.call('DELETE', `${DC()}/${c.Id}`, { token })).status).toBe(404);
    const [event] = await h.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, c.Id), eq(auditEvents.action, 'client.removed')));
    expect(event.details).toMatchObject({ via: 'api' });
    expect((await startDeviceFlow(c.Id)).body).toMatchObject({ error: 'invalid_client' });
  });
});

describe('each collection answers only for its own type', () => {
  const cases: [string, () => string, () => string][] = [
    ['an Authorization Code client under DeviceCodeClients', () => DC(), () => acClient.clientId],
    ['a Hybrid client under DeviceCodeClients', () => DC(), () => hyClient.clientId],
    ['a client-credentials client under DeviceCodeClients', () => DC(), () => ccClient.clientId],
    ['a Device Code client under AuthorizationCodeClients', () => AC(), () => dcClient.clientId],
    ['a Device Code client under HybridClients', () => HY(), () => dcClient.clientId],
    ['a Device Code client under ClientCredentialClients', () => CC(), () => dcClient.clientId],
    ['another tenant\'s Device Code client', () => DC(), () => otherDc.clientId],
  ];
  itAnswersForeignClientsAsUnknown(() => ({ db: h.db, api, token, roleId: t.roleId('tenant_administrator') }), cases);

  it('a Device Code client has no Secrets or Keys here: 404', async () => {
    for (const path of [`${DC()}/${dcClient.clientId}/Secrets`, `${DC()}/${dcClient.clientId}/Keys`]) {
      expect((await api.call('GET', path, { token })).status, path).toBe(404);
      expect((await post(path, { Description: 'x' })).status, path).toBe(404);
    }
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, dcClient.clientId))).toEqual([]);
  });
});

describe('who may call', () => {
  it('401 without a token; 403 without Tenant Administrator or for another tenant\'s path; nothing written', async () => {
    for (const path of [DC(), `${DC()}/${dcClient.clientId}`, `${DC()}/${dcClient.clientId}/Roles`]) {
      const res = await api.call('GET', path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await api.call('GET', path, { token: plainToken })).status, path).toBe(403);
    }
    const before = [await counts(), await counts(other.tenantId)];
    expect((await post(DC(), { Name: 'x' }, plainToken)).status).toBe(403);
    expect((await post(DC(other.tenantId), { Name: 'x' })).status).toBe(403);
    expect((await api.call('DELETE', `${DC(other.tenantId)}/${otherDc.clientId}`, { token })).status).toBe(403);
    expect((await api.call('GET', `${DC()}/${dcClient.clientId}`, { token: otherToken })).status).toBe(403);
    expect([await counts(), await counts(other.tenantId)]).toEqual(before);
  });
});
