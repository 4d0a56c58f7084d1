import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { calculateJwkThumbprint, createRemoteJWKSet, exportJWK, jwtVerify } from 'jose';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { auditEvents, clients, deviceAuthorizations, sessions } from '../db/schema';
import { consoleSessionCookie } from '../testing/console-session';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient, type TestClient } from '../testing/clients';
import { notifyClientChanged } from '../tokens/invalidation';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';
import { decideDeviceRequest, findDeviceRequest, DEVICE_CODE_GRANT_TYPE, generateUserCode } from './device';
import { normalizeUserCode, USER_CODE_FORMAT, USER_CODE_UNKNOWN } from './device.schema';
import { hashOpaque } from './tokens';
import { revokeSignIns } from './grant-store';

/**
 * Device Code clients (RFC 8628) over HTTP against the real /identity handler: openid-client's device flow for the
 * happy and denied paths, raw requests for pending, slow_down, expired, single use and the client-type rules; the
 * approval itself through lib/oidc/device.ts as the /device page calls it.
 */
let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let t: TestTenant;
let other: TestTenant;
let tv: TestClient;
let spa: TestClient;
let otherTv: TestClient;
let srv: Awaited<ReturnType<typeof startIdentityServer>>;
const TV_NAME = 'Living room TV';

beforeAll(async () => {
  db = await createIsolatedDb();
  h = db.handle;
  t = await createTestTenant(h.db, 'Device');
  other = await createTestTenant(h.db, 'Device other');
  tv = await createTestClient(h.db, { tenantId: t.tenantId, name: TV_NAME, clientType: 'device_code', secrets: [], tokenLifetime: 600 });
  spa = await createTestClient(h.db, {
    tenantId: t.tenantId,
    clientType: 'authorization_code',
    secrets: [],
    redirectUris: ['http://127.0.0.1:8123/cb'],
  });
  otherTv = await createTestClient(h.db, { tenantId: other.tenantId, clientType: 'device_code', secrets: [] });
  srv = await startIdentityServer(h, { throttleMaxFailures: 1000 });
});
afterAll(async () => {
  await srv?.close();
  await db?.drop();
});

