import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { decodeProtectedHeader } from 'jose';
import type { DbHandle } from '../db';
import { clients } from '../db/schema';
import { createTestClient } from '../testing/clients';
import { createTestDb } from '../testing/db';
import { notifySigningKeysChanged } from '../tokens/invalidation';
import { rotateSigningKey } from '../tokens/signing-keys';
import { startApiTestServer } from './testing/api-server';
import { apiClient, apiTenant, type ApiServer } from './testing/fixtures';
import { testSession } from '../testing/session';

// The console session, as next-auth would resolve it for the request (null: signed out): vitest.setup.ts.
const session = testSession;

let h: DbHandle;
let srv: ApiServer;
let api: ReturnType<typeof apiClient>;
let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let adminToken: string;

const list = (tenantId: string) => `/api/v1/Tenants/${tenantId}/ClientCredentialClients`;
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

beforeAll(async () => {
  h = await createTestDb();
  srv = await startApiTestServer(h);
  api = apiClient(srv);
  t = await apiTenant(h, 'Auth');
  other = await apiTenant(h, 'Auth other');
  adminToken = await api.tokenFor(t.adminClient);
});
afterAll(async () => {
  await srv?.close();
  await h?.close();
});
beforeEach(() => {
  session.user = null;
});

/** A token with our real signing key but claims of the test's choosing. */
async function signed(overrides: Record<string, unknown>) {
  const now = Math.floor(Date.now() / 1000);
  return srv.service.keys.signer().sign({
    iss: srv.issuer,
    aud: `${srv.issuer}/resources`,
    sub: t.adminClient.clientId,
    client_id: t.adminClient.clientId,
    tenant_id: t.tenantId,
    iat: now,
    nbf: now,
    exp: now + 600,
    jti: randomUUID(),
    ...overrides,
  });
}

function expectBearerChallenge(res: { status: number; headers: Headers; body: unknown }, error?: string) {
  expect(res.status).toBe(401);
  const challenge = res.headers.get('www-authenticate') ?? '';
  expect(challenge).toMatch(/^Bearer realm="api"/);
  if (error) expect(challenge).toContain(`error="${error}"`);
  else expect(challenge).not.toContain('error=');
  expect(res.headers.get('cache-control')).toBe('no-store');
  expect(res.body).toMatchObject({ Error: 'Unauthorized.', Reason: expect.any(String), OperationId: expect.any(String) });
}

describe('bearer tokens', () => {
  it('a token from the token endpoint of a Tenant Administrator client is accepted', async () => {
    const res = await api.call('GET', list(t.tenantId), { token: adminToken });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
  });

  it('no Authorization header: 401 with a Bearer challenge without an error code (RFC 6750 3.1)', async () => {
    expectBearerChallenge(await api.call('GET', list(t.tenantId)));
  });

  it('another scheme or a malformed header: 401 invalid_token', async () => {
    for (const header of ['Basic dXNlcjpwYXNz', 'Bearer', 'Bearer a b', `Token ${adminToken}`]) {
      expectBearerChallenge(await api.call('GET', list(t.tenantId), { headers: { Authorization: header } }), 'invalid_token');
    }
  });

  it('garbage, a tampered payload or a forged signature: 401 invalid_token', async () => {
    const [header, payload, signature] = adminToken.split('.');
    const claims = JSON.parse(Buffer.from(payload, 'base64url').toString()) as Record<string, unknown>;
    const tampered = `${header}.${b64({ ...claims, tenant_id: other.tenantId })}.${signature}`;
    const unsigned = `${b64({ alg: 'none', typ: 'at+jwt', kid: JSON.parse(Buffer.from(header, 'base64url').toString()).kid })}.${payload}.`;
    const unknownKid = `${b64({ alg: 'ES256', typ: 'at+jwt', kid: 'not-a-key' })}.${payload}.${signature}`;
    for (const token of ['abc', 'a.b.c', tampered, unsigned, unknownKid, `${header}.${payload}.${signature.slice(0, -4)}AAAA`]) {
      expectBearerChallenge(await api.call('GET', list(t.tenantId), { token }), 'invalid_token');
    }
  });

  it('an expired token: 401 invalid_token saying so', async () => {
    const now = Math.floor(Date.now() / 1000);
    const res = await api.call('GET', list(t.tenantId), { token: await signed({ iat: now - 4000, nbf: now - 4000, exp: now - 1 }) });
    expectBearerChallenge(res, 'invalid_token');
    expect(res.body).toMatchObject({ Reason: 'The access token has expired.' });
    expect(res.headers.get('www-authenticate')).toContain('error_description="The access token has expired."');
  });

  it('a token of another issuer or audience, or not yet valid: 401', async () => {
    const now = Math.floor(Date.now() / 1000);
    for (const claims of [
      { iss: 'https://elsewhere.example/identity' },
      { aud: 'https://elsewhere.example/resources' },
      { nbf: now + 3600 },
      { exp: 'soon' },
    ]) {
      expectBearerChallenge(await api.call('GET', list(t.tenantId), { token: await signed(claims) }), 'invalid_token');
    }
    // The positive control: the same construction with the right claims passes.
    expect((await api.call('GET', list(t.tenantId), { token: await signed({}) })).status).toBe(200);
  });

  it('the token of a client disabled or removed after it got the token: 401 invalid_token', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, roleTypes: ['tenant_administrator'] });
    const token = await api.tokenFor(c);
    expect((await api.call('GET', list(t.tenantId), { token })).status).toBe(200);

    await h.db.update(clients).set({ enabled: false }).where(eq(clients.id, c.clientId));
    const disabled = await api.call('GET', list(t.tenantId), { token });
    expectBearerChallenge(disabled, 'invalid_token');
    expect(disabled.body).toMatchObject({ Reason: 'The client of this access token is disabled or no longer exists.' });

    await h.db.update(clients).set({ enabled: true }).where(eq(clients.id, c.clientId));
    expect((await api.call('GET', list(t.tenantId), { token })).status).toBe(200);
    await h.db.delete(clients).where(eq(clients.id, c.clientId));
    expectBearerChallenge(await api.call('GET', list(t.tenantId), { token }), 'invalid_token');
  });

  it('a valid token for another tenant\'s path: 403 insufficient_scope, also for ids that are not GUIDs', async () => {
    for (const path of [list(other.tenantId), `${list(other.tenantId)}/${other.adminClient.clientId}`, list('not-a-tenant')]) {
      const res = await api.call('GET', path, { token: adminToken });
      expect(res.status).toBe(403);
      expect(res.headers.get('www-authenticate')).toContain('error="insufficient_scope"');
      expect(res.body).toMatchObject({ Error: 'Forbidden.', Reason: 'This access token is for another tenant.' });
    }
  });

  it('a valid token of a client without Tenant Administrator: 403, and the role is read at each request', async () => {
    const token = await api.tokenFor(t.plainClient);
    const res = await api.call('GET', list(t.tenantId), { token });
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ Reason: 'The client needs the Tenant Administrator role of this tenant.' });
    // POST is refused the same way, before the body is looked at.
    expect((await api.call('POST', list(t.tenantId), { token, json: { Name: 'x' } })).status).toBe(403);
  });
});

