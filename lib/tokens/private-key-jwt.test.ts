import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { eq, sql } from 'drizzle-orm';
import { createRemoteJWKSet, exportJWK, importJWK, jwtVerify, type CryptoKey } from 'jose';
import type { DbHandle } from '../db';
import { clientKeys, clients } from '../db/schema';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient } from '../testing/clients';
import { clearJwksCache } from '../keys/jwks-url';
import { CLIENT_CHANGED_CHANNEL } from './invalidation';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';
import { assertion, assertionForm, registerTestKey, testKeyPair, type TestKeyPair } from './testing/client-keys';

process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK = '1';

let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let t: TestTenant;
let srv: Awaited<ReturnType<typeof startIdentityServer>>;
let ec: TestKeyPair;
let rsa: TestKeyPair;

beforeAll(async () => {
  db = await createIsolatedDb();
  h = db.handle;
  t = await createTestTenant(h.db, 'Private key JWT');
  srv = await startIdentityServer(h, { throttleMaxFailures: 1000 });
  [ec, rsa] = await Promise.all([testKeyPair('ES256'), testKeyPair('RS256')]);
});
afterAll(async () => {
  await srv?.close();
  await db?.drop();
});

/** A client with no secret and the given public keys. */
async function keyClient(keys: { publicKey?: string; jwksUrl?: string; expiresAt?: Date | null }[], enabled = true) {
  const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [], enabled, tokenLifetime: 600 });
  const ids = [];
  for (const k of keys) ids.push(await registerTestKey(h.db, c.clientId, k));
  return { clientId: c.clientId, keyIds: ids };
}

