import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { calculateJwkThumbprint, decodeJwt, exportJWK } from 'jose';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { authorizationCodes, refreshTokens } from '../db/schema';
import { consoleSessionCookie } from '../testing/console-session';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient, type TestClient } from '../testing/clients';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';
import { dpopKey, dpopProof } from '../tokens/testing/dpop';
import { hashOpaque } from './tokens';

/**
 * DPoP (RFC 9449) with the authorization_code and refresh_token grants, driven by openid-client: the access tokens
 * are bound to the proof's key, a public client's refresh tokens too (a refresh with another key, or none, is
 * refused and burns nothing); a confidential (Hybrid) client's refresh token is bound to its secret instead.
 */
let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let t: TestTenant;
let spa: TestClient;
let hybrid: TestClient;
let srv: Awaited<ReturnType<typeof startIdentityServer>>;

const REDIRECT = 'http://127.0.0.1:8124/callback';

beforeAll(async () => {
  db = await createIsolatedDb();
  h = db.handle;
  t = await createTestTenant(h.db, 'OIDC DPoP');
  spa = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'authorization_code', secrets: [], redirectUris: [REDIRECT] });
  hybrid = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'hybrid', redirectUris: [REDIRECT] });
  srv = await startIdentityServer(h, { throttleMaxFailures: 1000 });
});
afterAll(async () => {
  await srv?.close();
  await db?.drop();
});

/** Sign in with the code flow and exchange the code with a DPoP proof; returns the tokens and the handle. */
async function signIn(config: oidc.Configuration) {
  const keyPair = await oidc.randomDPoPKeyPair('ES256');
  const DPoP = oidc.getDPoPHandle(config, keyPair);
  const codeVerifier = oidc.randomPKCECodeVerifier();
  const state = oidc.randomState();
  const url = oidc.buildAuthorizationUrl(config, {
    redirect_uri: REDIRECT,
    scope: 'openid email offline_access',
    code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
    code_challenge_method: 'S256',
    state,
  });
  const { cookie } = await consoleSessionCookie(h.db, t.admin.id, { signedInAt: Math.floor(Date.now() / 1000) });
  const res = await fetch(url, { redirect: 'manual', headers: { cookie } });
  expect(res.status).toBe(302);
  const tokens = await oidc.authorizationCodeGrant(config, new URL(res.headers.get('location')!), { pkceCodeVerifier: codeVerifier, expectedState: state }, undefined, { DPoP });
  return { tokens, DPoP, jkt: await calculateJwkThumbprint(await exportJWK(keyPair.publicKey)) };
}

