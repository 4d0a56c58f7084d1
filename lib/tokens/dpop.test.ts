import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { clients } from '../db/schema';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient, type TestClient } from '../testing/clients';
import { CLIENT_CHANGED_CHANNEL } from './invalidation';
import { DpopNonces, dpopReplayKey, normalizeHtu, prepareDpopProof } from './dpop';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';
import { dpopKey, dpopProof, hmacProof, unsignedProof, type DpopKey } from './testing/dpop';

/**
 * DPoP (RFC 9449) at the token endpoint, over HTTP against the real /identity handler: openid-client's DPoP support
 * for the happy path and the nonce flow, hand-made proofs (jose) for every refusal.
 */
let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let t: TestTenant;
let c: TestClient;
let key: DpopKey;
let srv: Awaited<ReturnType<typeof startIdentityServer>>;

beforeAll(async () => {
  db = await createIsolatedDb();
  h = db.handle;
  t = await createTestTenant(h.db, 'DPoP');
  c = await createTestClient(h.db, { tenantId: t.tenantId, tokenLifetime: 600 });
  key = await dpopKey('ES256');
  srv = await startIdentityServer(h, { throttleMaxFailures: 1000 });
});
afterAll(async () => {
  await srv?.close();
  await db?.drop();
});

const tokenUrl = (server = srv) => `${server.issuer}/connect/token`;

async function token(proof: string | string[] | null, client = c, server = srv) {
  const headers = new Headers({ 'Content-Type': 'application/x-www-form-urlencoded' });
  for (const p of proof === null ? [] : Array.isArray(proof) ? proof : [proof]) headers.append('DPoP', p);
  const res = await fetch(tokenUrl(server), {
    method: 'POST',
    headers,
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown>, nonce: res.headers.get('dpop-nonce') };
}

const discover = (server = srv, client = c) =>
  oidc.discovery(new URL(server.issuer), client.clientId, undefined, oidc.ClientSecretPost(client.secret), { execute: [oidc.allowInsecureRequests] });

describe('openid-client with DPoP', () => {
  it('discovery lists the proof algorithms; a proof binds the token (cnf.jkt, token_type DPoP) and introspection says so', async () => {
    const config = await discover();
    expect(config.serverMetadata().dpop_signing_alg_values_supported).toEqual(['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA']);
    const keyPair = await oidc.randomDPoPKeyPair('ES256');
    const DPoP = oidc.getDPoPHandle(config, keyPair);
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'api' }, { DPoP });
    expect(tokens.token_type).toBe('dpop');
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!)), {
      issuer: srv.issuer,
      typ: 'at+jwt',
    });
    const { calculateJwkThumbprint, exportJWK } = await import('jose');
    expect(payload.cnf).toEqual({ jkt: await calculateJwkThumbprint(await exportJWK(keyPair.publicKey)) });
    const introspection = await oidc.tokenIntrospection(config, tokens.access_token);
    expect(introspection).toMatchObject({ active: true, token_type: 'DPoP', cnf: payload.cnf });

    // Without a proof: a bearer token, as before.
    const bearer = await oidc.clientCredentialsGrant(config, { scope: 'api' });
    expect(bearer.token_type).toBe('bearer');
    expect(decodeJwt(bearer.access_token).cnf).toBeUndefined();
    expect(await oidc.tokenIntrospection(config, bearer.access_token)).toMatchObject({ active: true, token_type: 'Bearer' });
  });

  it('with server nonces required, openid-client follows use_dpop_nonce and keeps the nonce it is given', async () => {
    const strict = await startIdentityServer(h, { dpopRequireNonce: true });
    try {
      const config = await discover(strict);
      const DPoP = oidc.getDPoPHandle(config, await oidc.randomDPoPKeyPair('ES256'));
      const first = await oidc.clientCredentialsGrant(config, {}, { DPoP });
      expect(first.token_type).toBe('dpop');
      const second = await oidc.clientCredentialsGrant(config, {}, { DPoP });
      expect(decodeJwt(second.access_token).cnf).toEqual(decodeJwt(first.access_token).cnf);

      // The same by hand: no nonce -> use_dpop_nonce with DPoP-Nonce; that nonce -> a token, and the next nonce.
      const refused = await token(await dpopProof(key, 'POST', tokenUrl(strict)), c, strict);
      expect(refused).toMatchObject({ status: 400, json: { error: 'use_dpop_nonce' } });
      expect(refused.nonce).toMatch(/^[A-Za-z0-9_-]{43}$/);
      const ok = await token(await dpopProof(key, 'POST', tokenUrl(strict), { nonce: refused.nonce! }), c, strict);
      expect(ok.status).toBe(200);
      expect(ok.json.token_type).toBe('DPoP');
      expect(ok.nonce).toBe(refused.nonce);
      const madeUp = await token(await dpopProof(key, 'POST', tokenUrl(strict), { nonce: 'x'.repeat(43) }), c, strict);
      expect(madeUp).toMatchObject({ status: 400, json: { error: 'use_dpop_nonce' } });
      expect(madeUp.nonce).toBe(refused.nonce);
    } finally {
      await strict.close();
    }
  });
});

