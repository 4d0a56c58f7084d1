import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, decodeJwt, jwtVerify } from 'jose';
import { and, eq, inArray } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { auditEvents, authorizationCodes, refreshTokens } from '../db/schema';
import { consoleSessionCookie } from '../testing/console-session';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient, type TestClient } from '../testing/clients';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';
import { TokenService } from '../tokens/token-service';
import { REAUTH_PARAM, REAUTH_WINDOW_SECONDS, reauthMarker } from './reauth';
import { requiresFreshSignIn } from './sign-in-application';
import { generateCode, generateRefreshToken, hashOpaque } from './tokens';

/**
 * Over HTTP against the real /identity handler, as lib/oidc/oidc-flow.test.ts: prompt=login and max_age
 * (re-authentication without a loop), logout revoking the refresh tokens of the ended sign-in, refresh tokens at the
 * revocation endpoint (public clients by client_id alone), the periodic cleanup of codes and refresh tokens, and
 * at_hash in the ID token.
 */
let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let t: TestTenant;
let spa: TestClient;
let spa2: TestClient;
let hybrid: TestClient;
let cc: TestClient;
let srv: Awaited<ReturnType<typeof startIdentityServer>>;

const REDIRECT = 'http://127.0.0.1:8124/callback';
const LOGOUT = 'http://127.0.0.1:8124/signed-out';
const now = () => Math.floor(Date.now() / 1000);
/** Distinct sign-in times, far from now: a logout revokes by (user, auth_time), so tests must not share one. */
let signInAt = now() - 10_000;
const distinctSignIn = () => (signInAt -= 7);

async function sessionCookie(userId: string, authTime = now()) {
  return (await consoleSessionCookie(h.db, userId, { signedInAt: authTime })).cookie;
}

beforeAll(async () => {
  db = await createIsolatedDb();
  h = db.handle;
  t = await createTestTenant(h.db, 'OIDC session');
  const userClient = { tenantId: t.tenantId, redirectUris: [REDIRECT], postLogoutRedirectUris: [LOGOUT] };
  spa = await createTestClient(h.db, { ...userClient, clientType: 'authorization_code', secrets: [] });
  spa2 = await createTestClient(h.db, { ...userClient, clientType: 'authorization_code', secrets: [] });
  hybrid = await createTestClient(h.db, { ...userClient, clientType: 'hybrid' });
  cc = await createTestClient(h.db, { tenantId: t.tenantId });
  srv = await startIdentityServer(h, { throttleMaxFailures: 1000 });
});
afterAll(async () => {
  await srv?.close();
  await db?.drop();
});

async function get(url: URL | string, cookie?: string) {
  const res = await fetch(url, { redirect: 'manual', headers: cookie ? { cookie } : {} });
  return { status: res.status, location: res.headers.get('location'), text: await res.text(), headers: res.headers };
}