describe('console session', () => {
  // The browser sends the session cookie; the mocked getSessionUser stands for next-auth reading it.
  const call: typeof api.call = (method, path, opts = {}) =>
    api.call(method, path, { ...opts, headers: { Cookie: 'authjs.session-token=test', ...opts.headers } });

  it('a signed-in Tenant Administrator may call the API same-origin; GET needs no Origin', async () => {
    session.user = t.admin;
    expect((await call('GET', list(t.tenantId))).status).toBe(200);
    expect((await call('GET', list(t.tenantId), { headers: { Origin: srv.origin, 'Sec-Fetch-Site': 'same-origin' } })).status).toBe(200);
  });

  it('a same-origin POST with the session creates the client, recorded as the user via the API', async () => {
    session.user = t.admin;
    const res = await call('POST', list(t.tenantId), { json: { Name: 'From the console session' }, headers: { Origin: srv.origin } });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ Name: 'From the console session', CreatedBy: t.admin.email });
  });

  it('cross-site requests with the session are refused (403), and nothing is written', async () => {
    session.user = t.admin;
    const before = (await call('GET', list(t.tenantId))).headers.get('total-count');
    const attempts: Record<string, string>[] = [
      { Origin: 'https://evil.example' },
      { Origin: 'null' },
      { Origin: srv.origin, 'Sec-Fetch-Site': 'cross-site' },
      { Origin: srv.origin, 'Sec-Fetch-Site': 'same-site' },
      {},
    ];
    for (const headers of attempts) {
      const res = await call('POST', list(t.tenantId), { json: { Name: 'CSRF' }, headers });
      expect(res.status).toBe(403);
      expect((res.body as { Reason: string }).Reason).toMatch(/Cross-site|Origin header/);
    }
    expect((await call('GET', list(t.tenantId), { headers: { Origin: 'https://evil.example' } })).status).toBe(403);
    expect((await call('GET', list(t.tenantId))).headers.get('total-count')).toBe(before);
  });

  it('a Tenant Member\'s session: 403; another tenant\'s administrator: 403; signed out: 401', async () => {
    session.user = t.member;
    expect((await call('GET', list(t.tenantId))).status).toBe(403);
    session.user = other.admin;
    const res = await call('GET', list(t.tenantId));
    expect(res.status).toBe(403);
    expect(res.body).toMatchObject({ Reason: 'You can only manage your own tenant.' });
    session.user = null;
    expectBearerChallenge(await call('GET', list(t.tenantId)));
    // Without any cookie the session is not even looked up.
    session.user = t.admin;
    expectBearerChallenge(await api.call('GET', list(t.tenantId)));
  });

  it('a bearer token wins over the session: a bad token with a valid session is still a 401', async () => {
    session.user = t.admin;
    expectBearerChallenge(await call('GET', list(t.tenantId), { token: 'nope' }), 'invalid_token');
  });
});

// Last in this file: it withdraws the signing key that the tokens of the tests above carry.
describe('signing key rotation', () => {
  it("a key published since is used at once; an immediate rotation (compromised key) ends the old key's tokens at the API", async () => {
    const before = await api.tokenFor(t.adminClient);
    expect((await api.call('GET', list(t.tenantId), { token: before })).status).toBe(200);
    const fresh = await rotateSigningKey(h.db, { alg: 'ES256', publishDelaySeconds: 0, immediate: true });
    await notifySigningKeysChanged(h);
    await expect.poll(async () => decodeProtectedHeader(await api.tokenFor(t.adminClient)).kid).toBe(fresh.kid);
    const after = await api.tokenFor(t.adminClient);
    expect((await api.call('GET', list(t.tenantId), { token: after })).status).toBe(200);
    const refused = await api.call('GET', list(t.tenantId), { token: before });
    expectBearerChallenge(refused, 'invalid_token');
  });
});
