import { and, desc, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import type { DbHandle } from '../db';
import { auditEvents } from '../db/schema';
import { createTestDb } from '../testing/db';
import { dpopKey, dpopProof, type DpopKey } from '../tokens/testing/dpop';
import { resetApiSettings } from './authorize';
import { startApiTestServer } from './testing/api-server';
import { apiClient, apiTenant, type ApiServer } from './testing/fixtures';

/**
 * Our REST API as a DPoP resource server (RFC 9449 section 7): openid-client gets a DPoP-bound token for a
 * client-credentials client and calls the API with it; the same token as Bearer, and every bad proof, is refused.
 */
let h: DbHandle;
let srv: ApiServer;
let api: ReturnType<typeof apiClient>;
let t: Awaited<ReturnType<typeof apiTenant>>;
let key: DpopKey;

const listPath = () => `/api/v1/Tenants/${t.tenantId}/ClientCredentialClients`;

beforeAll(async () => {
  h = await createTestDb();
  srv = await startApiTestServer(h);
  api = apiClient(srv);
  t = await apiTenant(h, 'DPoP API');
  key = await dpopKey('ES256');
});
afterAll(async () => {
  await srv?.close();
  await h?.close();
});

async function boundToken(client = t.adminClient, k = key) {
  const res = await fetch(`${srv.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', DPoP: await dpopProof(k, 'POST', `${srv.issuer}/connect/token`) },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }),
  });
  const body = (await res.json()) as Record<string, string>;
  expect(body.token_type).toBe('DPoP');
  return body.access_token;
}

async function get(path: string, headers: Record<string, string>) {
  const res = await fetch(srv.origin + path, { headers });
  return { status: res.status, challenge: res.headers.get('www-authenticate') ?? '', nonce: res.headers.get('dpop-nonce'), body: await res.json().catch(() => null) };
}

describe('the REST API with DPoP-bound tokens', () => {
  it('openid-client gets a DPoP-bound token and calls the API; the same token as Bearer is refused', async () => {
    const config = await oidc.discovery(new URL(srv.issuer), t.adminClient.clientId, undefined, oidc.ClientSecretPost(t.adminClient.secret), {
      execute: [oidc.allowInsecureRequests],
    });
    const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
    const tokens = await oidc.clientCredentialsGrant(config, {}, { DPoP });
    expect(tokens.token_type).toBe('dpop');
    const res = await oidc.fetchProtectedResource(config, tokens.access_token, new URL(srv.origin + listPath()), 'GET', undefined, undefined, { DPoP });
    expect(res.status).toBe(200);
    const list = (await res.json()) as { Id: string }[];
    expect(list.map((c) => c.Id)).toContain(t.adminClient.clientId);

    const asBearer = await get(listPath(), { Authorization: `Bearer ${tokens.access_token}` });
    expect(asBearer.status).toBe(401);
    expect(asBearer.challenge).toMatch(/^DPoP /);
    expect(asBearer.challenge).toContain('error="invalid_token"');
    expect(asBearer.challenge).toContain('algs="RS256 PS256 ES256 ES384 EdDSA"');
  });

  it('refuses a replayed proof, a proof for another URL or method, without ath or by another key, and DPoP with a bearer token', async () => {
    const tok = await boundToken();
    const url = srv.origin + listPath();
    const good = await dpopProof(key, 'GET', url, { accessToken: tok });
    expect((await get(listPath(), { Authorization: `DPoP ${tok}`, DPoP: good })).status).toBe(200);
    const cases: [string, Record<string, string>][] = [
      ['replayed', { Authorization: `DPoP ${tok}`, DPoP: good }],
      ['another URL', { Authorization: `DPoP ${tok}`, DPoP: await dpopProof(key, 'GET', `${url}/other`, { accessToken: tok }) }],
      ['another method', { Authorization: `DPoP ${tok}`, DPoP: await dpopProof(key, 'POST', url, { accessToken: tok }) }],
      ['no ath', { Authorization: `DPoP ${tok}`, DPoP: await dpopProof(key, 'GET', url) }],
      ['another key', { Authorization: `DPoP ${tok}`, DPoP: await dpopProof(await dpopKey('ES256'), 'GET', url, { accessToken: tok }) }],
      ['no proof', { Authorization: `DPoP ${tok}` }],
    ];
    for (const [label, headers] of cases) {
      const answer = await get(listPath(), headers);
      expect(answer.status, label).toBe(401);
      expect(answer.challenge, label).toMatch(/^DPoP .*error="invalid_dpop_proof"/);
      expect(answer.body, label).toMatchObject({ Error: 'Unauthorized.' });
    }
    // The query is not part of htu: a proof for the path works with any query.
    const paged = await get(`${listPath()}?count=1`, { Authorization: `DPoP ${tok}`, DPoP: await dpopProof(key, 'GET', url, { accessToken: tok }) });
    expect(paged.status).toBe(200);

    const bearer = await api.tokenFor(t.adminClient);
    expect(decodeJwt(bearer).cnf).toBeUndefined();
    const wrongScheme = await get(listPath(), { Authorization: `DPoP ${bearer}`, DPoP: await dpopProof(key, 'GET', url, { accessToken: bearer }) });
    expect(wrongScheme.status).toBe(401);
    expect(wrongScheme.challenge).toContain('error="invalid_token"');
    // No credentials: both schemes are offered.
    const anonymous = await get(listPath(), {});
    expect(anonymous.challenge).toBe('Bearer realm="api", DPoP realm="api", algs="RS256 PS256 ES256 ES384 EdDSA"');
  });

  it('with nonces required, the API answers use_dpop_nonce and openid-client retries with the nonce', async () => {
    process.env.DPOP_REQUIRE_NONCE = '1';
    resetApiSettings();
    try {
      const tok = await boundToken();
      const url = srv.origin + listPath();
      const first = await get(listPath(), { Authorization: `DPoP ${tok}`, DPoP: await dpopProof(key, 'GET', url, { accessToken: tok }) });
      expect(first.status).toBe(401);
      expect(first.challenge).toContain('error="use_dpop_nonce"');
      expect(first.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const second = await get(listPath(), { Authorization: `DPoP ${tok}`, DPoP: await dpopProof(key, 'GET', url, { accessToken: tok, nonce: first.nonce! }) });
      expect(second.status).toBe(200);

      const config = await oidc.discovery(new URL(srv.issuer), t.adminClient.clientId, undefined, oidc.ClientSecretPost(t.adminClient.secret), {
        execute: [oidc.allowInsecureRequests],
      });
      const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
      const tokens = await oidc.clientCredentialsGrant(config, {}, { DPoP });
      // The token endpoint of this server does not require nonces; the API does: openid-client retries once with it.
      const res = await oidc.fetchProtectedResource(config, tokens.access_token, new URL(url), 'GET', undefined, undefined, { DPoP });
      expect(res.status).toBe(200);
    } finally {
      delete process.env.DPOP_REQUIRE_NONCE;
      resetApiSettings();
    }
  });
});

describe('Require DPoP over the API', () => {
  it('sets RequireDpop (audited); the client then gets no token without a proof', async () => {
    // A DPoP-bound token sent as Bearer (what the api helper sends) changes nothing.
    const asBearer = await api.call('POST', listPath(), { token: await boundToken(), json: { Name: `DPoP-only ${Date.now()}` } });
    expect(asBearer.status).toBe(401);
    expect((asBearer.body as { Reason: string }).Reason).toMatch(/bound to a DPoP key/);
    const bearer = await api.tokenFor(t.adminClient);
    const created = await api.call('POST', listPath(), { token: bearer, json: { Name: `DPoP-only ${Date.now()}` } });
    expect(created.status).toBe(201);
    const { Id, ClientSecret: Secret } = created.body as { Id: string; ClientSecret: string; RequireDpop: boolean };
    expect((created.body as { RequireDpop: boolean }).RequireDpop).toBe(false);
    const updated = await api.call('PUT', `${listPath()}/${Id}`, { token: bearer, json: { RequireDpop: true } });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ RequireDpop: true });
    expect((await api.call('GET', `${listPath()}/${Id}`, { token: bearer })).body).toMatchObject({ RequireDpop: true });
    const [event] = await h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, Id), eq(auditEvents.action, 'client.updated')))
      .orderBy(desc(auditEvents.createdAt));
    expect(event.details).toMatchObject({ changes: { requireDpop: { from: false, to: true } } });
    expect(event.actor).toBe(`client:${t.adminClient.clientId}`);

    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: Id, client_secret: Secret });
    await expect
      .poll(async () => (await (await fetch(`${srv.issuer}/connect/token`, { method: 'POST', body: form })).json()).error)
      .toBe('invalid_dpop_proof');
    expect(await boundToken({ clientId: Id, secret: Secret } as typeof t.adminClient)).toBeTruthy();

    const invalid = await api.call('PUT', `${listPath()}/${Id}`, { token: bearer, json: { RequireDpop: 'yes' } });
    expect(invalid.status).toBe(400);
    expect((invalid.body as { Errors: Record<string, string> }).Errors.RequireDpop).toBe('Require DPoP must be true or false.');
  });
});