async function post(path: string, params: Record<string, string>, headers: Record<string, string> = {}) {
  const res = await fetch(`${srv.issuer}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });
  const text = await res.text();
  return { status: res.status, json: (text ? JSON.parse(text) : {}) as Record<string, string>, text };
}

const verifier = oidc.randomPKCECodeVerifier();
let challenge: string;

async function authorizeUrl(client: TestClient, extra: Record<string, string> = {}) {
  challenge ??= await oidc.calculatePKCECodeChallenge(verifier);
  const url = new URL(`${srv.issuer}/connect/authorize`);
  const params = {
    client_id: client.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT,
    scope: 'openid offline_access',
    code_challenge: challenge,
    code_challenge_method: 'S256',
    state: 'st',
    ...extra,
  };
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url;
}

type Outcome = { kind: 'code'; code: string } | { kind: 'sign_in'; callback: string } | { kind: 'error'; error: string };

/** Where authorize sends the browser: a code or an error for the application, or our sign-in page (and back to where). */
async function outcome(url: URL | string, cookie?: string): Promise<Outcome> {
  const res = await get(url, cookie);
  expect(res.status).toBe(302);
  const to = new URL(res.location!, srv.origin);
  if (to.pathname === '/sign-in') return { kind: 'sign_in', callback: to.searchParams.get('callbackUrl')! };
  expect(to.origin + to.pathname).toBe(REDIRECT);
  const error = to.searchParams.get('error');
  return error ? { kind: 'error', error } : { kind: 'code', code: to.searchParams.get('code')! };
}

async function codeFor(client: TestClient, authTime = now(), extra: Record<string, string> = {}) {
  const o = await outcome(await authorizeUrl(client, extra), await sessionCookie(t.admin.id, authTime));
  expect(o.kind).toBe('code');
  return (o as { code: string }).code;
}

function exchange(client: TestClient, code: string) {
  return post('/connect/token', {
    grant_type: 'authorization_code',
    code,
    redirect_uri: REDIRECT,
    code_verifier: verifier,
    client_id: client.clientId,
    ...(client === hybrid ? { client_secret: hybrid.secret } : {}),
  });
}

/** Tokens for `client` from a sign-in at `authTime`. */
async function tokensFor(client: TestClient, authTime = now()) {
  const res = await exchange(client, await codeFor(client, authTime));
  expect(res.status).toBe(200);
  return res.json as { access_token: string; id_token: string; refresh_token: string };
}

function refresh(client: TestClient, refreshToken: string) {
  return post('/connect/token', {
    grant_type: 'refresh_token',
    refresh_token: refreshToken,
    client_id: client.clientId,
    ...(client === hybrid ? { client_secret: hybrid.secret } : {}),
  });
}

describe('prompt=login and max_age (OpenID Connect Core 3.1.2.1)', () => {
  it('prompt=login sends a signed-in user to sign in again; the way back accepts only a session signed in after that', async () => {
    const old = now() - 30;
    const first = await outcome(await authorizeUrl(spa, { prompt: 'login', nonce: 'n1' }), await sessionCookie(t.admin.id, old));
    expect(first.kind).toBe('sign_in');
    const callback = (first as { callback: string }).callback;
    expect(callback).toMatch(/^\/identity\/connect\/authorize\?/);
    const back = new URL(callback, srv.origin);
    expect(back.searchParams.get('prompt')).toBe('login');
    expect(back.searchParams.get('nonce')).toBe('n1');
    expect(back.searchParams.get(REAUTH_PARAM)).toBeTruthy();
    // The sign-in page shows its form even to a signed-in user for this callback (app/sign-in/page.tsx).
    expect(requiresFreshSignIn(callback)).toBe(true);
    // Without prompt=login or max_age a visitor without a session signs in as before: no marker, and a signed-in
    // user reaching the sign-in page with that callback goes straight back.
    const plain = await outcome(await authorizeUrl(spa));
    expect(plain.kind).toBe('sign_in');
    const plainCallback = (plain as { callback: string }).callback;
    expect(new URL(plainCallback, srv.origin).searchParams.has(REAUTH_PARAM)).toBe(false);
    expect(requiresFreshSignIn(plainCallback)).toBe(false);

    // Back with the old session (the user did not sign in): sent to sign in again, not a code.
    const stillOld = await outcome(back, await sessionCookie(t.admin.id, old));
    expect(stillOld.kind).toBe('sign_in');
    // Back after signing in: a code, and the ID token names the new sign-in.
    const signedInAt = now();
    const second = await outcome(back, await sessionCookie(t.admin.id, signedInAt));
    expect(second.kind).toBe('code');
    const tokens = await exchange(spa, (second as { code: string }).code);
    expect(decodeJwt(tokens.json.id_token)).toMatchObject({ auth_time: signedInAt, nonce: 'n1' });
  });

  it('does not accept a forged, expired or other client\'s marker', async () => {
    const cookie = await sessionCookie(t.admin.id, now() - 30);
    const marker = reauthMarker(spa.clientId, now() - 60)!;
    const [at, mac] = marker.split('.');
    const forged = [
      `${Number(at) - 10}.${mac}`, // an earlier time under the MAC of another
      `${at}.${'A'.repeat(43)}`,
      reauthMarker(spa2.clientId, now() - 60)!, // another client's
      reauthMarker(spa.clientId, now() - REAUTH_WINDOW_SECONDS - 60)!, // too old
      'garbage',
    ];
    for (const value of forged) {
      expect((await outcome(await authorizeUrl(spa, { prompt: 'login', [REAUTH_PARAM]: value }), cookie)).kind, value).toBe('sign_in');
    }
    // The genuine one: the session (signed in 30 s ago) is newer than the marker (60 s ago), so it is accepted.
    expect((await outcome(await authorizeUrl(spa, { prompt: 'login', [REAUTH_PARAM]: marker }), cookie)).kind).toBe('code');
  });

  it('max_age: a session signed in longer ago signs in again; a recent one gets a code; max_age=0 does not loop', async () => {
    const twoMinutesAgo = now() - 120;
    expect((await outcome(await authorizeUrl(spa, { max_age: '60' }), await sessionCookie(t.admin.id, twoMinutesAgo))).kind).toBe('sign_in');
    const ok = await outcome(await authorizeUrl(spa, { max_age: '300' }), await sessionCookie(t.admin.id, twoMinutesAgo));
    expect(ok.kind).toBe('code');
    const id = decodeJwt((await exchange(spa, (ok as { code: string }).code)).json.id_token);
    expect(id.auth_time).toBe(twoMinutesAgo);

    const zero = await outcome(await authorizeUrl(spa, { max_age: '0' }), await sessionCookie(t.admin.id, now() - 2));
    expect(zero.kind).toBe('sign_in');
    // Signed in at the moment authorize sent the user away (auth_time equal to the marker), and later: a code.
    const back = new URL((zero as { callback: string }).callback, srv.origin);
    const markerTime = Number(back.searchParams.get(REAUTH_PARAM)!.split('.')[0]);
    expect((await outcome(back, await sessionCookie(t.admin.id, markerTime))).kind).toBe('code');
    // Seconds later (the user took a while to sign in): the session is older than max_age=0 allows, yet it was
    // signed in after the user was sent away, so the way back gets a code instead of another round.
    const sentAway = reauthMarker(spa.clientId, now() - 5)!;
    const later = await outcome(await authorizeUrl(spa, { max_age: '0', [REAUTH_PARAM]: sentAway }), await sessionCookie(t.admin.id, now() - 3));
    expect(later.kind).toBe('code');
  });

  it('refuses a malformed max_age, and prompt=none answers login_required when a sign-in would be needed', async () => {
    const cookie = await sessionCookie(t.admin.id, now() - 120);
    for (const bad of ['-1', 'abc', '1.5', '1e3', ' 5']) {
      expect(await outcome(await authorizeUrl(spa, { max_age: bad }), cookie), bad).toEqual({ kind: 'error', error: 'invalid_request' });
    }
    expect(await outcome(await authorizeUrl(spa, { prompt: 'none', max_age: '60' }), cookie)).toEqual({ kind: 'error', error: 'login_required' });
    expect(await outcome(await authorizeUrl(spa, { prompt: 'none' }))).toEqual({ kind: 'error', error: 'login_required' });
    expect(await outcome(await authorizeUrl(spa, { prompt: 'none login' }), cookie)).toEqual({ kind: 'error', error: 'invalid_request' });
    expect((await outcome(await authorizeUrl(spa, { prompt: 'none', max_age: '300' }), cookie)).kind).toBe('code');
  });

  it('prompt=consent needs nothing more (no consent screen), select_account signs in again, unknown values are ignored', async () => {
    const cookie = await sessionCookie(t.admin.id, now() - 30);
    expect((await outcome(await authorizeUrl(spa, { prompt: 'consent' }), cookie)).kind).toBe('code');
    expect((await outcome(await authorizeUrl(spa, { prompt: 'create' }), cookie)).kind).toBe('code');
    expect((await outcome(await authorizeUrl(spa, { prompt: 'select_account' }), cookie)).kind).toBe('sign_in');
    expect((await outcome(await authorizeUrl(spa, { prompt: 'consent login' }), cookie)).kind).toBe('sign_in');
  });

  it('advertises the prompt values it acts on', async () => {
    const meta = (await (await fetch(`${srv.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(meta.prompt_values_supported).toEqual(['none', 'login', 'consent', 'select_account']);
  });
});

