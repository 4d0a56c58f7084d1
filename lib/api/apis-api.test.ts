import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import { decodeJwt } from 'jose';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { apiResources, auditEvents, clientApiAccess, clients } from '../db/schema';
import { createTestClient, type TestClient } from '../testing/clients';
import { createTestDb } from '../testing/db';
import { startApiTestServer } from './testing/api-server';
import { apiClient, apiTenant, type ApiServer } from './testing/fixtures';
import type { ApiErrorBody as ErrorBody } from '../http/api-answers';

// Identifiers are unique across tenants and PostgreSQL test runs share one database: each run uses its own.
const RUN = randomUUID().slice(0, 8);

/*
 * The REST API's Apis collection and a client's ApiAccess (RFC 8707 resource indicators) over HTTP; every answer is
 * also checked against the OpenAPI document by lib/api/testing/fixtures.ts. The test server answers /identity too, so
 * the last test gets a token for an API from the real token endpoint.
 */
let h: DbHandle;
let srv: ApiServer;
let api: ReturnType<typeof apiClient>;
let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let token: string;
let plainToken: string;
let ccClient: TestClient;
let dcClient: TestClient;
let acClient: TestClient;
/** An API of `other`, made through the API with its own token. */
let theirs: ApiBody;

type ApiBody = {
  Id: string;
  Name: string;
  Identifier: string;
  Scopes: string[];
  ClientCount: number;
  CreatedDate: string;
  CreatedBy: string;
  ModifiedDate: string;
  ModifiedBy: string;
};
type Access = { ApiId: string; Identifier: string; Name: string; Scopes: string[] | null };

const APIS = (tenantId = t.tenantId) => `/api/v1/Tenants/${tenantId}/Apis`;
const ACCESS = (collection: string, clientId: string, tenantId = t.tenantId) => `/api/v1/Tenants/${tenantId}/${collection}/${clientId}/ApiAccess`;

beforeAll(async () => {
  h = await createTestDb();
  srv = await startApiTestServer(h);
  api = apiClient(srv);
  t = await apiTenant(h, 'Apis API');
  other = await apiTenant(h, 'Apis API other');
  token = await api.tokenFor(t.adminClient);
  plainToken = await api.tokenFor(t.plainClient);
  ccClient = await createTestClient(h.db, { tenantId: t.tenantId, name: 'Order sync' });
  dcClient = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'device_code', secrets: [], name: 'Lobby display' });
  acClient = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'authorization_code', secrets: [], redirectUris: ['https://app.example.test/cb'] });
  const created = await api.call('POST', APIS(other.tenantId), {
    token: await api.tokenFor(other.adminClient),
    json: { Name: 'Theirs', Identifier: `https://theirs-${RUN}.example.com`, Scopes: ['theirs:read'] },
  });
  theirs = created.body as ApiBody;
});
afterAll(async () => {
  await srv?.close();
  await h?.close();
});

const post = (body: unknown, tk = token) => api.call('POST', APIS(), { token: tk, json: body });
const put = (path: string, body: unknown, headers: Record<string, string> = {}) => api.call('PUT', path, { token, json: body, headers });

async function counts() {
  const [{ n: a }] = await h.db.select({ n: count() }).from(apiResources).where(eq(apiResources.tenantId, t.tenantId));
  const [{ n: e }] = await h.db.select({ n: count() }).from(auditEvents).where(eq(auditEvents.tenantId, t.tenantId));
  const [{ n: g }] = await h.db.select({ n: count() }).from(clientApiAccess);
  return [a, e, g];
}

async function auditOf(targetId: string) {
  return (await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, targetId)).orderBy(auditEvents.id)).map((e) => ({ action: e.action, details: e.details as Record<string, unknown> }));
}

