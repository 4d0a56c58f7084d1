import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { createLocalJWKSet, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from 'jose';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { clients, clientSecrets } from '../db/schema';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient } from '../testing/clients';
import { generateSecret } from '../secrets/secret';
import { notifyClientChanged } from './invalidation';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';

let db: Awaited<ReturnType<typeof createIsolatedDb>>;

let h: DbHandle;
let t: TestTenant;
let srv: Awaited<ReturnType<typeof startIdentityServer>>;

beforeAll(async () => {
  db = await createIsolatedDb();
  h = db.handle;
  t = await createTestTenant(h.db, 'Tokens');
  // A high failure limit here: the throttle has its own tests below.
  srv = await startIdentityServer(h, { throttleMaxFailures: 1000 });
});
afterAll(async () => {
  await srv?.close();
  await db?.drop();
});

const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

function form(params: Record<string, string>) {
  return new URLSearchParams(params).toString();
}

function basic(id: string, secret: string) {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${Buffer.from(`${enc(id)}:${enc(secret)}`).toString('base64')}`;
}

async function post(path: string, body: string, headers: Record<string, string> = FORM) {
  const res = await fetch(srv.origin + path, { method: 'POST', headers, body });
  const text = await res.text();
  let json: Record<string, unknown> | null = null;
  try {
    json = JSON.parse(text);
  } catch {
    json = null;
  }
  return { status: res.status, headers: res.headers, json, text };
}

const token = (params: Record<string, string>, headers?: Record<string, string>) =>
  post('/identity/connect/token', form(params), { ...FORM, ...headers });

async function jwks(): Promise<JSONWebKeySet> {
  return (await (await fetch(`${srv.issuer}/.well-known/openid-configuration/jwks`)).json()) as JSONWebKeySet;
}

const INVALID_CLIENT_BODY = { error: 'invalid_client', error_description: 'Client authentication failed.' };

describe('discovery and JWKS', () => {
  it('publishes the issuer, the endpoints and the supported grant, auth methods and algorithm', async () => {
    const res = await fetch(`${srv.issuer}/.well-known/openid-configuration`);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toMatch(/max-age=\d+/);
    const doc = await res.json();
    expect(doc).toMatchObject({
      issuer: srv.issuer,
      token_endpoint: `${srv.issuer}/connect/token`,
      jwks_uri: `${srv.issuer}/.well-known/openid-configuration/jwks`,
      introspection_endpoint: `${srv.issuer}/connect/introspect`,
      grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
      token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
      id_token_signing_alg_values_supported: ['ES256'],
    });
    // RFC 8414's location for an issuer with a path serves the same document.
    const rfc8414 = await (await fetch(`${srv.origin}/.well-known/oauth-authorization-server/identity`)).json();
    expect(rfc8414).toEqual(doc);
  });

  it('derives the issuer from the Host header when AUTH_URL is not set', async () => {
    const res = await rawRequest({ path: '/identity/.well-known/openid-configuration', headers: { Host: 'tokens.example.test:8443' } });
    expect(JSON.parse(res.body).issuer).toBe('http://tokens.example.test:8443/identity');
    const bad = await rawRequest({ path: '/identity/.well-known/openid-configuration', headers: { Host: 'evil.test/"><' } });
    expect(bad.status).toBe(400);
  });

  it('lists public keys only, with kid, alg and use', async () => {
    const res = await fetch(`${srv.issuer}/.well-known/openid-configuration/jwks`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('application/jwk-set+json');
    const set = (await res.json()) as JSONWebKeySet;
    expect(set.keys.length).toBeGreaterThan(0);
    for (const k of set.keys) {
      expect(k).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig' });
      expect(typeof k.kid).toBe('string');
      expect(k).not.toHaveProperty('d');
    }
  });

  it('answers HEAD without a body, OPTIONS with Allow, and other methods with 405', async () => {
    const head = await fetch(`${srv.issuer}/.well-known/openid-configuration`, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(await head.text()).toBe('');
    const options = await fetch(`${srv.issuer}/connect/token`, { method: 'OPTIONS' });
    expect(options.status).toBe(204);
    expect(options.headers.get('allow')).toContain('POST');
    const get = await fetch(`${srv.issuer}/connect/token`);
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toContain('POST');
    expect(await get.json()).toMatchObject({ error: 'invalid_request' });
    const device = await fetch(`${srv.issuer}/connect/deviceauthorization`);
    expect(device.status).toBe(405);
    expect(device.headers.get('allow')).toContain('POST');
    const unknown = await fetch(`${srv.issuer}/connect/backchannel`);
    expect(unknown.status).toBe(404);
  });

  // The route table of lib/identity/http.ts: each endpoint's methods, its Allow and 405, and how it answers OPTIONS.
  const ROUTES: { path: string; allow: string; wrong: string; use: string; preflight: 'public' | 'allow only' | 'none' }[] = [
    { path: '/identity/.well-known/openid-configuration', allow: 'GET, HEAD, OPTIONS', wrong: 'POST', use: 'GET', preflight: 'public' },
    { path: '/.well-known/oauth-authorization-server/identity', allow: 'GET, HEAD, OPTIONS', wrong: 'DELETE', use: 'GET', preflight: 'public' },
    { path: '/identity/.well-known/openid-configuration/jwks', allow: 'GET, HEAD, OPTIONS', wrong: 'PUT', use: 'GET', preflight: 'public' },
    { path: '/identity/connect/token', allow: 'POST, OPTIONS', wrong: 'GET', use: 'POST', preflight: 'allow only' },
    { path: '/identity/connect/introspect', allow: 'POST, OPTIONS', wrong: 'GET', use: 'POST', preflight: 'allow only' },
    { path: '/identity/connect/revocation', allow: 'POST, OPTIONS', wrong: 'PUT', use: 'POST', preflight: 'allow only' },
    { path: '/identity/connect/deviceauthorization', allow: 'POST, OPTIONS', wrong: 'HEAD', use: 'POST', preflight: 'allow only' },
    { path: '/identity/connect/authorize', allow: 'GET, POST', wrong: 'PUT', use: 'GET or POST', preflight: 'none' },
    { path: '/identity/connect/userinfo', allow: 'GET, POST, OPTIONS', wrong: 'DELETE', use: 'GET or POST', preflight: 'allow only' },
    { path: '/identity/connect/endsession', allow: 'GET, POST', wrong: 'HEAD', use: 'GET or POST', preflight: 'none' },
    { path: '/identity/connect/secret-report', allow: 'POST', wrong: 'GET', use: 'POST', preflight: 'none' },
  ];
  for (const route of ROUTES) {
    it(`${route.path}: ${route.wrong} is a 405 naming ${route.use}, OPTIONS ${route.preflight === 'none' ? 'too' : `is a 204 (${route.preflight})`}`, async () => {
      const wrong = await fetch(srv.origin + route.path, { method: route.wrong });
      expect(wrong.status).toBe(405);
      expect(wrong.headers.get('allow')).toBe(route.allow);
      if (route.wrong !== 'HEAD') expect(await wrong.json()).toEqual({ error: 'invalid_request', error_description: `Use ${route.use} for this endpoint.` });
      const options = await fetch(srv.origin + route.path, { method: 'OPTIONS', headers: { Origin: 'https://app.example' } });
      expect(options.status).toBe(route.preflight === 'none' ? 405 : 204);
      expect(options.headers.get('allow')).toBe(route.allow);
      // Discovery and JWKS are readable from any origin; the others only from a client's Allowed CORS Origins (none here).
      expect(options.headers.get('access-control-allow-origin')).toBe(route.preflight === 'public' ? '*' : null);
    });
  }
});

describe('token endpoint: success', () => {
  it('issues an RFC 9068 JWT for client_secret_post, with the client lifetime, tenant and roles', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, tokenLifetime: 600, roleTypes: ['tenant_contributor'] });
    const res = await token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('pragma')).toBe('no-cache');
    expect(res.json).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect(res.json).not.toHaveProperty('refresh_token');
    expect(res.json).not.toHaveProperty('scope');

    const accessToken = res.json!.access_token as string;
    const header = decodeProtectedHeader(accessToken);
    expect(header).toMatchObject({ typ: 'at+jwt', alg: 'ES256' });
    expect((await jwks()).keys.map((k) => k.kid)).toContain(header.kid);

    const { payload } = await jwtVerify(accessToken, createLocalJWKSet(await jwks()), {
      issuer: srv.issuer,
      audience: `${srv.issuer}/resources`,
      typ: 'at+jwt',
    });
    expect(payload.sub).toBe(c.clientId);
    expect(payload.client_id).toBe(c.clientId);
    expect(payload.tenant_id).toBe(t.tenantId);
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(payload.nbf).toBe(payload.iat);
    expect(typeof payload.jti).toBe('string');
    expect((payload.role as string[]).sort()).toEqual(['Tenant Contributor', 'Tenant Member']);
    expect((payload.role_ids as string[]).sort()).toEqual([...c.roleIds].sort());
  });

  it('accepts HTTP Basic with form-encoded id and secret, and a matching client_id in the body', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId });
    // Percent-encoding characters that need none must still decode (RFC 6749 2.3.1).
    const id = c.clientId.replace(/-/g, '%2D');
    const auth = `Basic ${Buffer.from(`${id}:${c.secret.replace(/_/g, '%5F')}`).toString('base64')}`;
    const res = await token({ grant_type: 'client_credentials' }, { Authorization: auth });
    expect(res.status).toBe(200);
    const again = await token({ grant_type: 'client_credentials', client_id: c.clientId }, { Authorization: basic(c.clientId, c.secret) });
    expect(again.status).toBe(200);
  });

  it('grants a supported scope and refuses others with invalid_scope', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId });
    const ok = await token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret, scope: 'api' });
    expect(ok.status).toBe(200);
    expect(ok.json!.scope).toBe('api');
    const { payload } = await jwtVerify(ok.json!.access_token as string, createLocalJWKSet(await jwks()));
    expect(payload.scope).toBe('api');
    const bad = await token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret, scope: 'api admin' });
    expect(bad.status).toBe(400);
    expect(bad.json).toMatchObject({ error: 'invalid_scope' });
    expect(bad.headers.get('cache-control')).toBe('no-store');
  });

  it('uses any of several secrets, and an upper-case client id', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [{}, { expiresAt: new Date(Date.now() + 86_400_000) }] });
    for (const s of c.secrets) {
      const res = await token({ grant_type: 'client_credentials', client_id: c.clientId.toUpperCase(), client_secret: s.value });
      expect(res.status).toBe(200);
    }
  });
});

describe('token endpoint: RFC 6749 5.2 errors', () => {
  let c: Awaited<ReturnType<typeof createTestClient>>;
  beforeAll(async () => {
    c = await createTestClient(h.db, { tenantId: t.tenantId });
  });

  it('invalid_request: missing grant_type, repeated parameters, both auth methods, mismatched client_id', async () => {
    const cases: [string, Record<string, string>?][] = [
      [form({ client_id: c.clientId, client_secret: c.secret })],
      [`grant_type=client_credentials&grant_type=client_credentials&client_id=${c.clientId}&client_secret=${c.secret}`],
      [`grant_type=client_credentials&client_id=${c.clientId}&client_secret=${c.secret}&client_secret=${c.secret}`],
      [`grant_type=client_credentials&client_id=${c.clientId}&client_id=${c.clientId}&client_secret=${c.secret}`],
      [form({ grant_type: 'client_credentials', client_secret: c.secret }), { Authorization: basic(c.clientId, c.secret) }],
      [form({ grant_type: 'client_credentials', client_id: randomUUID() }), { Authorization: basic(c.clientId, c.secret) }],
      ['grant_type=client_%ZZcredentials'],
    ];
    for (const [body, headers] of cases) {
      const res = await post('/identity/connect/token', body, { ...FORM, ...headers });
      expect(res.status, body).toBe(400);
      expect(res.json, body).toMatchObject({ error: 'invalid_request' });
      expect(typeof res.json!.error_description).toBe('string');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(res.headers.get('content-type')).toContain('application/json');
    }
  });

  it('invalid_request for a body that is not form-encoded', async () => {
    const json = await post('/identity/connect/token', JSON.stringify({ grant_type: 'client_credentials' }), {
      'Content-Type': 'application/json',
    });
    expect(json.status).toBe(400);
    expect(json.json).toMatchObject({ error: 'invalid_request' });
    const none = await post('/identity/connect/token', '', {});
    expect(none.status).toBe(400);
  });

  it('unsupported_grant_type for any other grant', async () => {
    for (const grant of ['password', 'urn:ietf:params:oauth:grant-type:jwt-bearer']) {
      const res = await token({ grant_type: grant, client_id: c.clientId, client_secret: c.secret });
      expect(res.status).toBe(400);
      expect(res.json).toMatchObject({ error: 'unsupported_grant_type' });
    }
  });

  it('unauthorized_client for a client type that may not use the grant', async () => {
    const hybrid = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'hybrid' });
    const res = await token({ grant_type: 'client_credentials', client_id: hybrid.clientId, client_secret: hybrid.secret });
    expect(res.status).toBe(400);
    expect(res.json).toMatchObject({ error: 'unauthorized_client' });
    // ...and a client-credentials client may not use the user-facing grants.
    for (const grant of ['authorization_code', 'refresh_token']) {
      const cc = await token({ grant_type: grant, client_id: c.clientId, client_secret: c.secret });
      expect(cc.status).toBe(400);
      expect(cc.json).toMatchObject({ error: 'unauthorized_client' });
    }
  });

  it('413 for a body over 8 KiB, declared or streamed, and the connection is closed', async () => {
    const big = form({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret, pad: 'x'.repeat(9000) });
    const res = await post('/identity/connect/token', big);
    expect(res.status).toBe(413);
    expect(res.json).toMatchObject({ error: 'invalid_request' });
    const chunked = await rawRequest({
      method: 'POST',
      path: '/identity/connect/token',
      headers: { ...FORM, 'Transfer-Encoding': 'chunked' },
      chunks: Array.from({ length: 10 }, () => 'a'.repeat(1024)),
    });
    expect(chunked.status).toBe(413);
    expect(chunked.headers.connection).toBe('close');
  });

  it('never answers 500, whatever the body or headers', async () => {
    const bodies = [
      '',
      '&&&',
      '=',
      '==&=',
      '%',
      '%E0%A4%A',
      'grant_type',
      'grant_type=client_credentials&client_id=%00&client_secret=%FF',
      Buffer.from([0xff, 0xfe, 0x00, 0x80]).toString('latin1'),
      'a='.repeat(3000),
    ];
    const authorizations = ['Basic', 'Basic !!!', 'Basic ' + Buffer.from('no-colon').toString('base64'), 'Bearer x', 'Basic Og==', 'Basic ' + Buffer.from(':x').toString('base64')];
    for (const body of bodies) {
      const res = await post('/identity/connect/token', body);
      expect(res.status, body).toBeGreaterThanOrEqual(400);
      expect(res.status, body).toBeLessThan(500);
      const intro = await post('/identity/connect/introspect', body);
      expect(intro.status, body).toBeLessThan(500);
    }
    for (const authorization of authorizations) {
      const res = await token({ grant_type: 'client_credentials' }, { Authorization: authorization });
      expect(res.status, authorization).toBe(401);
      expect(res.json).toEqual(INVALID_CLIENT_BODY);
      expect(res.headers.get('www-authenticate')).toMatch(/^Basic /);
    }
  });
});

describe('token endpoint: every refused client gets the same invalid_client', () => {
  it('unknown client, wrong, malformed, expired and removed secret, disabled and removed client, no credentials', async () => {
    const wrong = await createTestClient(h.db, { tenantId: t.tenantId });
    const expired = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [{ expiresAt: new Date(Date.now() - 1000) }] });
    const removedSecret = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [{}, {}] });
    const disabled = await createTestClient(h.db, { tenantId: t.tenantId });
    const removed = await createTestClient(h.db, { tenantId: t.tenantId });

    // Warm the cache, so the refusals below prove that changes reach it.
    for (const c of [removedSecret, disabled, removed]) {
      expect((await token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret })).status).toBe(200);
    }
    await h.db.delete(clientSecrets).where(eq(clientSecrets.id, removedSecret.secrets[0].id));
    await notifyClientChanged(removedSecret.clientId, h);
    await h.db.update(clients).set({ enabled: false }).where(eq(clients.id, disabled.clientId));
    await notifyClientChanged(disabled.clientId, h);
    await h.db.delete(clients).where(eq(clients.id, removed.clientId));
    await notifyClientChanged(removed.clientId, h);

    const attempts: [string, Record<string, string>, Record<string, string>?][] = [
      ['unknown client', { client_id: randomUUID(), client_secret: generateSecret() }],
      ['client id not a GUID', { client_id: 'not-a-guid', client_secret: generateSecret() }],
      ['wrong secret', { client_id: wrong.clientId, client_secret: generateSecret() }],
      ['malformed secret', { client_id: wrong.clientId, client_secret: wrong.secret.slice(0, -1) + (wrong.secret.endsWith('A') ? 'B' : 'A') }],
      ['expired secret', { client_id: expired.clientId, client_secret: expired.secret }],
      ['removed secret', { client_id: removedSecret.clientId, client_secret: removedSecret.secrets[0].value }],
      ['disabled client', { client_id: disabled.clientId, client_secret: disabled.secret }],
      ['removed client', { client_id: removed.clientId, client_secret: removed.secret }],
      ['secret missing', { client_id: wrong.clientId }],
      ['no credentials', {}],
      ['wrong secret via Basic', {}, { Authorization: basic(wrong.clientId, generateSecret()) }],
      ['disabled client via Basic', {}, { Authorization: basic(disabled.clientId, disabled.secret) }],
    ];
    for (const [label, params, headers] of attempts) {
      const res = await token({ grant_type: 'client_credentials', ...params }, headers);
      expect(res.status, label).toBe(401);
      expect(res.json, label).toEqual(INVALID_CLIENT_BODY);
      expect(res.headers.get('cache-control'), label).toBe('no-store');
      // WWW-Authenticate when Basic was used (RFC 6749 5.2) or nothing was presented; not for body credentials.
      const challenged = Boolean(headers) || !params.client_secret;
      expect(res.headers.get('www-authenticate'), label).toBe(challenged ? 'Basic realm="identity", charset="UTF-8"' : null);
    }
    // The remaining secret of the client whose other secret was removed still works.
    const other = await token({ grant_type: 'client_credentials', client_id: removedSecret.clientId, client_secret: removedSecret.secrets[1].value });
    expect(other.status).toBe(200);
  });

  it('refuses a malformed secret before any database work', async () => {
    let loads = 0;
    const counting = await startIdentityServer(h, {
      loadClient: async () => {
        loads += 1;
        return null;
      },
    });
    try {
      const id = randomUUID();
      const res = await fetch(`${counting.issuer}/connect/token`, {
        method: 'POST',
        headers: FORM,
        body: form({ grant_type: 'client_credentials', client_id: id, client_secret: 'tscs_not-a-real-secret' }),
      });
      expect(res.status).toBe(401);
      expect(loads).toBe(0);
      // A well-formed secret is looked up (and an unknown id costs the same lookup as a known one).
      const wellFormed = await fetch(`${counting.issuer}/connect/token`, {
        method: 'POST',
        headers: FORM,
        body: form({ grant_type: 'client_credentials', client_id: id, client_secret: generateSecret() }),
      });
      expect(wellFormed.status).toBe(401);
      expect(loads).toBe(1);
    } finally {
      await counting.close();
    }
  });
});

describe('when the database is unreachable', () => {
  it('answers 503 temporarily_unavailable with Retry-After, not 500', async () => {
    const down = await startIdentityServer(h, {
      loadClient: async () => {
        throw new Error('connect ECONNREFUSED');
      },
    });
    try {
      const res = await fetch(`${down.issuer}/connect/token`, {
        method: 'POST',
        headers: FORM,
        body: form({ grant_type: 'client_credentials', client_id: randomUUID(), client_secret: generateSecret() }),
      });
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toBe('5');
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toMatchObject({ error: 'temporarily_unavailable' });
    } finally {
      await down.close();
    }
  });
});

describe('introspection', () => {
  it('reports an active token to a client of the same tenant, inactive to another tenant', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, roleTypes: ['tenant_viewer'] });
    const rs = await createTestClient(h.db, { tenantId: t.tenantId });
    const other = await createTestTenant(h.db, 'Other');
    const stranger = await createTestClient(h.db, { tenantId: other.tenantId });
    const at = (await token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret })).json!.access_token as string;

    const res = await post('/identity/connect/introspect', form({ token: at }), { ...FORM, Authorization: basic(rs.clientId, rs.secret) });
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.json).toMatchObject({
      active: true,
      client_id: c.clientId,
      sub: c.clientId,
      tenant_id: t.tenantId,
      iss: srv.issuer,
      token_type: 'Bearer',
    });
    expect(res.json!.role).toContain('Tenant Viewer');

    const foreign = await post('/identity/connect/introspect', form({ token: at, client_id: stranger.clientId, client_secret: stranger.secret }));
    expect(foreign.status).toBe(200);
    expect(foreign.json).toEqual({ active: false });
  });

  it('reports inactive once the client is disabled, and again once removed', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId });
    const rs = await createTestClient(h.db, { tenantId: t.tenantId });
    const at = (await token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret })).json!.access_token as string;
    const introspect = async () =>
      (await post('/identity/connect/introspect', form({ token: at, client_id: rs.clientId, client_secret: rs.secret }))).json;
    expect(await introspect()).toMatchObject({ active: true });

    await h.db.update(clients).set({ enabled: false }).where(eq(clients.id, c.clientId));
    await notifyClientChanged(c.clientId, h);
    expect(await introspect()).toEqual({ active: false });

    await h.db.update(clients).set({ enabled: true }).where(eq(clients.id, c.clientId));
    await notifyClientChanged(c.clientId, h);
    expect(await introspect()).toMatchObject({ active: true });

    await h.db.delete(clients).where(eq(clients.id, c.clientId));
    await notifyClientChanged(c.clientId, h);
    expect(await introspect()).toEqual({ active: false });
  });

  it('reports inactive for an expired token, a bad signature and garbage', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, tokenLifetime: 60 });
    const at = (await token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret })).json!.access_token as string;
    // Another instance on the same database whose clock is two minutes ahead: the token has expired there.
    const later = await startIdentityServer(h, { now: () => Date.now() + 120_000 });
    try {
      const res = await fetch(`${later.issuer}/connect/introspect`, {
        method: 'POST',
        headers: FORM,
        body: form({ token: at, client_id: c.clientId, client_secret: c.secret }),
      });
      expect(await res.json()).toEqual({ active: false });
    } finally {
      await later.close();
    }
    const [h64, p64, s64] = at.split('.');
    const tampered = `${h64}.${Buffer.from(JSON.stringify({ ...JSON.parse(Buffer.from(p64, 'base64url').toString()), tenant_id: randomUUID() })).toString('base64url')}.${s64}`;
    for (const bad of [tampered, `${h64}.${p64}.${s64.slice(0, -4)}AAAA`, 'garbage', 'a.b.c', `${h64}.${p64}`]) {
      const res = await post('/identity/connect/introspect', form({ token: bad, client_id: c.clientId, client_secret: c.secret }));
      expect(res.status).toBe(200);
      expect(res.json).toEqual({ active: false });
    }
  });

  it('needs client authentication and a token parameter', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId });
    const anonymous = await post('/identity/connect/introspect', form({ token: 'x' }));
    expect(anonymous.status).toBe(401);
    expect(anonymous.json).toEqual(INVALID_CLIENT_BODY);
    const wrong = await post('/identity/connect/introspect', form({ token: 'x', client_id: c.clientId, client_secret: generateSecret() }));
    expect(wrong.status).toBe(401);
    const missing = await post('/identity/connect/introspect', form({ client_id: c.clientId, client_secret: c.secret }));
    expect(missing.status).toBe(400);
    expect(missing.json).toMatchObject({ error: 'invalid_request' });
  });
});

describe('last used', () => {
  it('stamps the secret that was used, coalesced in memory and written by a flush', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [{}, {}] });
    // The periodic flush (every few seconds) could otherwise fire between the requests and the first check.
    srv.service.lastUsed.stop();
    onTestFinished(() => srv.service.lastUsed.start(srv.service.settings.lastUsedFlushMs));
    const before = Date.now();
    for (let i = 0; i < 5; i++) {
      expect((await token({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secrets[1].value })).status).toBe(200);
    }
    const stampOf = async (id: number) =>
      (await h.db.select({ at: clientSecrets.lastUsedAt }).from(clientSecrets).where(eq(clientSecrets.id, id)))[0].at;
    // Not written per request.
    expect(await stampOf(c.secrets[1].id)).toBeNull();
    await srv.service.lastUsed.flush();
    const stamped = await stampOf(c.secrets[1].id);
    expect(stamped).not.toBeNull();
    expect(stamped!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await stampOf(c.secrets[0].id)).toBeNull();
  });

  it('writes pending stamps on shutdown', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId });
    const own = await startIdentityServer(h);
    const res = await fetch(`${own.issuer}/connect/token`, {
      method: 'POST',
      headers: FORM,
      body: form({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret }),
    });
    expect(res.status).toBe(200);
    expect(own.service.lastUsed.pendingCount).toBe(1);
    await own.close();
    const [row] = await h.db.select({ at: clientSecrets.lastUsedAt }).from(clientSecrets).where(eq(clientSecrets.id, c.secrets[0].id));
    expect(row.at).not.toBeNull();
  });
});

/** A request with full control over headers and body chunks (fetch sets Host and Content-Length itself). */
function rawRequest(opts: {
  method?: string;
  path: string;
  headers?: Record<string, string>;
  chunks?: string[];
}): Promise<{ status: number; headers: http.IncomingHttpHeaders; body: string }> {
  const url = new URL(srv.origin);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { host: url.hostname, port: url.port, method: opts.method ?? 'GET', path: opts.path, headers: opts.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (d) => (body += d));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    for (const chunk of opts.chunks ?? []) req.write(chunk);
    req.end();
  });
}