describe('logout revokes the refresh tokens of the sign-in it ends', () => {
  it('with an id_token_hint: every client of that browser session loses its refresh tokens, other sign-ins keep theirs', async () => {
    const session = distinctSignIn();
    const elsewhere = distinctSignIn(); // the same user signed in on another device
    const a = await tokensFor(spa, session);
    const b = await tokensFor(hybrid, session);
    const c = await tokensFor(spa, elsewhere);
    // A code issued just before the logout and not exchanged yet must not start a family afterwards.
    const pending = await codeFor(spa2, session);

    const out = await get(
      `${srv.issuer}/connect/endsession?${new URLSearchParams({ id_token_hint: a.id_token, post_logout_redirect_uri: LOGOUT })}`,
      await sessionCookie(t.admin.id, session),
    );
    expect(out.status).toBe(302);
    expect(out.location).toBe(LOGOUT);

    expect((await refresh(spa, a.refresh_token)).json.error).toBe('invalid_grant');
    expect((await refresh(hybrid, b.refresh_token)).json.error).toBe('invalid_grant');
    expect((await exchange(spa2, pending)).json.error).toBe('invalid_grant');
    const other = await refresh(spa, c.refresh_token);
    expect(other.status).toBe(200);
    expect(other.json.refresh_token).toBeTruthy();
  });

  it('with openid-client: after RP-initiated logout the application cannot refresh any more', async () => {
    const config = await oidc.discovery(new URL(srv.issuer), spa.clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const session = distinctSignIn();
    const tokens = await tokensFor(spa, session);
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token);
    const out = await get(
      oidc.buildEndSessionUrl(config, { id_token_hint: refreshed.id_token!, post_logout_redirect_uri: LOGOUT }),
      await sessionCookie(t.admin.id, session),
    );
    expect(out.status).toBe(302);
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
  });

  it('after the user confirms (no id_token_hint), and with a hint alone when the session cookie is gone', async () => {
    const session = distinctSignIn();
    const a = await tokensFor(spa, session);
    const cookie = await sessionCookie(t.admin.id, session);
    const confirmed = await fetch(`${srv.issuer}/connect/endsession`, {
      method: 'POST',
      redirect: 'manual',
      headers: { cookie, 'Content-Type': 'application/x-www-form-urlencoded', Origin: srv.origin },
      body: new URLSearchParams({ client_id: spa.clientId, post_logout_redirect_uri: LOGOUT, confirm: '1' }),
    });
    expect(confirmed.status).toBe(302);
    expect((await refresh(spa, a.refresh_token)).json.error).toBe('invalid_grant');

    const earlier = distinctSignIn();
    const b = await tokensFor(spa, earlier);
    // The browser has another session now (a prompt=login since, say): the hint names the one the application had.
    const out = await get(
      `${srv.issuer}/connect/endsession?${new URLSearchParams({ id_token_hint: b.id_token })}`,
      await sessionCookie(t.admin.id, distinctSignIn()),
    );
    expect(out.status).toBe(200);
    expect((await refresh(spa, b.refresh_token)).json.error).toBe('invalid_grant');

    const c = await tokensFor(spa, distinctSignIn());
    expect((await get(`${srv.issuer}/connect/endsession?${new URLSearchParams({ id_token_hint: c.id_token })}`)).status).toBe(200);
    expect((await refresh(spa, c.refresh_token)).json.error).toBe('invalid_grant');
  });

  it('asking for confirmation revokes nothing', async () => {
    const session = distinctSignIn();
    const a = await tokensFor(spa, session);
    const ask = await get(`${srv.issuer}/connect/endsession?client_id=${spa.clientId}`, await sessionCookie(t.admin.id, session));
    expect(ask.text).toContain('Sign out?');
    expect((await refresh(spa, a.refresh_token)).status).toBe(200);
  });
});