async function token(params: Record<string, string>, server = srv) {
  const res = await fetch(`${server.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const INVALID_CLIENT = { status: 401, json: { error: 'invalid_client', error_description: 'Client authentication failed.' } };
const tokenEndpoint = () => `${srv.issuer}/connect/token`;

describe('discovery', () => {
  it('lists private_key_jwt, the assertion algorithms and the revocation endpoint', async () => {
    const doc = await (await fetch(`${srv.issuer}/.well-known/openid-configuration`)).json();
    expect(doc.token_endpoint_auth_methods_supported).toEqual(['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none']);
    expect(doc.token_endpoint_auth_signing_alg_values_supported).toEqual(['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA']);
    expect(doc.revocation_endpoint).toBe(`${srv.issuer}/connect/revocation`);
  });
});

describe('openid-client with PrivateKeyJwt', () => {
  for (const label of ['EC (ES256)', 'RSA (RS256)'] as const) {
    it(`gets a token with an ${label} key, and introspects it with the same method`, async () => {
      const pair = label.startsWith('EC') ? ec : rsa;
      const c = await keyClient([{ publicKey: JSON.stringify(pair.publicJwk) }]);
      const config = await oidc.discovery(new URL(srv.issuer), c.clientId, undefined, oidc.PrivateKeyJwt(pair.privateKey), {
        execute: [oidc.allowInsecureRequests],
      });
      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'api' });
      expect(tokens.expires_in).toBe(600);
      const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!)), {
        issuer: srv.issuer,
        typ: 'at+jwt',
      });
      expect(payload).toMatchObject({ sub: c.clientId, client_id: c.clientId, tenant_id: t.tenantId });
      // A second grant makes a fresh assertion (new jti): accepted too.
      await oidc.clientCredentialsGrant(config);
      expect(await oidc.tokenIntrospection(config, tokens.access_token)).toMatchObject({ active: true, client_id: c.clientId });

      await srv.service.keyLastUsed.flush();
      const [row] = await h.db.select().from(clientKeys).where(eq(clientKeys.id, c.keyIds[0]));
      expect(row.lastUsedAt).not.toBeNull();
    });
  }
});

describe('RSA keys registered without an algorithm', () => {
  it('openid-client signing PS256 with a PEM-registered key gets a token, and the key records PS256', async () => {
    const pss = await testKeyPair('PS256');
    const c = await keyClient([{ publicKey: pss.publicPem }]);
    const [row] = await h.db.select().from(clientKeys).where(eq(clientKeys.id, c.keyIds[0]));
    expect(row).toMatchObject({ source: 'pem', alg: 'RS256', algExact: false });
    const config = await oidc.discovery(new URL(srv.issuer), c.clientId, undefined, oidc.PrivateKeyJwt(pss.privateKey), {
      execute: [oidc.allowInsecureRequests],
    });
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'api' });
    expect(tokens.access_token).toBeTruthy();
    await srv.service.keyLastUsed.flush();
    const [used] = await h.db.select().from(clientKeys).where(eq(clientKeys.id, c.keyIds[0]));
    expect(used.lastUsedAlg).toBe('PS256');
    expect(used.lastUsedAt).not.toBeNull();
  });

  it('a PEM or a JWK without alg accepts RS256 and PS256; a JWK with an explicit alg stays exact', async () => {
    const { alg: _alg, ...noAlg } = rsa.publicJwk;
    void _alg;
    const pem = await keyClient([{ publicKey: rsa.publicPem }]);
    const bare = await keyClient([{ publicKey: JSON.stringify(noAlg) }]);
    const exact = await keyClient([{ publicKey: JSON.stringify({ ...noAlg, alg: 'RS256' }) }]);
    // The same RSA private key, as WebCrypto keys for each algorithm.
    const privateJwk = await exportJWK(rsa.privateKey);
    const as = async (alg: 'RS256' | 'PS256'): Promise<TestKeyPair> => ({ ...rsa, alg, privateKey: (await importJWK({ ...privateJwk, alg }, alg)) as CryptoKey });
    const signers = { RS256: await as('RS256'), PS256: await as('PS256') };
    for (const c of [pem, bare]) {
      for (const alg of ['RS256', 'PS256'] as const) {
        expect((await token(assertionForm(await assertion(signers[alg], c.clientId, tokenEndpoint())))).status, alg).toBe(200);
      }
    }
    expect((await token(assertionForm(await assertion(signers.RS256, exact.clientId, tokenEndpoint())))).status).toBe(200);
    expect(await token(assertionForm(await assertion(signers.PS256, exact.clientId, tokenEndpoint())))).toEqual(INVALID_CLIENT);
    await srv.service.keyLastUsed.flush();
    const [bareRow] = await h.db.select().from(clientKeys).where(eq(clientKeys.id, bare.keyIds[0]));
    expect(bareRow).toMatchObject({ source: 'jwk', algExact: false, lastUsedAlg: 'PS256' });
  });
});

describe('hand-made assertions (jose)', () => {
  it('accepts a PEM key, an Ed25519 key, the issuer as audience, and a kid', async () => {
    const ed = await testKeyPair('EdDSA');
    const c = await keyClient([{ publicKey: rsa.publicPem }, { publicKey: JSON.stringify({ ...ed.publicJwk, kid: 'ed-1' }) }]);
    expect((await token(assertionForm(await assertion(rsa, c.clientId, tokenEndpoint())))).status).toBe(200);
    expect((await token(assertionForm(await assertion(ed, c.clientId, srv.issuer, { kid: 'ed-1' })))).status).toBe(200);
    expect((await token(assertionForm(await assertion(ed, c.clientId, [srv.issuer, 'https://other.example'])))).status).toBe(200);
  });

  it('refuses every bad assertion with the same invalid_client', async () => {
    const c = await keyClient([{ publicKey: JSON.stringify(ec.publicJwk) }]);
    const other = await testKeyPair('ES256');
    const now = Math.floor(Date.now() / 1000);
    const aud = tokenEndpoint();
    const cases: Record<string, string> = {
      'wrong key': await assertion(other, c.clientId, aud),
      'expired': await assertion(ec, c.clientId, aud, { claims: { iat: now - 600, exp: now - 300 } }),
      'no exp': await assertion(ec, c.clientId, aud, { claims: { exp: undefined } }),
      'exp too far ahead': await assertion(ec, c.clientId, aud, { claims: { exp: now + 3600 } }),
      'wrong audience': await assertion(ec, c.clientId, 'https://elsewhere.example/token'),
      'no jti': await assertion(ec, c.clientId, aud, { claims: { jti: undefined } }),
      'sub differs from iss': await assertion(ec, c.clientId, aud, { claims: { sub: crypto.randomUUID() } }),
      'unknown client': await assertion(ec, crypto.randomUUID(), aud),
      'not yet valid': await assertion(ec, c.clientId, aud, { claims: { nbf: now + 600 } }),
      'kid of no key': await assertion(ec, c.clientId, aud, { kid: 'nope' }),
      'garbage': 'not.a.jwt',
    };
    for (const [label, a] of Object.entries(cases)) {
      expect(await token(assertionForm(a)), label).toEqual(INVALID_CLIENT);
    }
    expect(await token(assertionForm(await assertion(ec, c.clientId, aud), { client_id: crypto.randomUUID() }))).toEqual(INVALID_CLIENT);
    // A wrong assertion type is the same refusal; mixing methods is invalid_request.
    expect(await token({ ...assertionForm(await assertion(ec, c.clientId, aud)), client_assertion_type: 'urn:other' })).toEqual(INVALID_CLIENT);
    const mixed = await token({ ...assertionForm(await assertion(ec, c.clientId, aud)), client_secret: 'tscs_x' });
    expect(mixed.status).toBe(400);
    expect(mixed.json.error).toBe('invalid_request');
    // And the client still works with a good one.
    expect((await token(assertionForm(await assertion(ec, c.clientId, aud)))).status).toBe(200);
  });

  it('refuses a replayed jti, a removed key, an expired key and a disabled client', async () => {
    const c = await keyClient([{ publicKey: JSON.stringify(ec.publicJwk) }, { publicKey: rsa.publicPem }]);
    const once = await assertion(ec, c.clientId, tokenEndpoint());
    expect((await token(assertionForm(once))).status).toBe(200);
    expect(await token(assertionForm(once))).toEqual(INVALID_CLIENT);
    const [stored] = await h.db.execute(`select count(*)::int as n from client_assertion_jtis where client_id = '${c.clientId}'`).then((r) => (r as unknown as { rows: { n: number }[] }).rows);
    expect(stored.n).toBe(1);

    await h.db.delete(clientKeys).where(eq(clientKeys.id, c.keyIds[0]));
    await h.notify(CLIENT_CHANGED_CHANNEL, c.clientId);
    await expect.poll(async () => (await token(assertionForm(await assertion(ec, c.clientId, tokenEndpoint())))).status).toBe(401);
    expect((await token(assertionForm(await assertion(rsa, c.clientId, tokenEndpoint())))).status).toBe(200);

    await h.db.update(clientKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(clientKeys.id, c.keyIds[1]));
    await h.notify(CLIENT_CHANGED_CHANNEL, c.clientId);
    await expect.poll(async () => (await token(assertionForm(await assertion(rsa, c.clientId, tokenEndpoint())))).status).toBe(401);

    const d = await keyClient([{ publicKey: JSON.stringify(ec.publicJwk) }], false);
    expect(await token(assertionForm(await assertion(ec, d.clientId, tokenEndpoint())))).toEqual(INVALID_CLIENT);
    await h.db.update(clients).set({ enabled: true }).where(eq(clients.id, d.clientId));
    await h.notify(CLIENT_CHANGED_CHANNEL, d.clientId);
    await expect.poll(async () => (await token(assertionForm(await assertion(ec, d.clientId, tokenEndpoint())))).status).toBe(200);
  });

  it('signs while the jti is recorded, but answers a replay only with invalid_client', async () => {
    const c = await keyClient([{ publicKey: JSON.stringify(ec.publicJwk) }]);
    // The same assertion five times at once: one token, four refusals, one jti stored.
    const once = await assertion(ec, c.clientId, tokenEndpoint());
    const answers = await Promise.all(Array.from({ length: 5 }, () => token(assertionForm(once))));
    expect(answers.filter((a) => a.status === 200 && typeof a.json.access_token === 'string')).toHaveLength(1);
    expect(answers.filter((a) => JSON.stringify(a) === JSON.stringify(INVALID_CLIENT))).toHaveLength(4);
    // A replay asking for a scope that is not offered: still invalid_client (nothing about the grant leaks).
    expect(await token({ ...assertionForm(once), scope: 'no-such-scope' })).toEqual(INVALID_CLIENT);
    // A fresh one with that scope: authenticated, so the scope error is what it gets.
    const scoped = await token({ ...assertionForm(await assertion(ec, c.clientId, tokenEndpoint())), scope: 'no-such-scope' });
    expect(scoped.status).toBe(400);
    expect(scoped.json.error).toBe('invalid_scope');
    const [stored] = await h.db.execute(`select count(*)::int as n from client_assertion_jtis where client_id = '${c.clientId}'`).then((r) => (r as unknown as { rows: { n: number }[] }).rows);
    expect(stored.n).toBe(2);
  });

  it('verifies against a JWKS URL served locally, and refuses a kid the set does not hold', async () => {
    const jwks = { keys: [{ ...ec.publicJwk, kid: 'first' }] as Record<string, unknown>[] };
    const server = http.createServer((_req, res) => {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(jwks));
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      clearJwksCache();
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`;
      const c = await keyClient([{ jwksUrl: url }]);
      expect((await token(assertionForm(await assertion(ec, c.clientId, tokenEndpoint(), { kid: 'first' })))).status).toBe(200);
      expect(await token(assertionForm(await assertion(rsa, c.clientId, tokenEndpoint(), { kid: 'second' })))).toEqual(INVALID_CLIENT);
    } finally {
      server.close();
    }
  });
});