async function post(path: string, params: Record<string, string>) {
  const res = await fetch(`${srv.issuer}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, json: (await res.json()) as Record<string, string | number> };
}

const start = (client: TestClient, scope = 'openid offline_access') =>
  post('/connect/deviceauthorization', { client_id: client.clientId, scope });
const poll = (deviceCode: string, client: TestClient = tv) =>
  post('/connect/token', { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: deviceCode, client_id: client.clientId });

/** The tenant admin, in a console session of their own, allows (or denies) the code as the /device page does. */
async function decide(userCode: string, allow: boolean, tenant: TestTenant = t) {
  const { sessionId } = await consoleSessionCookie(h.db, tenant.admin.id);
  return decideDeviceRequest(h.db, { id: tenant.admin.id, tenantId: tenant.tenantId, email: tenant.admin.email }, sessionId, userCode, allow);
}

describe('user codes', () => {
  it('are 8 consonants shown as XXXX-XXXX, typed in any case with or without the dash', () => {
    const code = generateUserCode();
    expect(code).toMatch(/^[BCDFGHJKLMNPQRSTVWXZ]{4}-[BCDFGHJKLMNPQRSTVWXZ]{4}$/);
    expect(normalizeUserCode(code.toLowerCase().replace('-', ' '))).toBe(code.replace('-', ''));
    expect(normalizeUserCode('ABCD-EFGH')).toBeNull(); // vowels are never in a code
    expect(normalizeUserCode('BCDF-GHJ')).toBeNull();
  });
});

describe('discovery', () => {
  it('lists the device authorization endpoint and the device code grant', async () => {
    const meta = (await (await fetch(`${srv.issuer}/.well-known/openid-configuration`)).json()) as Record<string, unknown>;
    expect(meta.device_authorization_endpoint).toBe(`${srv.issuer}/connect/deviceauthorization`);
    expect(meta.grant_types_supported).toContain(DEVICE_CODE_GRANT_TYPE);
  });
});

describe('openid-client: the device flow', () => {
  it('gets a user code, waits while the user allows it at /device, then gets tokens that verify against the JWKS, and refreshes', async () => {
    const config = await oidc.discovery(new URL(srv.issuer), tv.clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid profile offline_access' });
    expect(started.verification_uri).toBe(`${srv.origin}/device`);
    expect(started.interval).toBe(5);
    expect(started.expires_in).toBe(600);
    expect(started.user_code).toMatch(/^[A-Z]{4}-[A-Z]{4}$/);
    expect(started.verification_uri_complete).toBeUndefined();
    // Only hashes are stored.
    const [row] = await h.db.select().from(deviceAuthorizations).where(eq(deviceAuthorizations.deviceCodeHash, hashOpaque(started.device_code)));
    expect(row.status).toBe('pending');
    expect(JSON.stringify(row)).not.toContain(started.user_code.replace('-', ''));

    // openid-client waits one interval before its first poll: the user allows the device meanwhile. The device binds
    // its tokens to a key of its own (DPoP, RFC 9449), as a TV whose tokens could leak should.
    const keyPair = await oidc.randomDPoPKeyPair('ES256');
    const DPoP = oidc.getDPoPHandle(config, keyPair);
    const polling = oidc.pollDeviceAuthorizationGrant(config, started, undefined, { DPoP });
    const seen = await findDeviceRequest(h.db, { id: t.admin.id, tenantId: t.tenantId }, started.user_code.toLowerCase());
    expect(seen).toMatchObject({ ok: true, request: { clientName: TV_NAME, scopes: ['openid', 'profile', 'offline_access'] } });
    expect(await decide(started.user_code, true)).toEqual({ ok: true, clientName: TV_NAME });
    const tokens = await polling;

    const jwks = createRemoteJWKSet(new URL(`${srv.issuer}/.well-known/openid-configuration/jwks`));
    const { payload } = await jwtVerify(tokens.access_token, jwks, { issuer: srv.issuer });
    expect(payload).toMatchObject({ sub: t.admin.id, client_id: tv.clientId, tenant_id: t.tenantId, scope: 'openid profile offline_access' });
    expect(payload.exp! - payload.iat!).toBe(600);
    expect(tokens.claims()).toMatchObject({ sub: t.admin.id, aud: tv.clientId, name: t.admin.name });
    expect(tokens.refresh_token).toMatch(/^tsrt_/);
    expect(tokens.token_type).toBe('dpop');
    expect(payload.cnf).toEqual({ jkt: await calculateJwkThumbprint(await exportJWK(keyPair.publicKey)) });
    expect(await oidc.fetchUserInfo(config, tokens.access_token, t.admin.id, { DPoP })).toMatchObject({ sub: t.admin.id, name: t.admin.name });
    // The refresh token is bound to the key too: without a proof it is refused, with one it rotates.
    await expect(oidc.refreshTokenGrant(config, tokens.refresh_token!)).rejects.toMatchObject({ error: 'invalid_grant' });
    const refreshed = await oidc.refreshTokenGrant(config, tokens.refresh_token!, undefined, { DPoP });
    expect(refreshed.access_token).not.toBe(tokens.access_token);

    // Single use: the device code is spent.
    expect(await poll(started.device_code)).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const [audit] = await h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, t.tenantId), eq(auditEvents.action, 'device.approved')));
    expect(audit).toMatchObject({ actor: t.admin.email, targetId: tv.clientId });
  });

  it('reports access_denied when the user denies the device', async () => {
    const config = await oidc.discovery(new URL(srv.issuer), tv.clientId, undefined, oidc.None(), { execute: [oidc.allowInsecureRequests] });
    const started = await oidc.initiateDeviceAuthorization(config, { scope: 'openid' });
    const polling = oidc.pollDeviceAuthorizationGrant(config, started);
    expect(await decide(started.user_code, false)).toEqual({ ok: true, clientName: TV_NAME });
    await expect(polling).rejects.toMatchObject({ error: 'access_denied' });
  });
});

describe('logout', () => {
  it('ending the console sign-in that allowed a device ends the refresh tokens it got', async () => {
    const started = await start(tv);
    expect(started.status).toBe(200);
    const { sessionId } = await consoleSessionCookie(h.db, t.admin.id);
    // A real sign-in's row has its created_at from now(), with milliseconds (lib/auth/sessions.ts).
    await h.db.update(sessions).set({ createdAt: new Date(Math.floor(Date.now() / 1000) * 1000 + 437) }).where(eq(sessions.id, sessionId));
    const allowed = await decideDeviceRequest(h.db, { id: t.admin.id, tenantId: t.tenantId, email: t.admin.email }, sessionId, String(started.json.user_code), true);
    expect(allowed).toMatchObject({ ok: true });
    const tokens = await poll(String(started.json.device_code));
    expect(tokens.status).toBe(200);
    expect(String(tokens.json.refresh_token)).toMatch(/^tsrt_/);
    // Logout (the console's, or RP-initiated with the device's ID token) names the sign-in: user and auth_time in seconds.
    const [session] = await h.db.select({ createdAt: sessions.createdAt }).from(sessions).where(eq(sessions.id, sessionId));
    const revoked = await revokeSignIns(h.db, [{ userId: t.admin.id, authTime: Math.floor(session.createdAt.getTime() / 1000) }], Date.now());
    expect(revoked).toBeGreaterThanOrEqual(1);
    const refreshed = await post('/connect/token', { grant_type: 'refresh_token', refresh_token: String(tokens.json.refresh_token), client_id: tv.clientId });
    expect(refreshed).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });
});

describe('device authorization requests', () => {
  it('30 per 15 minutes per client and address: then invalid_request (not slow_down, which is for polling); another client is not affected', async () => {
    const busy = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'device_code', secrets: [] });
    for (let i = 0; i < 30; i++) expect((await start(busy, 'openid')).status).toBe(200);
    const refused = await start(busy, 'openid');
    expect(refused).toMatchObject({ status: 400, json: { error: 'invalid_request' } });
    expect(String(refused.json.error_description)).toMatch(/^Too many device requests from this address\. Try again in \d+ seconds\.$/);
    // Nothing was stored for the refused request.
    const rows = await h.db.select({ n: deviceAuthorizations.clientId }).from(deviceAuthorizations).where(eq(deviceAuthorizations.clientId, busy.clientId));
    expect(rows).toHaveLength(30);
    expect((await start(tv, 'openid')).status).toBe(200);
  });
});

describe('polling answers (RFC 8628 3.5)', () => {
  it('authorization_pending, then slow_down when polled sooner than the interval (which grows by 5 s)', async () => {
    const { json } = await start(tv);
    const deviceCode = String(json.device_code);
    expect(await poll(deviceCode)).toMatchObject({ status: 400, json: { error: 'authorization_pending' } });
    expect(await poll(deviceCode)).toMatchObject({ status: 400, json: { error: 'slow_down' } });
    const [row] = await h.db.select().from(deviceAuthorizations).where(eq(deviceAuthorizations.deviceCodeHash, hashOpaque(deviceCode)));
    expect(row.interval).toBe(10);
  });

  it('expired_token after the code expired, and the user can no longer allow it', async () => {
    const { json } = await start(tv);
    const deviceCode = String(json.device_code);
    await h.db
      .update(deviceAuthorizations)
      .set({ expiresAt: new Date(Date.now() - 1000) })
      .where(eq(deviceAuthorizations.deviceCodeHash, hashOpaque(deviceCode)));
    expect(await poll(deviceCode)).toMatchObject({ status: 400, json: { error: 'expired_token' } });
    expect(await decide(String(json.user_code), true)).toEqual({ ok: false, message: USER_CODE_UNKNOWN });
  });

  it('invalid_grant for an unknown code, and for a code polled by another client', async () => {
    expect(await poll('tsdc_' + 'A'.repeat(43))).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    expect(await poll('not-a-code')).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
    const { json } = await start(tv);
    const tv2 = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'device_code', secrets: [] });
    expect(await poll(String(json.device_code), tv2)).toMatchObject({ status: 400, json: { error: 'invalid_grant' } });
  });

  it('a missing device_code is invalid_request', async () => {
    expect(await post('/connect/token', { grant_type: DEVICE_CODE_GRANT_TYPE, client_id: tv.clientId })).toMatchObject({
      status: 400,
      json: { error: 'invalid_request' },
    });
  });
});

describe('who may use the device flow', () => {
  it('only Device Code clients: an Authorization Code client gets unauthorized_client, an unknown one invalid_client', async () => {
    expect(await start(spa)).toMatchObject({ status: 400, json: { error: 'unauthorized_client' } });
    expect(await post('/connect/token', { grant_type: DEVICE_CODE_GRANT_TYPE, device_code: 'tsdc_' + 'A'.repeat(43), client_id: spa.clientId })).toMatchObject({
      status: 400,
      json: { error: 'unauthorized_client' },
    });
    expect(await start({ ...tv, clientId: '00000000-0000-4000-8000-000000000000' })).toMatchObject({ status: 401, json: { error: 'invalid_client' } });
  });

  it('a Device Code client cannot use the authorization code grant', async () => {
    const res = await post('/connect/token', {
      grant_type: 'authorization_code',
      code: 'tsac_' + 'A'.repeat(43),
      redirect_uri: 'http://127.0.0.1:8123/cb',
      code_verifier: 'v'.repeat(43),
      client_id: tv.clientId,
    });
    expect(res).toMatchObject({ status: 400, json: { error: 'unauthorized_client' } });
  });

  it('an unknown scope is invalid_scope', async () => {
    expect(await start(tv, 'openid launch_missiles')).toMatchObject({ status: 400, json: { error: 'invalid_scope' } });
  });

  it('a disabled client gets nothing, and its pending code cannot be allowed', async () => {
    const tv3 = await createTestClient(h.db, { tenantId: t.tenantId, clientType: 'device_code', secrets: [] });
    const { json } = await start(tv3);
    await h.db.update(clients).set({ enabled: false }).where(eq(clients.id, tv3.clientId));
    await notifyClientChanged(tv3.clientId, h);
    expect(await decide(String(json.user_code), true)).toEqual({ ok: false, message: USER_CODE_UNKNOWN });
    await expect.poll(async () => (await start(tv3)).status).toBe(401);
  });

  it("a user of another tenant cannot see or allow this tenant's device", async () => {
    const { json } = await start(tv);
    const userCode = String(json.user_code);
    expect(await findDeviceRequest(h.db, { id: other.admin.id, tenantId: other.tenantId }, userCode)).toEqual({ ok: false, message: USER_CODE_UNKNOWN });
    expect(await decide(userCode, true, other)).toEqual({ ok: false, message: USER_CODE_UNKNOWN });
    // Still pending for its own tenant.
    expect(await poll(String(json.device_code))).toMatchObject({ json: { error: 'authorization_pending' } });
    void otherTv;
  });
});

describe('the /device throttle', () => {
  it('a malformed code costs nothing; after 10 codes in 15 minutes the user must wait, even for a right one', async () => {
    const user = { id: t.member.id, tenantId: t.tenantId };
    expect(await findDeviceRequest(h.db, user, 'hello')).toEqual({ ok: false, message: USER_CODE_FORMAT });
    const { json } = await start(tv);
    for (let i = 0; i < 10; i++) {
      expect(await findDeviceRequest(h.db, user, 'BCDF-BCDF')).toEqual({ ok: false, message: USER_CODE_UNKNOWN });
    }
    const locked = await findDeviceRequest(h.db, user, String(json.user_code));
    expect(locked.ok).toBe(false);
    expect(locked).toMatchObject({ message: expect.stringMatching(/^Too many codes were tried/) });
    // Allow called directly (without a lookup) is held to the same budget: the right code is refused too.
    const { sessionId } = await consoleSessionCookie(h.db, t.member.id);
    expect(await decideDeviceRequest(h.db, { id: t.member.id, tenantId: t.tenantId, email: t.member.email }, sessionId, String(json.user_code), true)).toMatchObject({
      ok: false,
      message: expect.stringMatching(/^Too many codes were tried/),
    });
    expect(await poll(String(json.device_code))).toMatchObject({ json: { error: 'authorization_pending' } });
  });
});