describe('POST Apis', () => {
  it('201 with Location and the API; stored; audited via api', async () => {
    const res = await post({ Name: '  Orders  ', Identifier: `https://orders-${RUN}.example.com`, Scopes: ['orders:read', 'orders:write', 'orders:read'] });
    expect(res.status).toBe(201);
    expect(res.headers.get('cache-control')).toBe('no-store');
    const body = res.body as ApiBody;
    expect(body).toEqual({
      Id: expect.any(String),
      Name: 'Orders',
      Identifier: `https://orders-${RUN}.example.com`,
      Scopes: ['orders:read', 'orders:write'],
      ClientCount: 0,
      CreatedDate: expect.any(String),
      CreatedBy: `client:${t.adminClient.clientId}`,
      ModifiedDate: expect.any(String),
      ModifiedBy: `client:${t.adminClient.clientId}`,
    });
    expect(res.headers.get('location')).toBe(`${APIS()}/${body.Id}`);
    const [row] = await h.db.select().from(apiResources).where(eq(apiResources.id, body.Id));
    expect(row).toMatchObject({ tenantId: t.tenantId, identifier: `https://orders-${RUN}.example.com`, scopes: ['orders:read', 'orders:write'], version: 1 });
    expect(await auditOf(body.Id)).toEqual([
      { action: 'api.created', details: expect.objectContaining({ via: 'api', identifier: `https://orders-${RUN}.example.com` }) },
    ]);
  });

  it('Scopes may be left out (none), or sent as one space-separated string as the console takes them', async () => {
    const none = await post({ Name: 'No scopes', Identifier: `https://none-${RUN}.example.com` });
    expect(none).toMatchObject({ status: 201, body: { Scopes: [] } });
    const text = await post({ Name: 'Text scopes', Identifier: `urn:example:text-${RUN}`, Scopes: 'a:read  b:write' });
    expect(text).toMatchObject({ status: 201, body: { Scopes: ['a:read', 'b:write'] } });
  });

  it('409 at Identifier for an identifier in use, this tenant\'s or another\'s (identifiers are the tokens\' aud)', async () => {
    const before = await counts();
    const res = await post({ Name: 'Orders again', Identifier: `https://orders-${RUN}.example.com` });
    expect(res.status).toBe(409);
    expect((res.body as ErrorBody).Errors?.Identifier).toMatch(/already in use by another API/);
    expect(await counts()).toEqual(before);
    const same = await post({ Name: 'Also theirs', Identifier: theirs.Identifier });
    expect(same.status).toBe(409);
    expect((same.body as ErrorBody).Errors?.Identifier).toMatch(/already in use by another API/);
    expect(await counts()).toEqual(before);
  });

  describe('400 at the field; nothing written', () => {
    const cases: [string, Record<string, unknown>, string, RegExp][] = [
      ['no Name', { Name: undefined }, 'Name', /./],
      ['a Name with a line break', { Name: 'a\nb' }, 'Name', /printable/],
      ['no Identifier', { Identifier: undefined }, 'Identifier', /./],
      ['a relative Identifier', { Identifier: '/orders' }, 'Identifier', /absolute URI/],
      ['an Identifier with a fragment', { Identifier: 'https://x.example.com/#a' }, 'Identifier', /fragment/],
      ['an Identifier with credentials', { Identifier: 'https://u:p@x.example.com/' }, 'Identifier', /user name or password/],
      ['an Identifier of 201 characters', { Identifier: `https://x.example.com/${'a'.repeat(179)}` }, 'Identifier', /200 characters/],
      ['an Identifier that is a number', { Identifier: 42 }, 'Identifier', /./],
      ['a scope with a quote', { Scopes: ['orders"read'] }, 'Scopes', /printable characters/],
      ['a scope with a space inside an item', { Scopes: ['orders read', 'x'] }, 'Scopes', /printable characters/],
      ['the OpenID scope', { Scopes: ['orders:read', 'openid'] }, 'Scopes', /OpenID Connect scope/],
      ['offline_access', { Scopes: ['offline_access'] }, 'Scopes', /OpenID Connect scope/],
      ['51 scopes', { Scopes: Array.from({ length: 51 }, (_, i) => `s${i}`) }, 'Scopes', /at most 50/],
      ['Scopes a number', { Scopes: 7 }, 'Scopes', /./],
    ];
    for (const [label, fields, field, message] of cases) {
      it(label, async () => {
        const before = await counts();
        const res = await post({ Name: 'Refused', Identifier: `https://refused-${randomUUID()}.example.com`, ...fields });
        expect(res.status).toBe(400);
        const body = res.body as ErrorBody;
        expect(body).toMatchObject({ Error: 'Missing or invalid inputs.', Reason: expect.any(String) });
        expect(body.Errors?.[field]).toMatch(message);
        expect(await counts()).toEqual(before);
      });
    }

    it('a body that is not an object', async () => {
      const res = await post([{ Name: 'x', Identifier: 'https://x.example.com' }]);
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).Reason).toMatch(/JSON object/);
    });
  });
});