describe('replay across two instances on one database', () => {
  it('an assertion used at one instance is refused by the other', async () => {
    const other = await db.connectAgain();
    const a = await startIdentityServer(h);
    const b = await startIdentityServer(other);
    try {
      const c = await keyClient([{ publicKey: JSON.stringify(ec.publicJwk) }]);
      const shared = await assertion(ec, c.clientId, [a.issuer + '/connect/token', b.issuer + '/connect/token']);
      expect((await token(assertionForm(shared), a)).status).toBe(200);
      expect(await token(assertionForm(shared), b)).toEqual(INVALID_CLIENT);
      // The other way round too, with a fresh assertion.
      const second = await assertion(ec, c.clientId, [a.issuer + '/connect/token', b.issuer + '/connect/token']);
      expect((await token(assertionForm(second), b)).status).toBe(200);
      expect(await token(assertionForm(second), a)).toEqual(INVALID_CLIENT);
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('jti records, batched per event-loop turn', () => {
  it('accepts a jti once: concurrent presentations in one batch, and later ones, are replays', async () => {
    const { batchedJtiRecorder } = await import('./client-assertion');
    const batches: number[] = [];
    const record = batchedJtiRecorder(h.db, { onBatch: (n) => batches.push(n) });
    const { clientId } = await keyClient([]);
    const other = (await keyClient([])).clientId;
    const exp = Math.floor(Date.now() / 1000) + 60;
    // One turn: the same jti twice for one client, once for another client, and a second jti.
    const first = await Promise.all([record(clientId, 'j-1', exp), record(clientId, 'j-1', exp), record(other, 'j-1', exp), record(clientId, 'j-2', exp)]);
    expect(first).toEqual([true, false, true, true]);
    expect(batches).toEqual([3]); // one statement for the turn
    // A jti presented again while its batch is still on its way to the database: a replay too.
    const onItsWay = record(clientId, 'j-4', exp);
    await new Promise((r) => setImmediate(r));
    expect(batches).toEqual([3, 1]);
    expect(await Promise.all([onItsWay, record(clientId, 'j-4', exp)])).toEqual([true, false]);
    // A later turn (say another instance already stored it): refused.
    expect(await record(clientId, 'j-1', exp)).toBe(false);
    expect(await record(clientId, 'j-3', exp)).toBe(true);
    const rows = await h.db.execute(sql`select jti from client_assertion_jtis where client_id = ${clientId}::uuid order by jti`);
    expect((rows as unknown as { rows: { jti: string }[] }).rows.map((r) => r.jti)).toEqual(['j-1', 'j-2', 'j-3', 'j-4']);
  });
});
