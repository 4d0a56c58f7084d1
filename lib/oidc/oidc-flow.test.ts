import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { authorizationCodes, clients, refreshTokens } from '../db/schema';
import { consoleSessionCookie } from '../testing/console-session';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient, type TestClient } from '../testing/clients';
import { notifyClientChanged } from '../tokens/invalidation';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';
import { SESSION_COOKIE } from './browser-session';
import { hashOpaque } from './tokens';

/**
 * Authorization Code (public, PKCE) and Hybrid (confidential) clients over HTTP against the real /identity handler:
 * a stock library (openid-client) for the happy path, raw requests for the RFC error answers.
 */
let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let t: TestTenant;
let other: TestTenant;
let spa: TestClient;
let hybrid: TestClient;
let srv: Awaited<ReturnType<typeof startIdentityServer>>;

const REDIRECT = 'http://127.0.0.1:8123/callback';
const LOGOUT = 'http://127.0.0.1:8123/signed-out';

async function sessionCookie(userId: string, authTime = Math.floor(Date.now() / 1000)) {
  return (await consoleSessionCookie(h.db, userId, { signedInAt: authTime })).cookie;
}

beforeAll(async () => {
  db = await createIsolatedDb();
  h = db.handle;
  t = await createTestTenant(h.db, 'OIDC');
  other = await createTestTenant(h.db, 'OIDC other');
  spa = await createTestClient(h.db, {
    tenantId: t.tenantId,
    clientType: 'authorization_code',
    secrets: [],
    tokenLifetime: 600,
    redirectUris: [REDIRECT],
    postLogoutRedirectUris: [LOGOUT],
    allowedCorsOrigins: ['http://127.0.0.1:8123'],
  });
  hybrid = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'hybrid', redirectUris: [REDIRECT] });
  srv = await startIdentityServer(h, { throttleMaxFailures: 1000 });
});
afterAll(async () => {
  await srv?.close();
  await db?.drop();
});

function authorizeUrl(params: Record<string, string | undefined>) {
  const url = new URL(`${srv.issuer}/connect/authorize`);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url;
}

async function get(url: URL | string, cookie?: string) {
  const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: res.status, location: res.headers.get('location'), text: await res.text(), headers: res.headers };
}

async function tokenRequest(params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${srv.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string>, headers: res.headers };
}

const verifier = oidc.randomPKCECodeVerifier();
let challenge: string;

/** A code for `client`, issued to the tenant admin's session. */
async function code(client: TestClient, extra: Record<string, string> = {}) {
  challenge ??= await oidc.calculatePKCECodeChallenge(verifier);
  const res = await get(
    authorizeUrl({
      client_id: client.clientId,
      response_type: 'code',
      redirect_uri: REDIRECT,
      scope: 'openid offline_access',
      code_challenge: challenge,
      code_challenge_method: 'S256',
      state: 's1',
      ...extra,
    }),
    await sessionCookie(t.admin.id),
  );
  expect(res.status).toBe(302);
  const location = new URL(res.location!);
  expect(location.origin + location.pathname).toBe(REDIRECT);
  return location.searchParams.get('code')!;
}

const exchange = (c: string, client: TestClient, extra: Record<string, string> = {}) =>
  tokenRequest({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier, client_id: client.clientId, ...extra });