describe('proofs the token endpoint refuses', () => {
  it('a replayed proof, another URL or method, an old iat, a private key in jwk, alg none, HS256, a wrong typ, two proofs', async () => {
    const url = tokenUrl();
    const now = Math.floor(Date.now() / 1000);
    const good = await dpopProof(key, 'POST', url);
    expect((await token(good)).status).toBe(200);
    const cases: [string, string | string[]][] = [
      ['replayed', good],
      ['another URL', await dpopProof(key, 'POST', `${srv.issuer}/connect/introspect`)],
      ['another method', await dpopProof(key, 'GET', url)],
      ['private key in jwk', await dpopProof(key, 'POST', url, { header: { jwk: key.privateJwk } })],
      ['alg none', unsignedProof(key, 'POST', url)],
      ['HS256', await hmacProof('POST', url)],
      ['typ JWT', await dpopProof(key, 'POST', url, { header: { typ: 'JWT' } })],
      ['no jti', await dpopProof(key, 'POST', url, { claims: { jti: undefined } })],
      ['signed by another key', (await dpopProof(await dpopKey('ES256'), 'POST', url, { header: { jwk: key.publicJwk } }))],
      ['two DPoP headers', [await dpopProof(key, 'POST', url), await dpopProof(key, 'POST', url)]],
      ['not a JWT', 'not-a-jwt'],
    ];
    for (const [label, proof] of cases) {
      const answer = await token(proof);
      expect(answer.status, label).toBe(400);
      expect(answer.json.error, label).toBe('invalid_dpop_proof');
      expect(answer.json.access_token, label).toBeUndefined();
    }
    // An iat ten minutes old (or ahead): not fresh, so the server offers a nonce instead of a token.
    for (const iat of [now - 600, now + 600]) {
      const stale = await token(await dpopProof(key, 'POST', url, { claims: { iat } }));
      expect(stale).toMatchObject({ status: 400, json: { error: 'use_dpop_nonce' } });
      expect(stale.json.access_token).toBeUndefined();
      // A client whose clock is off then proves freshness with the nonce.
      expect((await token(await dpopProof(key, 'POST', url, { claims: { iat }, nonce: stale.nonce! }))).status).toBe(200);
    }
    // Every listed algorithm works: RSA (PS256) and Ed25519 keys too, each token bound to its own key.
    for (const alg of ['PS256', 'EdDSA'] as const) {
      const other = await dpopKey(alg);
      const ok = await token(await dpopProof(other, 'POST', url));
      expect(ok.status, alg).toBe(200);
      expect(decodeJwt(ok.json.access_token as string).cnf, alg).toEqual({ jkt: other.jkt });
    }
    // The htu is compared normalized, without query and fragment.
    const u = new URL(url);
    const variant = `${u.protocol}//${u.host.toUpperCase()}${u.pathname}?x=1#f`;
    expect((await token(await dpopProof(key, 'POST', variant))).status).toBe(200);
  });

  it('a client with Require DPoP gets invalid_dpop_proof without a proof, and a bound token with one', async () => {
    const strict = await createTestClient(h.db, { tenantId: t.tenantId });
    await h.db.update(clients).set({ requireDpop: true }).where(eq(clients.id, strict.clientId));
    await h.notify(CLIENT_CHANGED_CHANNEL, strict.clientId);
    await expect.poll(async () => (await token(null, strict)).json.error).toBe('invalid_dpop_proof');
    expect((await token(null, strict)).json.access_token).toBeUndefined();
    const ok = await token(await dpopProof(key, 'POST', tokenUrl()), strict);
    expect(ok.status).toBe(200);
    expect(decodeJwt(ok.json.access_token as string).cnf).toEqual({ jkt: key.jkt });
    // A wrong secret is still invalid_client, proof or not: nothing about the client leaks.
    expect((await token(null, { ...strict, secret: 'tscs_wrong' })).json.error).toBe('invalid_client');
  });
});

describe('replay across two instances on one database', () => {
  it('a proof used at one instance is refused by the other', async () => {
    const other = await db.connectAgain();
    // Both instances serve the same public URL (AUTH_URL), as behind a load balancer: the proof's htu fits both.
    const publicUrl = 'http://dpop.instances.test';
    const a = await startIdentityServer(h, { publicUrl });
    const b = await startIdentityServer(other, { publicUrl });
    try {
      const htu = `${publicUrl}/identity/connect/token`;
      const shared = await dpopProof(key, 'POST', htu);
      expect((await token(shared, c, a)).status).toBe(200);
      expect(await token(shared, c, b)).toMatchObject({ status: 400, json: { error: 'invalid_dpop_proof' } });
      const second = await dpopProof(key, 'POST', htu);
      expect((await token(second, c, b)).status).toBe(200);
      expect(await token(second, c, a)).toMatchObject({ status: 400, json: { error: 'invalid_dpop_proof' } });
    } finally {
      await a.close();
      await b.close();
    }
  });
});