describe('revocation endpoint: refresh tokens (RFC 7009)', () => {
  const revoke = (params: Record<string, string>, headers: Record<string, string> = {}) => post('/connect/revocation', params, headers);

  it('a public client revokes its refresh token by client_id alone: the whole family is revoked', async () => {
    const a = await tokensFor(spa);
    const rotated = await refresh(spa, a.refresh_token);
    expect(rotated.status).toBe(200);
    const res = await revoke({ token: rotated.json.refresh_token, token_type_hint: 'refresh_token', client_id: spa.clientId });
    expect(res.status).toBe(200);
    expect(res.text).toBe('{}');
    expect((await refresh(spa, rotated.json.refresh_token)).json.error).toBe('invalid_grant');
    const family = await h.db.select().from(refreshTokens).where(eq(refreshTokens.tokenHash, hashOpaque(a.refresh_token)));
    const rows = await h.db.select().from(refreshTokens).where(eq(refreshTokens.familyId, family[0].familyId));
    expect(rows.length).toBe(2);
    expect(rows.every((r) => r.revokedAt !== null)).toBe(true);
    const [audit] = await h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, 'token.revoked'), eq(auditEvents.targetId, spa.clientId)));
    expect(audit.details).toMatchObject({ tokenType: 'refresh_token', familyId: family[0].familyId });
    expect(JSON.stringify(audit.details)).not.toContain(rotated.json.refresh_token);
  });

  it('finds a refresh token without a hint or under the wrong hint; openid-client tokenRevocation works', async () => {
    const a = await tokensFor(spa);
    expect((await revoke({ token: a.refresh_token, client_id: spa.clientId })).status).toBe(200);
    expect((await refresh(spa, a.refresh_token)).json.error).toBe('invalid_grant');
    const b = await tokensFor(spa);
    expect((await revoke({ token: b.refresh_token, token_type_hint: 'access_token', client_id: spa.clientId })).status).toBe(200);
    expect((await refresh(spa, b.refresh_token)).json.error).toBe('invalid_grant');

    const config = await oidc.discovery(new URL(srv.issuer), spa.clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    expect(config.serverMetadata().revocation_endpoint_auth_methods_supported).toContain('none');
    const c = await tokensFor(spa);
    await oidc.tokenRevocation(config, c.refresh_token, { token_type_hint: 'refresh_token' });
    expect((await refresh(spa, c.refresh_token)).json.error).toBe('invalid_grant');
  });

  it('a Hybrid client revokes its refresh token with its secret, not by client_id alone', async () => {
    const a = await tokensFor(hybrid);
    const alone = await revoke({ token: a.refresh_token, client_id: hybrid.clientId });
    expect(alone.status).toBe(401);
    expect(alone.json.error).toBe('invalid_client');
    expect((await refresh(hybrid, a.refresh_token)).status).toBe(200);
    const b = await tokensFor(hybrid);
    const basic = 'Basic ' + Buffer.from(`${hybrid.clientId}:${hybrid.secret}`).toString('base64');
    expect((await revoke({ token: b.refresh_token }, { Authorization: basic })).status).toBe(200);
    expect((await refresh(hybrid, b.refresh_token)).json.error).toBe('invalid_grant');
  });

  it('says 200 and changes nothing for another client\'s token, an unknown one or garbage', async () => {
    const a = await tokensFor(spa);
    const callers: Record<string, string>[] = [{ client_id: spa2.clientId }, { client_id: cc.clientId, client_secret: cc.secret }, { client_id: hybrid.clientId, client_secret: hybrid.secret }];
    for (const caller of callers) {
      const res = await revoke({ token: a.refresh_token, ...caller });
      expect(res.status).toBe(200);
      expect(res.text).toBe('{}');
    }
    for (const token of [generateRefreshToken(), 'tsrt_short', 'not a token', 'eyJhbGciOiJub25lIn0.e30.']) {
      const res = await revoke({ token, client_id: spa.clientId });
      expect(res.status).toBe(200);
      expect(res.text).toBe('{}');
    }
    expect((await refresh(spa, a.refresh_token)).status).toBe(200);
  });

  it('refuses client_id alone for a client-credentials client, a disabled or unknown client, and no client at all', async () => {
    const a = await tokensFor(spa);
    const disabled = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'authorization_code', secrets: [], redirectUris: [REDIRECT], enabled: false });
    for (const clientId of [cc.clientId, disabled.clientId, '00000000-0000-4000-8000-000000000000', 'nope']) {
      const res = await revoke({ token: a.refresh_token, client_id: clientId });
      expect(res.status, clientId).toBe(401);
      expect(res.json.error).toBe('invalid_client');
    }
    expect((await revoke({ token: a.refresh_token })).status).toBe(401);
    expect((await revoke({ client_id: spa.clientId })).json.error).toBe('invalid_request');
    expect((await refresh(spa, a.refresh_token)).status).toBe(200);
  });

  it('a public client revokes its access token: userinfo refuses it at once', async () => {
    const res = await exchange(spa, await codeFor(spa, now(), { scope: 'openid' }));
    const token = res.json.access_token;
    const info = () => fetch(`${srv.issuer}/connect/userinfo`, { headers: { Authorization: `Bearer ${token}` } });
    expect((await info()).status).toBe(200);
    expect((await revoke({ token, client_id: spa.clientId })).status).toBe(200);
    expect((await info()).status).toBe(401);
  });
});