describe('openid-client: authorization code + PKCE for a public client', () => {
  it('signs in, verifies both tokens against the JWKS, refreshes, refuses a reused refresh token and revokes the family', async () => {
    const config = await oidc.discovery(new URL(srv.issuer), spa.clientId, undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    const meta = config.serverMetadata();
    expect(meta.authorization_endpoint).toBe(`${srv.issuer}/connect/authorize`);
    expect(meta.end_session_endpoint).toBe(`${srv.issuer}/connect/endsession`);
    expect(meta.code_challenge_methods_supported).toEqual(['S256']);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid profile email offline_access',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      state,
      nonce,
    });
    const authTime = Math.floor(Date.now() / 1000) - 5;
    const res = await get(url, await sessionCookie(t.admin.id, authTime));
    expect(res.status).toBe(302);
    const tokens = await oidc.authorizationCodeGrant(config, new URL(res.location!), {
      pkceCodeVerifier: codeVerifier,
      expectedState: state,
      expectedNonce: nonce,
      idTokenExpected: true,
    });
    const jwks = createRemoteJWKSet(new URL(meta.jwks_uri!));
    const id = await jwtVerify(tokens.id_token!, jwks, { issuer: srv.issuer, audience: spa.clientId, typ: 'JWT' });
    expect(id.payload).toMatchObject({ sub: t.admin.id, nonce, auth_time: authTime, email: t.admin.email, name: t.admin.name });
    expect(typeof id.payload.exp).toBe('number');
    expect(typeof id.payload.iat).toBe('number');
    const at = await jwtVerify(tokens.access_token, jwks, { issuer: srv.issuer, audience: `${srv.issuer}/resources`, typ: 'at+jwt' });
    expect(at.payload).toMatchObject({ sub: t.admin.id, client_id: spa.clientId, tenant_id: t.tenantId });
    expect(tokens.expires_in).toBe(600);

    const info = await oidc.fetchUserInfo(config, tokens.access_token, t.admin.id);
    expect(info).toMatchObject({ sub: t.admin.id, email: t.admin.email, name: t.admin.name });

    const first = tokens.refresh_token!;
    expect(first).toMatch(/^tsrt_/);
    const refreshed = await oidc.refreshTokenGrant(config, first);
    const second = refreshed.refresh_token!;
    expect(second).not.toBe(first);
    const rid = await jwtVerify(refreshed.id_token!, jwks, { issuer: srv.issuer, audience: spa.clientId });
    expect(rid.payload).toMatchObject({ sub: t.admin.id, auth_time: authTime });

    // The first token again: refused, and the whole family (the second token too) is revoked.
    await expect(oidc.refreshTokenGrant(config, first)).rejects.toMatchObject({ error: 'invalid_grant' });
    await expect(oidc.refreshTokenGrant(config, second)).rejects.toMatchObject({ error: 'invalid_grant' });
    const rows = await h.db.select().from(refreshTokens).where(eq(refreshTokens.clientId, spa.clientId));
    expect(rows.length).toBeGreaterThanOrEqual(2);
    expect(rows.every((r) => r.revokedAt !== null)).toBe(true);
    // Stored hashed only.
    expect(rows.some((r) => r.tokenHash === first || r.tokenHash === second)).toBe(false);

    const logout = oidc.buildEndSessionUrl(config, {
      id_token_hint: tokens.id_token!,
      post_logout_redirect_uri: LOGOUT,
      state: 'bye',
    });
    const out = await get(logout, await sessionCookie(t.admin.id));
    expect(out.status).toBe(302);
    expect(out.location).toBe(`${LOGOUT}?state=bye`);
    expect(out.headers.get('set-cookie')).toContain(`${SESSION_COOKIE}=;`);
  });

  it('answers CORS for the registered origin only', async () => {
    const allowed = await fetch(`${srv.issuer}/connect/token`, { method: 'OPTIONS', headers: { Origin: 'http://127.0.0.1:8123' } });
    expect(allowed.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8123');
    const refused = await fetch(`${srv.issuer}/connect/token`, { method: 'OPTIONS', headers: { Origin: 'https://evil.example' } });
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('authorize errors (RFC 6749 4.1.2.1)', () => {
  it('sends a visitor without a session to the sign-in page, which comes back here', async () => {
    const res = await get(
      authorizeUrl({ client_id: spa.clientId, response_type: 'code', redirect_uri: REDIRECT, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' }),
    );
    expect(res.status).toBe(302);
    const to = new URL(res.location!, srv.origin);
    expect(to.pathname).toBe('/sign-in');
    expect(to.searchParams.get('callbackUrl')).toMatch(/^\/identity\/connect\/authorize\?/);
  });

  it('shows an error page and never redirects for an unregistered redirect URI', async () => {
    for (const uri of [REDIRECT + '/', 'http://127.0.0.1:8123/callback?x=1', 'https://evil.example/callback']) {
      const res = await get(authorizeUrl({ client_id: spa.clientId, response_type: 'code', redirect_uri: uri }), await sessionCookie(t.admin.id));
      expect(res.status).toBe(400);
      expect(res.location).toBeNull();
      expect(res.headers.get('content-type')).toContain('text/html');
      expect(res.text).toContain('The redirect_uri is not registered for this application.');
    }
  });

  it('shows an error page for unknown, client-credentials and disabled clients', async () => {
    const cc = await createTestClient(h.db, { tenantId: t.tenantId });
    const disabled = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'authorization_code', secrets: [], redirectUris: [REDIRECT], enabled: false });
    for (const id of ['00000000-0000-4000-8000-000000000000', cc.clientId, disabled.clientId, 'not-a-guid']) {
      const res = await get(authorizeUrl({ client_id: id, response_type: 'code', redirect_uri: REDIRECT }), await sessionCookie(t.admin.id));
      expect(res.status).toBe(400);
      expect(res.location).toBeNull();
      expect(res.text).toContain('invalid_client');
    }
  });

  it('redirects invalid_request when PKCE is missing or not S256, with the state', async () => {
    const cookie = await sessionCookie(t.admin.id);
    for (const pkce of [{}, { code_challenge: 'x'.repeat(43), code_challenge_method: 'plain' }, { code_challenge: 'short', code_challenge_method: 'S256' }]) {
      const res = await get(authorizeUrl({ client_id: spa.clientId, response_type: 'code', redirect_uri: REDIRECT, state: 'st', ...pkce }), cookie);
      expect(res.status).toBe(302);
      const to = new URL(res.location!);
      expect(to.origin + to.pathname).toBe(REDIRECT);
      expect(to.searchParams.get('error')).toBe('invalid_request');
      expect(to.searchParams.get('state')).toBe('st');
      expect(to.searchParams.get('code')).toBeNull();
    }
  });

  it('redirects unsupported_response_type, invalid_scope, login_required and access_denied', async () => {
    const cookie = await sessionCookie(t.admin.id);
    const base = { client_id: spa.clientId, redirect_uri: REDIRECT, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256' };
    const errorOf = async (params: Record<string, string>, c?: string) =>
      new URL((await get(authorizeUrl({ ...base, ...params }), c)).location!).searchParams.get('error');
    expect(await errorOf({ response_type: 'token' }, cookie)).toBe('unsupported_response_type');
    expect(await errorOf({ response_type: 'code', scope: 'openid admin' }, cookie)).toBe('invalid_scope');
    expect(await errorOf({ response_type: 'code', prompt: 'none' })).toBe('login_required');
    expect(await errorOf({ response_type: 'code' }, await sessionCookie(other.admin.id))).toBe('access_denied');
  });

  it('refuses repeated parameters', async () => {
    const url = `${authorizeUrl({ client_id: spa.clientId, response_type: 'code' })}&client_id=${spa.clientId}`;
    const res = await get(url, await sessionCookie(t.admin.id));
    expect(res.status).toBe(400);
    expect(res.location).toBeNull();
  });
});

describe('token endpoint: authorization_code and refresh_token grants', () => {
  it('stores only the hash of a code, and a code works once: a replay is invalid_grant and revokes what it issued', async () => {
    const c = await code(spa);
    const stored = await h.db.select().from(authorizationCodes).where(eq(authorizationCodes.clientId, spa.clientId));
    expect(stored.some((r) => r.codeHash === c)).toBe(false);
    const first = await exchange(c, spa);
    expect(first.status).toBe(200);
    expect(first.json.refresh_token).toBeTruthy();
    const replay = await exchange(c, spa);
    expect(replay.status).toBe(400);
    expect(replay.json.error).toBe('invalid_grant');
    const refresh = await tokenRequest({ grant_type: 'refresh_token', refresh_token: first.json.refresh_token, client_id: spa.clientId });
    expect(refresh.json.error).toBe('invalid_grant');
  });

  it('response_mode=form_post: the answer is an auto-submitting form that openid-client accepts (listed in discovery)', async () => {
    const config = await oidc.discovery(new URL(srv.issuer), spa.clientId, undefined, oidc.None(), {
      execute: [oidc.allowInsecureRequests],
    });
    expect(config.serverMetadata().response_modes_supported).toEqual(['query', 'form_post']);
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const state = oidc.randomState();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      response_mode: 'form_post',
      state,
    });
    const res = await get(url, await sessionCookie(t.admin.id));
    expect(res.status).toBe(200);
    expect(res.location).toBeNull();
    const csp = res.headers.get('content-security-policy')!;
    const nonce = /script-src 'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce).toBeTruthy();
    expect(csp).toContain("form-action 'self' http://127.0.0.1:8123");
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.text).toContain(`<form method="post" action="${REDIRECT}">`);
    expect(res.text).toContain(`<script nonce="${nonce}">`);
    // What the browser would POST to the redirect URI.
    const fields = new URLSearchParams([...res.text.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [m[1], m[2]]));
    expect([...fields.keys()].sort()).toEqual(['code', 'iss', 'state']);
    const posted = new Request(REDIRECT, { method: 'POST', body: fields, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } });
    const tokens = await oidc.authorizationCodeGrant(config, posted, { pkceCodeVerifier: codeVerifier, expectedState: state, idTokenExpected: true });
    expect(tokens.id_token).toBeTruthy();
    // An error goes back the same way.
    const bad = await get(authorizeUrl({ client_id: spa.clientId, response_type: 'code', redirect_uri: REDIRECT, response_mode: 'form_post', state: 's2' }), await sessionCookie(t.admin.id));
    expect(bad.status).toBe(200);
    expect(bad.text).toContain('name="error" value="invalid_request"');
    expect(bad.text).toContain('name="state" value="s2"');
  });

  it('lets an allowed browser origin call the revocation endpoint (preflight and answer), and no other origin', async () => {
    const { json } = await exchange(await code(spa), spa);
    const url = `${srv.issuer}/connect/revocation`;
    const preflight = await fetch(url, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:8123', 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type' },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8123');
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
    const revoke = (origin: string) =>
      fetch(url, {
        method: 'POST',
        headers: { Origin: origin, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ token: json.refresh_token, token_type_hint: 'refresh_token', client_id: spa.clientId }),
      });
    const elsewhere = await revoke('https://evil.example');
    expect(elsewhere.headers.get('access-control-allow-origin')).toBeNull();
    const res = await revoke('http://127.0.0.1:8123');
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:8123');
    expect(res.headers.get('vary')).toContain('Origin');
    const [row] = await h.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaque(json.refresh_token)));
    expect(row.revokedAt).not.toBeNull();
  });

  it('a loopback redirect URI may come back on another port (RFC 8252 7.3); anything else must match exactly', async () => {
    const base = {
      client_id: spa.clientId,
      response_type: 'code',
      scope: 'openid',
      code_challenge: await oidc.calculatePKCECodeChallenge(verifier),
      code_challenge_method: 'S256',
      state: 'p',
    };
    const other = await get(authorizeUrl({ ...base, redirect_uri: 'http://127.0.0.1:51004/callback' }), await sessionCookie(t.admin.id));
    expect(other.status).toBe(302);
    const location = new URL(other.location!);
    expect(location.origin + location.pathname).toBe('http://127.0.0.1:51004/callback');
    const issued = location.searchParams.get('code')!;
    // The code is bound to the URI the app used, port and all.
    expect((await exchange(issued, spa)).json.error).toBe('invalid_grant');
    const again = new URL((await get(authorizeUrl({ ...base, redirect_uri: 'http://127.0.0.1:51004/callback' }), await sessionCookie(t.admin.id))).location!);
    const ok = await exchange(again.searchParams.get('code')!, spa, { redirect_uri: 'http://127.0.0.1:51004/callback' });
    expect(ok.status).toBe(200);
    for (const refused of [
      'http://127.0.0.1:51004/callback/',
      'http://127.0.0.1:51004/other',
      'http://127.0.0.1:51004/callback?x=1',
      'http://localhost:51004/callback',
      'http://127.0.0.2:51004/callback',
      'https://127.0.0.1:51004/callback',
      'http://127.0.0.1:51004/./callback',
      'http://[::1]:51004/callback',
    ]) {
      const res = await get(authorizeUrl({ ...base, redirect_uri: refused }), await sessionCookie(t.admin.id));
      expect(res.status, refused).toBe(400);
      expect(res.location, refused).toBeNull();
    }
  });

  it('refuses a refresh asking for more scope with invalid_scope and leaves the token usable for the retry', async () => {
    const first = await exchange(await code(spa), spa);
    expect(first.status).toBe(200);
    const rt = first.json.refresh_token as string;
    const tooMuch = await tokenRequest({ grant_type: 'refresh_token', refresh_token: rt, client_id: spa.clientId, scope: 'openid admin' });
    expect(tooMuch.status).toBe(400);
    expect(tooMuch.json.error).toBe('invalid_scope');
    const [stored] = await h.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaque(rt)));
    expect(stored.usedAt).toBeNull();
    expect(stored.revokedAt).toBeNull();
    const retry = await tokenRequest({ grant_type: 'refresh_token', refresh_token: rt, client_id: spa.clientId, scope: 'openid' });
    expect(retry.status).toBe(200);
    expect(retry.json.scope).toBe('openid');
    expect(retry.json.refresh_token).toBeTruthy();
  });

  it('binds the code to the redirect URI, the PKCE verifier and the client, and lets it live 60 seconds', async () => {
    expect((await exchange(await code(spa), spa, { redirect_uri: REDIRECT + '/' })).json.error).toBe('invalid_grant');
    expect((await exchange(await code(spa), spa, { code_verifier: oidc.randomPKCECodeVerifier() })).json.error).toBe('invalid_grant');
    const another = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'authorization_code', secrets: [], redirectUris: [REDIRECT] });
    expect((await exchange(await code(spa), another)).json.error).toBe('invalid_grant');
    const c = await code(spa);
    const row = (await h.db.select().from(authorizationCodes).where(sql`${authorizationCodes.consumedAt} is null`))[0];
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeLessThanOrEqual(61_000);
    await h.db.update(authorizationCodes).set({ expiresAt: new Date(Date.now() - 1000) }).where(sql`${authorizationCodes.consumedAt} is null`);
    expect((await exchange(c, spa)).json.error).toBe('invalid_grant');
    expect((await exchange(await code(spa), spa, { code_verifier: '' })).json.error).toBe('invalid_request');
  });

  it('refuses a disabled client at the token endpoint with invalid_client', async () => {
    const c = await code(spa);
    await h.db.update(clients).set({ enabled: false }).where(eq(clients.id, spa.clientId));
    await notifyClientChanged(spa.clientId, h);
    try {
      const res = await exchange(c, spa);
      expect(res.status).toBe(401);
      expect(res.json.error).toBe('invalid_client');
    } finally {
      await h.db.update(clients).set({ enabled: true }).where(eq(clients.id, spa.clientId));
      await notifyClientChanged(spa.clientId, h);
    }
  });

  it('needs the secret of a Hybrid client, and refuses a secret for a public client', async () => {
    const c = await code(hybrid);
    expect((await exchange(c, hybrid)).json.error).toBe('invalid_client');
    const c2 = await code(hybrid);
    const ok = await exchange(c2, hybrid, { client_secret: hybrid.secret });
    expect(ok.status).toBe(200);
    expect(ok.json.id_token).toBeTruthy();
    const publicWithSecret = await exchange(await code(spa), spa, { client_secret: hybrid.secret });
    expect(publicWithSecret.json.error).toBe('invalid_client');
  });

  it('throttles guessed codes per client and address', async () => {
    const strict = await startIdentityServer(h, { throttleMaxFailures: 3 });
    try {
      const post = (c: string) =>
        fetch(`${strict.issuer}/connect/token`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
          body: new URLSearchParams({ grant_type: 'authorization_code', code: c, redirect_uri: REDIRECT, code_verifier: verifier, client_id: spa.clientId }),
        }).then(async (r) => ({ status: r.status, json: (await r.json()) as Record<string, string> }));
      for (let i = 0; i < 3; i++) expect((await post('tsac_' + 'A'.repeat(43))).json.error).toBe('invalid_grant');
      const blocked = await post('tsac_' + 'B'.repeat(43));
      expect(blocked.status).toBe(401);
      expect(blocked.json.error).toBe('invalid_client');
    } finally {
      await strict.close();
    }
  });
});