describe('proof checks without HTTP', () => {
  const nonces = new DpopNonces(Buffer.alloc(32, 7));
  it('nonces: this step and the previous one are accepted, older ones and other keys are not', () => {
    const t0 = Date.UTC(2026, 11, 4, 9, 0, 0);
    const n = nonces.current(t0);
    expect(nonces.check(n, t0 + 30_000)).toBe(true);
    expect(nonces.check(n, t0 + 90_000)).toBe(true);
    expect(nonces.check(n, t0 + 150_000)).toBe(false);
    expect(new DpopNonces(Buffer.alloc(32, 8)).check(n, t0)).toBe(false);
  });
  it('htu normalization, replay keys, and a missing ath at a resource server', async () => {
    expect(normalizeHtu('HTTPS://Example.COM:443/a/../token?q#f')).toBe('https://example.com/token');
    expect(normalizeHtu('ftp://example.com/')).toBeNull();
    expect(dpopReplayKey(key.jkt)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const htu = 'https://rs.example/api';
    const proof = await dpopProof(key, 'GET', htu);
    const settings = { requireNonce: false, nonces, nowMs: Date.now() };
    expect(prepareDpopProof(proof, { htm: 'GET', htu, accessToken: 'tok' }, settings)).toMatchObject({ ok: false, failure: { error: 'invalid_dpop_proof' } });
    const withAth = await dpopProof(key, 'GET', htu, { accessToken: 'tok' });
    expect(prepareDpopProof(withAth, { htm: 'GET', htu, accessToken: 'tok' }, settings)).toMatchObject({ ok: true, proof: { jkt: key.jkt } });
  });

  it('a header checked once answers the same for every later proof with it: same key, thumbprint and replay key; refusals stay refusals', async () => {
    const htu = 'https://as.example/identity/connect/token';
    const settings = { requireNonce: false, nonces, nowMs: Date.now() };
    const target = { htm: 'POST', htu };
    const first = prepareDpopProof(await dpopProof(key, 'POST', htu), target, settings);
    const second = prepareDpopProof(await dpopProof(key, 'POST', htu), target, settings);
    if (!first.ok || !second.ok) throw new Error('expected both proofs to pass');
    expect(second.proof).toMatchObject({ jkt: key.jkt, replayKey: dpopReplayKey(key.jkt), alg: 'ES256', jwk: first.proof.jwk });
    expect(second.proof.jti).not.toBe(first.proof.jti);
    // Another key: its own thumbprint, not the cached one.
    const other = await dpopKey('PS256');
    expect(prepareDpopProof(await dpopProof(other, 'POST', htu), target, settings)).toMatchObject({ ok: true, proof: { jkt: other.jkt, alg: 'PS256' } });
    // A refused header is refused again, with the same answer each time.
    for (let i = 0; i < 2; i++) {
      expect(prepareDpopProof(await dpopProof(key, 'POST', htu, { header: { typ: 'JWT' } }), target, settings)).toMatchObject({
        ok: false,
        failure: { description: 'The DPoP proof must have typ "dpop+jwt".' },
      });
      expect(prepareDpopProof(await dpopProof(key, 'POST', htu, { header: { jwk: key.privateJwk } }), target, settings)).toMatchObject({
        ok: false,
        failure: { description: 'The DPoP proof\'s "jwk" must be a public key: it holds private key members.' },
      });
    }
    // A jwk without its key members: refused after the claims, as before (a wrong htm is named first).
    const noX = { ...key.publicJwk, x: undefined };
    for (let i = 0; i < 2; i++) {
      expect(prepareDpopProof(await dpopProof(key, 'GET', htu, { header: { jwk: noX } }), target, settings)).toMatchObject({
        ok: false,
        failure: { description: 'The DPoP proof is for another HTTP method (htm).' },
      });
      expect(prepareDpopProof(await dpopProof(key, 'POST', htu, { header: { jwk: noX } }), target, settings)).toMatchObject({
        ok: false,
        failure: { description: 'The DPoP proof\'s "jwk" is not a valid public key.' },
      });
    }
  });

  it('htu: the remembered normalization is only ever that of the same text', () => {
    expect(normalizeHtu('https://A.example/token')).toBe('https://a.example/token');
    expect(normalizeHtu('https://A.example/token')).toBe('https://a.example/token');
    expect(normalizeHtu('https://b.example/token?x')).toBe('https://b.example/token');
    expect(normalizeHtu('not a url')).toBeNull();
    expect(normalizeHtu('not a url')).toBeNull();
    expect(normalizeHtu('https://A.example/token')).toBe('https://a.example/token');
  });
});