describe('periodic cleanup of codes and refresh tokens', () => {
  it('deletes expired codes (used ones an hour later) and expired refresh tokens of families that cannot be used any more', async () => {
    const ago = (s: number) => new Date(Date.now() - s * 1000);
    const code = (expiresAt: Date, consumedAt: Date | null) => ({
      codeHash: hashOpaque(generateCode()),
      clientId: spa.clientId,
      userId: t.admin.id,
      redirectUri: REDIRECT,
      codeChallenge: 'x'.repeat(43),
      scope: 'openid',
      authTime: ago(600),
      expiresAt,
      consumedAt,
    });
    const codes = {
      expiredUnused: code(ago(5), null),
      live: code(new Date(Date.now() + 60_000), null),
      usedRecently: code(ago(600), ago(650)),
      usedLongAgo: code(ago(2 * 3600), ago(2 * 3600 + 30)),
    };
    await h.db.insert(authorizationCodes).values(Object.values(codes));
    const family = () => randomUUID();
    const token = (familyId: string, expiresAt: Date, extra: { usedAt?: Date; revokedAt?: Date } = {}) => ({
      tokenHash: hashOpaque(generateRefreshToken()),
      familyId,
      clientId: spa.clientId,
      userId: t.admin.id,
      scope: 'openid offline_access',
      authTime: ago(600),
      expiresAt,
      ...extra,
    });
    const dead = family();
    const alive = family();
    const revoked = family();
    const tokens = {
      deadExpired: token(dead, ago(5)),
      deadUsedExpired: token(dead, ago(50), { usedAt: ago(60) }),
      aliveRotatedExpired: token(alive, ago(5), { usedAt: ago(60) }),
      aliveCurrent: token(alive, new Date(Date.now() + 3600_000)),
      revokedExpired: token(revoked, ago(5), { revokedAt: ago(60) }),
      revokedLive: token(revoked, new Date(Date.now() + 3600_000), { revokedAt: ago(60) }),
    };
    await h.db.insert(refreshTokens).values(Object.values(tokens));

    await srv.service.cleanup();

    const codeRows = await h.db
      .select({ codeHash: authorizationCodes.codeHash })
      .from(authorizationCodes)
      .where(inArray(authorizationCodes.codeHash, Object.values(codes).map((c) => c.codeHash)));
    const keptCodes = Object.entries(codes).filter(([, c]) => codeRows.some((r) => r.codeHash === c.codeHash)).map(([k]) => k);
    expect(keptCodes.sort()).toEqual(['live', 'usedRecently']);
    const tokenRows = await h.db
      .select({ tokenHash: refreshTokens.tokenHash })
      .from(refreshTokens)
      .where(inArray(refreshTokens.tokenHash, Object.values(tokens).map((x) => x.tokenHash)));
    const keptTokens = Object.entries(tokens).filter(([, x]) => tokenRows.some((r) => r.tokenHash === x.tokenHash)).map(([k]) => k);
    expect(keptTokens.sort()).toEqual(['aliveCurrent', 'aliveRotatedExpired', 'revokedLive']);
  });

  it('the token service runs that cleanup every minute', async () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const service = new TokenService(h);
    try {
      const cleanup = vi.spyOn(service, 'cleanup').mockResolvedValue();
      await service.start();
      expect(cleanup).not.toHaveBeenCalled();
      vi.advanceTimersByTime(60_000);
      expect(cleanup).toHaveBeenCalledTimes(1);
    } finally {
      await service.stop();
      vi.useRealTimers();
    }
  });
});

describe('at_hash', () => {
  it('is the left half of the SHA-256 of the access token, at the code exchange and at refresh; the ID token verifies', async () => {
    const expected = (accessToken: string) => createHash('sha256').update(accessToken).digest().subarray(0, 16).toString('base64url');
    const a = await tokensFor(spa);
    const jwks = createRemoteJWKSet(new URL(`${srv.issuer}/.well-known/openid-configuration/jwks`));
    const id = await jwtVerify(a.id_token, jwks, { issuer: srv.issuer, audience: spa.clientId });
    expect(id.payload.at_hash).toBe(expected(a.access_token));
    const r = await refresh(spa, a.refresh_token);
    expect(decodeJwt(r.json.id_token).at_hash).toBe(expected(r.json.access_token));
    expect(decodeJwt(r.json.id_token).at_hash).not.toBe(id.payload.at_hash);
  });
});
