import { generateKeyPairSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clientKeys } from '../db/schema';
import { createTestClient } from '../testing/clients';
import { createTestDb } from '../testing/db';
import { PRIVATE_KEY_REFUSED } from '../keys/key-text';
import { updateCredentialPolicy } from '../policy/credential-policy';
import { assertion, assertionForm, testKeyPair } from '../tokens/testing/client-keys';
import { startApiTestServer } from './testing/api-server';
import { apiClient, apiTenant, type ApiServer } from './testing/fixtures';
import type { ApiErrorBody as ErrorBody } from '../http/api-answers';

let h: DbHandle;
let srv: ApiServer;
let api: ReturnType<typeof apiClient>;
let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let token: string;

type Key = { Id: number; Source: string; KeyId: string | null; Algorithm: string | null; Thumbprint: string | null; Expires: boolean; Description: string };

const keysPath = (tenantId: string, clientId: string) => `/api/v1/Tenants/${tenantId}/ClientCredentialClients/${clientId}/Keys`;

beforeAll(async () => {
  h = await createTestDb();
  srv = await startApiTestServer(h);
  api = apiClient(srv);
  t = await apiTenant(h, 'Keys API');
  other = await apiTenant(h, 'Keys API other');
  token = await api.tokenFor(t.adminClient);
});
afterAll(async () => {
  await srv?.close();
  await h?.close();
});

