import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { decodeJwt } from 'jose';
import { auth } from 'express-oauth2-jwt-bearer';
import { eq } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { apiResources } from '../db/schema';
import { actorFromUser } from '../actions/admin-action';
import { createApi } from '../apis/apis';
import { setClientApiAccess } from '../clients/api-access';
import { consoleSessionCookie } from '../testing/console-session';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient, type TestClient } from '../testing/clients';
import { decideDeviceRequest, findDeviceRequest } from '../oidc/device';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';

// Identifiers are unique across tenants and PostgreSQL test runs share one database: each run uses its own.
const RUN = randomUUID().slice(0, 8);

/**
 * RFC 8707 resource indicators over HTTP against the real /identity handler: a token for API A has aud A and only
 * the scopes the client was granted of it; an API it was not given, an unknown one, two at once or a malformed value
 * is invalid_target; a stock resource server library (express-oauth2-jwt-bearer, strict RFC 9068) configured for A
 * accepts the token and one configured for B refuses it. The user-facing grants carry the authorization request's
 * resource through the code, the refresh tokens and the device flow.
 */
let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let t: TestTenant;
let other: TestTenant;
let service: TestClient;
let spa: TestClient;
let tv: TestClient;
let srv: Awaited<ReturnType<typeof startIdentityServer>>;
const A = `https://orders-${RUN}.example.com`;
const B = `https://billing-${RUN}.example.com`;
const THEIRS = `https://theirs-${RUN}.example.com`;
const REDIRECT = 'http://127.0.0.1:8125/callback';

beforeAll(async () => {
  db = await createIsolatedDb();
  h = db.handle;
  t = await createTestTenant(h.db, 'Resources');
  other = await createTestTenant(h.db, 'Resources other');
  const actor = actorFromUser(t.admin);
  const a = await createApi(h.db, actor, { name: 'Orders', identifier: A, scopes: 'orders:read orders:write orders:admin' });
  const b = await createApi(h.db, actor, { name: 'Billing', identifier: B, scopes: 'invoices:read' });
  const theirs = await createApi(h.db, actorFromUser(other.admin), { name: 'Theirs', identifier: THEIRS });
  if (!a.ok || !b.ok || !theirs.ok) throw new Error('setup');
  service = await createTestClient(h.db, { tenantId: t.tenantId });
  spa = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'authorization_code', secrets: [], redirectUris: [REDIRECT] });
  tv = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'device_code', secrets: [] });
  for (const c of [service, spa, tv]) {
    const set = await setClientApiAccess(h.db, actor, { clientId: c.clientId, access: [{ apiId: a.data.id, scopes: ['orders:read', 'orders:write'] }] });
    expect(set.ok).toBe(true);
  }
  srv = await startIdentityServer(h, { throttleMaxFailures: 1000 });
});
afterAll(async () => {
  await srv?.close();
  await db?.drop();
});

async function token(params: Record<string, string | string[]>, client: TestClient = service) {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) for (const one of [v].flat()) body.append(k, one);
  const res = await fetch(`${srv.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Authorization: `Basic ${Buffer.from(`${client.clientId}:${client.secret}`).toString('base64')}` },
    body,
  });
  return { status: res.status, json: (await res.json()) as Record<string, string> };
}

/** express-oauth2-jwt-bearer as a resource server for `audience` would run it: 'accepted' or its error. */
function resourceServer(audience: string) {
  const check = auth({ issuerBaseURL: srv.issuer, audience, tokenSigningAlg: 'ES256', strict: true, dpop: { enabled: false } });
  return (accessToken: string) =>
    new Promise<string>((resolve) => {
      // The shape of an express request that the middleware reads (it wants the Host even without DPoP).
      const headers: Record<string, string> = { authorization: `Bearer ${accessToken}`, host: 'api.example.com' };
      const req = { headers, query: {}, body: {}, is: () => false, get: (name: string) => headers[name.toLowerCase()], protocol: 'https', originalUrl: '/orders', method: 'GET' };
      void check(req as never, {} as never, (err?: unknown) => resolve(err ? (err as { code?: string; message: string }).code ?? (err as Error).message : 'accepted'));
    });
}

describe('client_credentials with resource (RFC 8707)', () => {
  it('a token for API A: aud A, the granted scopes only; a resource server for A accepts it, one for B refuses it', async () => {
    const res = await token({ grant_type: 'client_credentials', resource: A });
    expect(res.status).toBe(200);
    expect(res.json.scope).toBe('orders:read orders:write');
    const claims = decodeJwt(res.json.access_token);
    expect(claims.aud).toBe(A);
    expect(claims.scope).toBe('orders:read orders:write');
    const alg = JSON.parse(Buffer.from(res.json.access_token.split('.')[0], 'base64url').toString()).alg as string;
    expect(alg).toBe('ES256');
    expect(await resourceServer(A)(res.json.access_token)).toBe('accepted');
    expect(await resourceServer(B)(res.json.access_token)).toBe('invalid_token');

    const narrowed = await token({ grant_type: 'client_credentials', resource: A, scope: 'orders:read' });
    expect(decodeJwt(narrowed.json.access_token)).toMatchObject({ aud: A, scope: 'orders:read' });
  });

  it('a scope of the API the client was not granted is invalid_scope', async () => {
    expect(await token({ grant_type: 'client_credentials', resource: A, scope: 'orders:admin' })).toMatchObject({ status: 400, json: { error: 'invalid_scope' } });
  });

  it('invalid_target for an API not granted, another tenant\'s, an unknown one, two at once, or a malformed value', async () => {
    for (const resource of [B, THEIRS, `https://nowhere-${RUN}.example.com`, 'orders', `${A}#x`, [A, B]]) {
      expect(await token({ grant_type: 'client_credentials', resource }), String(resource)).toMatchObject({ status: 400, json: { error: 'invalid_target' } });
    }
  });

  it('without resource: the default audience, as before', async () => {
    const res = await token({ grant_type: 'client_credentials' });
    expect(decodeJwt(res.json.access_token).aud).toBe(`${srv.issuer}/resources`);
    expect(await resourceServer(A)(res.json.access_token)).toBe('invalid_token');
  });
});