describe('GET Apis', () => {
  it('lists the tenant\'s APIs by name, with Total-Count and skip/count; never another tenant\'s', async () => {
    const list = await api.call('GET', APIS(), { token });
    expect(list.status).toBe(200);
    const apis = list.body as ApiBody[];
    const [{ n }] = await h.db.select({ n: count() }).from(apiResources).where(eq(apiResources.tenantId, t.tenantId));
    expect(list.headers.get('total-count')).toBe(String(n));
    expect(apis).toHaveLength(n);
    expect(apis.map((a) => a.Id)).not.toContain(theirs.Id);
    const names = apis.map((a) => a.Name.toLowerCase());
    expect(names).toEqual([...names].sort());
    const page = await api.call('GET', `${APIS()}?skip=1&count=2`, { token });
    expect((page.body as ApiBody[]).map((a) => a.Id)).toEqual(apis.slice(1, 3).map((a) => a.Id));
    expect(page.headers.get('total-count')).toBe(String(n));
    expect((await api.call('GET', `${APIS()}?count=0`, { token })).status).toBe(400);
  });
});

describe('GET / PUT / DELETE Apis/{apiId}', () => {
  let billing: ApiBody;
  beforeAll(async () => {
    billing = (await post({ Name: 'Billing', Identifier: `https://billing-${RUN}.example.com`, Scopes: ['invoices:read'] })).body as ApiBody;
  });

  it('GET: the API with its version as ETag', async () => {
    const res = await api.call('GET', `${APIS()}/${billing.Id}`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(res.body).toEqual(billing);
  });

  it('PUT with If-Match changes Name and Scopes (new ETag, audited); a stale ETag is 412 and changes nothing', async () => {
    const etag = (await api.call('GET', `${APIS()}/${billing.Id}`, { token })).headers.get('etag')!;
    const res = await put(`${APIS()}/${billing.Id}`, { Name: 'Billing v2', Scopes: ['invoices:read', 'invoices:write'] }, { 'If-Match': etag });
    expect(res.status).toBe(200);
    expect(res.headers.get('etag')).toBe('"2"');
    expect(res.body).toEqual({ ...billing, Name: 'Billing v2', Scopes: ['invoices:read', 'invoices:write'], ModifiedDate: expect.any(String) });
    const events = await auditOf(billing.Id);
    expect(events.map((e) => [e.action, e.details.via])).toEqual([
      ['api.created', 'api'],
      ['api.updated', 'api'],
    ]);

    const [before] = await h.db.select().from(apiResources).where(eq(apiResources.id, billing.Id));
    const stale = await put(`${APIS()}/${billing.Id}`, { Name: 'Stale' }, { 'If-Match': etag });
    expect(stale.status).toBe(412);
    const [after] = await h.db.select().from(apiResources).where(eq(apiResources.id, billing.Id));
    expect(after).toEqual(before);
  });

  it('PUT: fields left out keep their values; the Identifier may be sent back unchanged', async () => {
    const res = await put(`${APIS()}/${billing.Id}`, { Name: 'Billing v3', Identifier: `https://billing-${RUN}.example.com` });
    expect(res).toMatchObject({ status: 200, body: { Name: 'Billing v3', Identifier: `https://billing-${RUN}.example.com`, Scopes: ['invoices:read', 'invoices:write'] } });
  });

  it('PUT: another Identifier is refused at the field, even beside a good change; nothing changes', async () => {
    const [before] = await h.db.select().from(apiResources).where(eq(apiResources.id, billing.Id));
    const [, audits] = await counts();
    for (const Identifier of [`https://billing2-${RUN}.example.com`, `https://billing-${RUN}.example.com/`, null, 42]) {
      const res = await put(`${APIS()}/${billing.Id}`, { Name: 'Renamed', Identifier });
      expect(res.status, String(Identifier)).toBe(400);
      expect((res.body as ErrorBody).Errors?.Identifier).toMatch(/cannot be changed/);
    }
    const bad = await put(`${APIS()}/${billing.Id}`, { Name: '', Scopes: ['openid'] });
    expect((bad.body as ErrorBody).Errors).toMatchObject({ Name: expect.any(String), Scopes: expect.stringMatching(/OpenID Connect/) });
    const [after] = await h.db.select().from(apiResources).where(eq(apiResources.id, billing.Id));
    expect(after).toEqual(before);
    expect((await counts())[1]).toBe(audits);
  });

  it('another tenant\'s API id, an unknown one or one that is not a GUID is 404 for GET, PUT and DELETE', async () => {
    const before = await h.db.select().from(apiResources).where(eq(apiResources.id, theirs.Id));
    for (const id of [theirs.Id, randomUUID(), 'orders']) {
      expect((await api.call('GET', `${APIS()}/${id}`, { token })).status, id).toBe(404);
      expect((await put(`${APIS()}/${id}`, { Name: 'Mine now' })).status, id).toBe(404);
      expect((await api.call('DELETE', `${APIS()}/${id}`, { token })).status, id).toBe(404);
    }
    expect(await h.db.select().from(apiResources).where(eq(apiResources.id, theirs.Id))).toEqual(before);
  });

  it('DELETE: 204, then 404; the clients\' access to it goes with it; audited', async () => {
    const doomed = (await post({ Name: 'Doomed', Identifier: `https://doomed-${RUN}.example.com`, Scopes: ['d'] })).body as ApiBody;
    expect((await put(ACCESS('ClientCredentialClients', ccClient.clientId), [{ ApiId: doomed.Id, Scopes: null }])).status).toBe(200);
    expect((await api.call('GET', `${APIS()}/${doomed.Id}`, { token })).body).toMatchObject({ ClientCount: 1 });
    const res = await api.call('DELETE', `${APIS()}/${doomed.Id}`, { token });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    expect((await api.call('GET', `${APIS()}/${doomed.Id}`, { token })).status).toBe(404);
    expect((await api.call('DELETE', `${APIS()}/${doomed.Id}`, { token })).status).toBe(404);
    expect(await h.db.select().from(clientApiAccess).where(eq(clientApiAccess.apiId, doomed.Id))).toEqual([]);
    expect((await auditOf(doomed.Id)).map((e) => [e.action, e.details.via])).toEqual([
      ['api.created', 'api'],
      ['api.removed', 'api'],
    ]);
    expect((await put(ACCESS('ClientCredentialClients', ccClient.clientId), [])).status).toBe(200);
  });
});

describe('{Collection}/{clientId}/ApiAccess', () => {
  let inventory: ApiBody;
  let shipping: ApiBody;
  beforeAll(async () => {
    inventory = (await post({ Name: 'Inventory', Identifier: `https://inventory-${RUN}.example.com`, Scopes: ['stock:read', 'stock:write'] })).body as ApiBody;
    shipping = (await post({ Name: 'Shipping', Identifier: `urn:example:shipping-${RUN}`, Scopes: ['ship'] })).body as ApiBody;
  });

  it('PUT / GET round trip on a client-credentials client: the list replaced, with Identifier and Name; audited; versioned', async () => {
    const path = ACCESS('ClientCredentialClients', ccClient.clientId);
    expect(await api.call('GET', path, { token })).toMatchObject({ status: 200, body: [] });
    const [{ version: before }] = await h.db.select({ version: clients.version }).from(clients).where(eq(clients.id, ccClient.clientId));
    const res = await put(path, [
      { ApiId: shipping.Id, Scopes: null },
      { ApiId: inventory.Id.toUpperCase(), Scopes: ['stock:read'] },
    ]);
    expect(res.status).toBe(200);
    const expected: Access[] = [
      { ApiId: inventory.Id, Identifier: `https://inventory-${RUN}.example.com`, Name: 'Inventory', Scopes: ['stock:read'] },
      { ApiId: shipping.Id, Identifier: `urn:example:shipping-${RUN}`, Name: 'Shipping', Scopes: null },
    ];
    expect(res.body).toEqual(expected);
    expect((await api.call('GET', path, { token })).body).toEqual(expected);
    const [{ version: after }] = await h.db.select({ version: clients.version }).from(clients).where(eq(clients.id, ccClient.clientId));
    expect(after).toBe(before + 1);
    const [event] = (await auditOf(ccClient.clientId)).filter((e) => e.action === 'client.updated');
    expect(event.details).toMatchObject({ via: 'api', changes: { apiAccess: { from: [], to: expect.any(Array) } } });
    expect((await api.call('GET', `${APIS()}/${inventory.Id}`, { token })).body).toMatchObject({ ClientCount: 1 });

    // Replaced as a whole: the Shipping grant goes.
    const replaced = await put(path, [{ ApiId: inventory.Id, Scopes: ['stock:read', 'stock:write'] }]);
    expect(replaced.body).toEqual([{ ...expected[0], Scopes: ['stock:read', 'stock:write'] }]);
  });

  it('PUT / GET round trip on a Device Code client', async () => {
    const path = ACCESS('DeviceCodeClients', dcClient.clientId);
    const res = await put(path, [{ ApiId: shipping.Id, Scopes: ['ship'] }]);
    expect(res).toMatchObject({ status: 200, body: [{ ApiId: shipping.Id, Identifier: `urn:example:shipping-${RUN}`, Name: 'Shipping', Scopes: ['ship'] }] });
    expect((await api.call('GET', path, { token })).body).toEqual(res.body);
    expect((await put(path, [])).body).toEqual([]);
    expect((await api.call('GET', path, { token })).body).toEqual([]);
  });

  describe('400 at the field; nothing written', () => {
    const cases: [string, () => unknown, string, RegExp][] = [
      ['an API of another tenant', () => [{ ApiId: theirs.Id, Scopes: null }], 'ApiAccess', /API was not found/],
      ['an unknown API', () => [{ ApiId: randomUUID(), Scopes: null }], 'ApiAccess', /API was not found/],
      ['a scope the API does not have', () => [{ ApiId: inventory.Id, Scopes: ['stock:delete'] }], 'ApiAccess', /has no scope stock:delete/],
      ['the same API twice', () => [{ ApiId: inventory.Id, Scopes: null }, { ApiId: inventory.Id, Scopes: [] }], 'ApiAccess', /once/],
      ['an ApiId that is not a GUID', () => [{ ApiId: 'inventory', Scopes: null }], 'ApiAccess[0].ApiId', /Unknown API/],
      ['Scopes left out', () => [{ ApiId: inventory.Id }], 'ApiAccess[0].Scopes', /./],
      ['Scopes a string', () => [{ ApiId: inventory.Id, Scopes: 'stock:read' }], 'ApiAccess[0].Scopes', /./],
      ['an item that is not an object', () => [inventory.Id], 'ApiAccess[0]', /./],
      ['an object instead of an array', () => ({ ApiId: inventory.Id, Scopes: null }), 'ApiAccess', /JSON array/],
    ];
    for (const [label, body, field, message] of cases) {
      it(label, async () => {
        const path = ACCESS('ClientCredentialClients', ccClient.clientId);
        const before = await counts();
        const [client] = await h.db.select().from(clients).where(eq(clients.id, ccClient.clientId));
        const res = await put(path, body());
        expect(res.status).toBe(400);
        expect((res.body as ErrorBody).Errors?.[field]).toMatch(message);
        expect(await counts()).toEqual(before);
        expect((await h.db.select().from(clients).where(eq(clients.id, ccClient.clientId)))[0]).toEqual(client);
      });
    }
  });

  it('404 for a client of another type in the collection, another tenant\'s client and an unknown one: nothing written', async () => {
    const before = await counts();
    const paths = [
      ACCESS('ClientCredentialClients', dcClient.clientId),
      ACCESS('DeviceCodeClients', ccClient.clientId),
      ACCESS('AuthorizationCodeClients', dcClient.clientId),
      ACCESS('HybridClients', acClient.clientId),
      ACCESS('ClientCredentialClients', other.adminClient.clientId),
      ACCESS('DeviceCodeClients', randomUUID()),
    ];
    for (const path of paths) {
      expect((await api.call('GET', path, { token })).status, path).toBe(404);
      expect((await put(path, [{ ApiId: inventory.Id, Scopes: null }])).status, path).toBe(404);
    }
    expect(await counts()).toEqual(before);
    // Its own collection answers.
    expect((await api.call('GET', ACCESS('AuthorizationCodeClients', acClient.clientId), { token })).status).toBe(200);
  });
});

describe('who may call', () => {
  it('401 without a token; 403 without Tenant Administrator or on another tenant\'s path; nothing written', async () => {
    const before = await counts();
    for (const path of [APIS(), ACCESS('ClientCredentialClients', ccClient.clientId)]) {
      const res = await api.call('GET', path);
      expect(res.status, path).toBe(401);
      expect(res.headers.get('www-authenticate')).toMatch(/^Bearer/);
      expect((await api.call('GET', path, { token: plainToken })).status, path).toBe(403);
    }
    expect((await post({ Name: 'x', Identifier: 'https://x.example.com' }, plainToken)).status).toBe(403);
    expect((await api.call('POST', APIS(other.tenantId), { token, json: { Name: 'x', Identifier: 'https://x.example.com' } })).status).toBe(403);
    expect((await api.call('DELETE', `${APIS(other.tenantId)}/${theirs.Id}`, { token })).status).toBe(403);
    expect(await counts()).toEqual(before);
  });
});

describe('end to end through the token endpoint', () => {
  async function tokenRequest(client: TestClient, params: Record<string, string>) {
    const res = await fetch(`${srv.issuer}/connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret, ...params }),
    });
    return { status: res.status, body: (await res.json()) as Record<string, string> };
  }

  it('access given through the REST API gives a token whose aud is the Identifier; that token is refused by the REST API itself', async () => {
    const reports = (await post({ Name: 'Reports', Identifier: `https://reports-${RUN}.example.com`, Scopes: ['reports:read', 'reports:export'] })).body as ApiBody;
    const admin = t.adminClient;
    // Not granted yet: invalid_target.
    expect(await tokenRequest(admin, { resource: reports.Identifier })).toMatchObject({ status: 400, body: { error: 'invalid_target' } });

    const granted = await put(ACCESS('ClientCredentialClients', admin.clientId), [{ ApiId: reports.Id, Scopes: ['reports:read'] }]);
    expect(granted.status).toBe(200);
    const issued = await tokenRequest(admin, { resource: reports.Identifier });
    expect(issued.status).toBe(200);
    const claims = decodeJwt(issued.body.access_token);
    expect(claims.aud).toBe(`https://reports-${RUN}.example.com`);
    expect(claims.scope).toBe('reports:read');
    expect(await tokenRequest(admin, { resource: reports.Identifier, scope: 'reports:export' })).toMatchObject({ body: { error: 'invalid_scope' } });
    expect(await tokenRequest(admin, { resource: theirs.Identifier })).toMatchObject({ status: 400, body: { error: 'invalid_target' } });

    // The same administrator client, but a token for another API: the console's API wants its own audience.
    const refused = await api.call('GET', APIS(), { token: issued.body.access_token });
    expect(refused.status).toBe(401);
    expect(refused.headers.get('www-authenticate')).toMatch(/invalid_token/);
    expect((refused.body as ErrorBody).Reason).toMatch(/another audience/);
    // Its default-audience token still works.
    expect((await api.call('GET', APIS(), { token: await api.tokenFor(admin) })).status).toBe(200);

    // Withdrawn through the REST API: no more tokens for it.
    expect((await put(ACCESS('ClientCredentialClients', admin.clientId), [])).status).toBe(200);
    expect(await tokenRequest(admin, { resource: reports.Identifier })).toMatchObject({ status: 400, body: { error: 'invalid_target' } });
    const [{ n }] = await h.db.select({ n: count() }).from(clientApiAccess).where(and(eq(clientApiAccess.clientId, admin.clientId), eq(clientApiAccess.apiId, reports.Id)));
    expect(n).toBe(0);
  });
});