describe('userinfo and end-session', () => {
  it('userinfo needs a valid user access token', async () => {
    const noToken = await fetch(`${srv.issuer}/connect/userinfo`);
    expect(noToken.status).toBe(401);
    expect(noToken.headers.get('www-authenticate')).toContain('Bearer');
    const bad = await fetch(`${srv.issuer}/connect/userinfo`, { headers: { Authorization: 'Bearer abc.def.ghi' } });
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: string }).error).toBe('invalid_token');
  });

  it('refuses an unregistered post-logout URI and asks before signing out without an id_token_hint', async () => {
    const cookie = await sessionCookie(t.admin.id);
    const unregistered = await get(
      `${srv.issuer}/connect/endsession?client_id=${spa.clientId}&post_logout_redirect_uri=${encodeURIComponent('https://evil.example/')}`,
      cookie,
    );
    expect(unregistered.status).toBe(400);
    expect(unregistered.location).toBeNull();
    const ask = await get(`${srv.issuer}/connect/endsession?client_id=${spa.clientId}&post_logout_redirect_uri=${encodeURIComponent(LOGOUT)}`, cookie);
    expect(ask.status).toBe(200);
    expect(ask.text).toContain('Sign out?');
    expect(ask.headers.get('set-cookie')).toBeNull();
    const body = new URLSearchParams({ client_id: spa.clientId, post_logout_redirect_uri: LOGOUT, confirm: '1' });
    const crossSite = await fetch(`${srv.issuer}/connect/endsession`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: 'https://evil.example' },
      body,
    });
    expect(crossSite.status).toBe(200);
    expect(crossSite.headers.get('set-cookie')).toBeNull();
    const confirmed = await fetch(`${srv.issuer}/connect/endsession`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: srv.origin },
      body,
    });
    expect(confirmed.status).toBe(302);
    expect(confirmed.headers.get('location')).toBe(LOGOUT);
    expect(confirmed.headers.get('set-cookie')).toContain(`${SESSION_COOKIE}=;`);
  });
});