describe('user-facing grants carry the resource', () => {
  it('authorization code: the code, the access token and every refresh are for A', async () => {
    const config = await oidc.discovery(new URL(srv.issuer), spa.clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const url = oidc.buildAuthorizationUrl(config, {
      redirect_uri: REDIRECT,
      scope: 'openid offline_access orders:read',
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
      resource: A,
    });
    const { cookie } = await consoleSessionCookie(h.db, t.admin.id);
    const res = await fetch(url, { redirect: 'manual', headers: { cookie } });
    const tokens = await oidc.authorizationCodeGrant(config, new URL(res.headers.get('location')!), { pkceCodeVerifier: codeVerifier }, { resource: A });
    expect(decodeJwt(tokens.access_token)).toMatchObject({ aud: A, scope: 'openid offline_access orders:read' });
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!);
    expect(decodeJwt(refreshed.access_token).aud).toBe(A);
    await expect(oidc.refreshTokenGrant(config, refreshed.refresh_token!, { resource: B })).rejects.toMatchObject({ error: 'invalid_target' });
    // ...and that refusal used nothing up: the same refresh token still works (a used one would end the family).
    const again = await oidc.refreshTokenGrant(config, refreshed.refresh_token!);
    expect(decodeJwt(again.access_token)).toMatchObject({ aud: A, scope: 'openid offline_access orders:read' });

    // A token for an API is for that API: userinfo (the issuer's own endpoint) refuses it.
    const userinfo = await fetch(`${srv.issuer}/connect/userinfo`, { headers: { Authorization: `Bearer ${again.access_token}` } });
    expect(userinfo.status).toBe(401);

    // A scope of A the client was not granted, or an API it was not given: an error back at the redirect URI.
    for (const [resource, scope, error] of [
      [A, 'openid orders:admin', 'invalid_scope'],
      [B, 'openid', 'invalid_target'],
    ]) {
      const bad = oidc.buildAuthorizationUrl(config, { redirect_uri: REDIRECT, scope, code_challenge: 'x'.repeat(43), code_challenge_method: 'S256', resource });
      const answer = await fetch(bad, { redirect: 'manual', headers: { cookie } });
      expect(new URL(answer.headers.get('location')!).searchParams.get('error')).toBe(error);
    }

    // Access narrowed after the sign-in (orders:read withdrawn): the family's next tokens, and the refresh token
    // they come with, no longer carry it.
    const actor = actorFromUser(t.admin);
    const [a] = await h.db.select({ id: apiResources.id }).from(apiResources).where(eq(apiResources.identifier, A));
    expect((await setClientApiAccess(h.db, actor, { clientId: spa.clientId, access: [{ apiId: a.id, scopes: ['orders:write'] }] })).ok).toBe(true);
    try {
      const narrowed = await oidc.refreshTokenGrant(config, again.refresh_token!);
      expect(decodeJwt(narrowed.access_token)).toMatchObject({ aud: A, scope: 'openid offline_access' });
      const later = await oidc.refreshTokenGrant(config, narrowed.refresh_token!);
      expect(decodeJwt(later.access_token).scope).toBe('openid offline_access');
    } finally {
      await setClientApiAccess(h.db, actor, { clientId: spa.clientId, access: [{ apiId: a.id, scopes: ['orders:read', 'orders:write'] }] });
    }
  });

  it('device code: the device asks for A and its tokens are for A', async () => {
    const config = await oidc.discovery(new URL(srv.issuer), tv.clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid orders:write', resource: A });
    const polling = oidc.pollDeviceAuthorizationGrant(config, started);
    // The /device page shows the user which API the device asks tokens for.
    expect(await findDeviceRequest(h.db, { id: t.member.id, tenantId: t.tenantId }, started.user_code)).toMatchObject({
      ok: true,
      request: { scopes: ['openid', 'orders:write'], api: { name: 'Orders', identifier: A } },
    });
    const { sessionId } = await consoleSessionCookie(h.db, t.member.id);
    expect((await decideDeviceRequest(h.db, { id: t.member.id, tenantId: t.tenantId, email: t.member.email }, sessionId, started.user_code, true)).ok).toBe(true);
    const tokens = await polling;
    expect(decodeJwt(tokens.access_token)).toMatchObject({ aud: A, scope: 'openid orders:write', sub: t.member.id });
    await expect(oidc.initiateDeviceAuthorization(config, { scope: 'openid', resource: B })).rejects.toMatchObject({ error: 'invalid_target' });
  });
});