async function rawRefresh(client: TestClient, refreshToken: string, proof?: string) {
  const res = await fetch(`${srv.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(proof ? { DPoP: proof } : {}) },
    body: new URLSearchParams({
      grant_type: 'refresh_token',
      refresh_token: refreshToken,
      client_id: client.clientId,
      ...(client === hybrid ? { client_secret: client.secret } : {}),
    }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

describe('authorization code + refresh with DPoP', () => {
  it('a public client: bound access tokens, userinfo with DPoP, refresh tokens bound to the key', async () => {
    const config = await oidc.discovery(new URL(srv.issuer), spa.clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const { tokens, DPoP, jkt } = await signIn(config);
    expect(tokens.token_type).toBe('dpop');
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt });
    const [row] = await h.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaque(tokens.refresh_token!)));
    expect(row.dpopJkt).toBe(jkt);

    // userinfo is a resource server too: DPoP with a proof works, the same token as Bearer does not.
    expect(await oidc.fetchUserInfo(config, tokens.access_token, t.admin.id, { DPoP })).toMatchObject({ sub: t.admin.id, email: t.admin.email });
    const asBearer = await fetch(`${srv.issuer}/connect/userinfo`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    expect(asBearer.status).toBe(401);
    expect(asBearer.headers.get('www-authenticate')).toMatch(/^DPoP .*error="invalid_token"/);

    // A thief with the refresh token but not the key: refused, with another key or without a proof; nothing is used up.
    const thief = await dpopKey('ES256');
    const withOtherKey = await rawRefresh(spa, tokens.refresh_token!, await dpopProof(thief, 'POST', `${srv.issuer}/connect/token`));
    expect(withOtherKey).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect((await rawRefresh(spa, tokens.refresh_token!)).json.error).toBe('invalid_grant');
    const [still] = await h.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaque(tokens.refresh_token!)));
    expect(still).toMatchObject({ usedAt: null, revokedAt: null });

    // The client with its key refreshes; the new refresh token is bound to the same key.
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP });
    expect(refreshed.token_type).toBe('dpop');
    expect(decodeJwt(refreshed.access_token).cnf).toEqual({ jkt });
    const [next] = await h.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaque(refreshed.refresh_token!)));
    expect(next.dpopJkt).toBe(jkt);
  });

  it('a Hybrid client: access tokens bound to each proof, the refresh token to the client secret', async () => {
    const config = await oidc.discovery(new URL(srv.issuer), hybrid.clientId, undefined, oidc.ClientSecretPost(hybrid.secret), {
      execute: [oidc.allowInsecureRequests],
    });
    const { tokens, jkt } = await signIn(config);
    expect(decodeJwt(tokens.access_token).cnf).toEqual({ jkt });
    const other = await dpopKey('ES256');
    const refreshed = await rawRefresh(hybrid, tokens.refresh_token!, await dpopProof(other, 'POST', `${srv.issuer}/connect/token`));
    expect(refreshed.status).toBe(200);
    expect(refreshed.json.token_type).toBe('DPoP');
    expect(decodeJwt(refreshed.json.access_token).cnf).toEqual({ jkt: other.jkt });
  });

  it('a bad proof at the code exchange is refused before the code is used', async () => {
    const config = await oidc.discovery(new URL(srv.issuer), spa.clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    });
    const { cookie } = await consoleSessionCookie(h.db, t.admin.id, { signedInAt: Math.floor(Date.now() / 1000) });
    const code = new URL((await fetch(url, { redirect: 'manual', headers: { cookie } })).headers.get('location')!).searchParams.get('code')!;
    const exchange = async (proof: string) =>
      fetch(`${srv.issuer}/connect/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded', DPoP: proof },
        body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: codeVerifier, client_id: spa.clientId }),
      }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, string> }));
    const key = await dpopKey('ES256');
    expect(await exchange(await dpopProof(key, 'GET', `${srv.issuer}/connect/token`))).toMatchObject({ status: 400, json: { error: 'invalid_dpop_proof' } });
    const ok = await exchange(await dpopProof(key, 'POST', `${srv.issuer}/connect/token`));
    expect(ok.status).toBe(200);
    expect(decodeJwt(ok.json.access_token).cnf).toEqual({ jkt: key.jkt });
  });
});

describe('dpop_jkt on the authorization request (RFC 9449 section 10)', () => {
  async function codeFor(extra: Record<string, string>) {
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const url = new URL(`${srv.issuer}/connect/authorize`);
    for (const [k, v] of Object.entries({
      client_id: spa.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      ...extra,
    })) {
      url.searchParams.set(k, v);
    }
    const { cookie } = await consoleSessionCookie(h.db, t.admin.id, { signedInAt: Math.floor(Date.now() / 1000) });
    const location = new URL((await fetch(url, { redirect: 'manual', headers: { cookie } })).headers.get('location')!);
    return { location, codeVerifier };
  }
  const exchange = (code: string, codeVerifier: string, proof?: string) =>
    fetch(`${srv.issuer}/connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(proof ? { DPoP: proof } : {}) },
      body: new URLSearchParams({ grant_type: 'authorization_code', code, redirect_uri: REDIRECT, code_verifier: codeVerifier, client_id: spa.clientId }),
    }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, string> }));

  it('binds the code to the key: a proof of that key exchanges it, another key or none does not', async () => {
    const key = await dpopKey('ES256');
    const thief = await dpopKey('ES256');
    const first = await codeFor({ dpop_jkt: key.jkt });
    const [row] = await h.db.select().from(authorizationCodes).where(eq(authorizationCodes.codeHash, hashOpaque(first.location.searchParams.get('code')!)));
    expect(row.dpopJkt).toBe(key.jkt);
    const stolen = await exchange(first.location.searchParams.get('code')!, first.codeVerifier, await dpopProof(thief, 'POST', `${srv.issuer}/connect/token`));
    expect(stolen).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });

    const second = await codeFor({ dpop_jkt: key.jkt });
    expect(await exchange(second.location.searchParams.get('code')!, second.codeVerifier)).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });

    const third = await codeFor({ dpop_jkt: key.jkt });
    const ok = await exchange(third.location.searchParams.get('code')!, third.codeVerifier, await dpopProof(key, 'POST', `${srv.issuer}/connect/token`));
    expect(ok.status).toBe(200);
    expect(decodeJwt(ok.json.access_token).cnf).toEqual({ jkt: key.jkt });
  });

  it('a malformed dpop_jkt is invalid_request, sent back to the redirect URI', async () => {
    const { location } = await codeFor({ dpop_jkt: 'not-a-thumbprint' });
    expect(location.searchParams.get('error')).toBe('invalid_request');
    expect(location.searchParams.get('code')).toBeNull();
  });
});