async function tokenWith(form: Record<string, string>) {
  const res = await fetch(`${srv.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(form),
  });
  return { status: res.status, body: (await res.json()) as Record<string, string> };
}

describe('Keys', () => {
  it('adds a JWK and a PEM key, lists and gets them, the client gets tokens with them, and removes one', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [] });
    const ec = await testKeyPair('ES256');
    const rsa = await testKeyPair('RS256');
    const a = await api.call('POST', keysPath(t.tenantId, c.clientId), { token, json: { Key: { ...ec.publicJwk, kid: 'ec-1' }, Description: 'ec', Expires: false } });
    expect(a.status).toBe(201);
    expect(a.body).toMatchObject({ Source: 'JWK', KeyId: 'ec-1', Algorithm: 'ES256', Expires: false, Description: 'ec' });
    expect((a.body as Key).Thumbprint).toMatch(/^[A-Za-z0-9_-]{43}$/);
    const b = await api.call('POST', keysPath(t.tenantId, c.clientId), { token, json: { Key: rsa.publicPem, Expiration: new Date(Date.now() + 86_400_000).toISOString() } });
    expect(b.status).toBe(201);
    expect(b.body).toMatchObject({ Source: 'PEM', Algorithm: 'RS256', Expires: true });
    expect((b.body as Key).KeyId).toBe((b.body as Key).Thumbprint);

    const list = await api.call('GET', keysPath(t.tenantId, c.clientId), { token });
    expect(list.status).toBe(200);
    expect(list.headers.get('total-count')).toBe('2');
    expect((list.body as Key[]).map((k) => k.Source)).toEqual(['JWK', 'PEM']);
    const one = await api.call('GET', `${keysPath(t.tenantId, c.clientId)}/${(a.body as Key).Id}`, { token });
    expect(one.body).toEqual(a.body);

    const aud = `${srv.issuer}/connect/token`;
    expect((await tokenWith(assertionForm(await assertion(ec, c.clientId, aud, { kid: 'ec-1' })))).status).toBe(200);
    expect((await tokenWith(assertionForm(await assertion(rsa, c.clientId, aud)))).status).toBe(200);

    const del = await api.call('DELETE', `${keysPath(t.tenantId, c.clientId)}/${(a.body as Key).Id}`, { token });
    expect(del.status).toBe(204);
    expect((await tokenWith(assertionForm(await assertion(ec, c.clientId, aud, { kid: 'ec-1' })))).status).toBe(401);
    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.clientId));
    expect(events.map((e) => e.action).sort()).toEqual(['key.added', 'key.added', 'key.removed']);
    expect(events.every((e) => e.actor === `client:${t.adminClient.clientId}` && e.details.via === 'api')).toBe(true);
  });

  it('refuses a private key at the field, never storing or echoing it, and weak or unsupported keys', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [] });
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const jwk = privateKey.export({ format: 'jwk' });
    for (const Key of [pem, jwk, JSON.stringify(jwk)]) {
      const res = await api.call('POST', keysPath(t.tenantId, c.clientId), { token, json: { Key } });
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).Errors).toEqual({ Key: PRIVATE_KEY_REFUSED });
      expect(res.text).not.toContain(String(jwk.d));
    }
    const weak = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const secp256k1 = generateKeyPairSync('ec', { namedCurve: 'secp256k1' }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    for (const Key of [weak, secp256k1]) {
      const res = await api.call('POST', keysPath(t.tenantId, c.clientId), { token, json: { Key } });
      expect(res.status).toBe(400);
      expect((res.body as ErrorBody).Errors?.Key).toMatch(/RSA key of at least 2048 bits/);
    }
    const none = await api.call('POST', keysPath(t.tenantId, c.clientId), { token, json: { Description: 'x' } });
    expect((none.body as ErrorBody).Errors?.Key).toBe('Give the public key in Key, or a JwksUrl.');
    const http = await api.call('POST', keysPath(t.tenantId, c.clientId), { token, json: { JwksUrl: 'http://example.com/jwks' } });
    expect((http.body as ErrorBody).Errors?.JwksUrl).toBe('The JWKS URL must use https.');
    const internal = await api.call('POST', keysPath(t.tenantId, c.clientId), { token, json: { JwksUrl: 'https://10.0.0.1/jwks' } });
    expect((internal.body as ErrorBody).Errors?.JwksUrl).toBe('The JWKS URL points to a private or local network address.');
    expect(await h.db.select().from(clientKeys).where(eq(clientKeys.clientId, c.clientId))).toEqual([]);
  });

  it('refuses the same key twice, and more than 10 keys', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [] });
    const first = await testKeyPair('ES256');
    expect((await api.call('POST', keysPath(t.tenantId, c.clientId), { token, json: { Key: first.publicJwk } })).status).toBe(201);
    const again = await api.call('POST', keysPath(t.tenantId, c.clientId), { token, json: { Key: first.publicPem } });
    expect((again.body as ErrorBody).Errors).toEqual({ Key: 'This client already has this key.' });
    for (let i = 0; i < 9; i++) {
      const k = await testKeyPair('ES256');
      expect((await api.call('POST', keysPath(t.tenantId, c.clientId), { token, json: { Key: k.publicJwk } })).status).toBe(201);
    }
    const k = await testKeyPair('ES256');
    const over = await api.call('POST', keysPath(t.tenantId, c.clientId), { token, json: { Key: k.publicJwk } });
    expect(over.status).toBe(400);
    expect((over.body as ErrorBody).Reason).toMatch(/already has 10 keys/);
  });

  it('404 for another tenant\'s client and for unknown keys, with the same body as unknown ids', async () => {
    const theirs = await createTestClient(h.db, { tenantId: other.tenantId, secrets: [] });
    const k = await testKeyPair('ES256');
    const res = await api.call('POST', keysPath(t.tenantId, theirs.clientId), { token, json: { Key: k.publicJwk } });
    const unknown = await api.call('POST', keysPath(t.tenantId, crypto.randomUUID()), { token, json: { Key: k.publicJwk } });
    expect(res.status).toBe(404);
    expect((res.body as ErrorBody).Reason).toBe((unknown.body as ErrorBody).Reason);
    const mine = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [] });
    expect((await api.call('GET', `${keysPath(t.tenantId, mine.clientId)}/999999`, { token })).status).toBe(404);
    expect((await api.call('DELETE', `${keysPath(t.tenantId, mine.clientId)}/abc`, { token })).status).toBe(404);
  });
});

describe('token revocation (RFC 7009)', () => {
  it('a revoked token is refused by the API and introspects inactive at once; other clients cannot revoke it', async () => {
    const own = await api.tokenFor(t.adminClient);
    const introspect = async () => {
      const res = await fetch(`${srv.issuer}/connect/introspect`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: t.plainClient.clientId, client_secret: t.plainClient.secret, token: own }),
      });
      return ((await res.json()) as { active: boolean }).active;
    };
    const revoke = (client: { clientId: string; secret: string }) =>
      fetch(`${srv.issuer}/connect/revocation`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ client_id: client.clientId, client_secret: client.secret, token: own, token_type_hint: 'access_token' }),
      });
    expect((await api.call('GET', `/api/v1/Tenants/${t.tenantId}/Roles`, { token: own })).status).toBe(200);
    expect(await introspect()).toBe(true);

    // Another client's revocation is answered 200 (RFC 7009 2.2) but revokes nothing.
    expect((await revoke(t.plainClient)).status).toBe(200);
    expect(await introspect()).toBe(true);

    const res = await revoke(t.adminClient);
    expect(res.status).toBe(200);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(await introspect()).toBe(false);
    const refused = await api.call('GET', `/api/v1/Tenants/${t.tenantId}/Roles`, { token: own });
    expect(refused.status).toBe(401);
    expect((refused.body as ErrorBody).Reason).toBe('The access token has been revoked.');
    // Revoking again, or revoking garbage, is 200 too; a wrong secret is invalid_client.
    expect((await revoke(t.adminClient)).status).toBe(200);
    expect((await revoke({ clientId: t.adminClient.clientId, secret: 'tscs_nope' })).status).toBe(401);
    // The client's other tokens still work.
    expect((await api.call('GET', `/api/v1/Tenants/${t.tenantId}/Roles`, { token })).status).toBe(200);
  });
});

describe('credential policy over the API', () => {
  it('Add Secret and Add Client refuse what the policy refuses, with the API field names', async () => {
    const p = await apiTenant(h, 'Policy API');
    const pToken = await api.tokenFor(p.adminClient);
    await updateCredentialPolicy(h.db, { tenantId: p.tenantId, label: 'test', type: 'user', id: 'test', via: 'console' }, {
      maxSecretLifetimeDays: 30,
      allowNeverExpires: false,
      secretlessClients: false,
      limitLifetime: true,
      maxDays: 30,
    });
    const secrets = `/api/v1/Tenants/${p.tenantId}/ClientCredentialClients/${p.plainClient.clientId}/Secrets`;
    const never = await api.call('POST', secrets, { token: pToken, json: { Expires: false } });
    expect(never.status).toBe(400);
    expect((never.body as ErrorBody).Errors).toEqual({ Expires: 'Your tenant\'s credential policy does not allow secrets that never expire. Choose an expiration date.' });
    const long = await api.call('POST', secrets, { token: pToken, json: { Expiration: new Date(Date.now() + 60 * 86_400_000).toISOString() } });
    expect((long.body as ErrorBody).Errors?.Expiration).toMatch(/at most 30 days/);
    const fine = await api.call('POST', secrets, { token: pToken, json: { Expiration: new Date(Date.now() + 20 * 86_400_000).toISOString() } });
    expect(fine.status).toBe(201);
    const create = await api.call('POST', `/api/v1/Tenants/${p.tenantId}/ClientCredentialClients`, {
      token: pToken,
      json: { Name: 'Too long', SecretExpirationDate: null },
    });
    expect(create.status).toBe(400);
    expect((create.body as ErrorBody).Errors?.SecretExpirationDate).toMatch(/does not allow secrets that never expire/);
  });
});
