import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose';
import type { DbHandle } from '../db';
import { signingKeys } from '../db/schema';
import { createTenant } from '../tenants/tenants';
import { createTestClient, type TestClient } from '../testing/clients';
import { KeyStore } from './key-store';
import { notifySigningKeysChanged } from './invalidation';
import { rotateSigningKey } from './signing-keys';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';

let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let client: TestClient;

beforeAll(async () => {
  db = await createIsolatedDb();
  h = db.handle;
  const { tenant } = await createTenant(h.db, 'Keys');
  client = await createTestClient(h.db, { tenantId: tenant.id });
});
afterAll(async () => {
  await db?.drop();
});

async function getToken(issuer: string, c: TestClient = client) {
  const res = await fetch(`${issuer}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { access_token: string }).access_token;
}

async function introspect(issuer: string, token: string) {
  const res = await fetch(`${issuer}/connect/introspect`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ token, client_id: client.clientId, client_secret: client.secret }),
  });
  return (await res.json()) as { active: boolean };
}

async function publishedKids(issuer: string) {
  const res = await fetch(`${issuer}/.well-known/openid-configuration/jwks`);
  return ((await res.json()) as { keys: { kid: string }[] }).keys.map((k) => k.kid);
}

describe('signing keys', () => {
  it('first start on an empty database creates exactly one key, even with two instances starting together', async () => {
    expect(await h.db.select().from(signingKeys)).toHaveLength(0);
    // Two instances: on PostgreSQL two separate connection pools, as two processes would have.
    const second = await db.connectAgain();
    await Promise.all([new KeyStore(h.db, 'ES256', 60_000).init(), new KeyStore(second.db, 'ES256', 60_000).init()]);
    const rows = await h.db.select().from(signingKeys);
    expect(rows).toHaveLength(1);
    expect(rows[0].alg).toBe('ES256');
    // Stored encrypted: no private JWK member in clear.
    expect(rows[0].privateKeyEncrypted.startsWith('v1.')).toBe(true);
    expect(rows[0].privateKeyEncrypted).not.toContain('"d"');
    expect(rows[0].publicJwk).not.toHaveProperty('d');
  });

  it('refuses to start with a different AUTH_SECRET, saying why', async () => {
    const original = process.env.AUTH_SECRET;
    process.env.AUTH_SECRET = 'a-different-secret-for-this-instance';
    try {
      await expect(new KeyStore(h.db, 'ES256', 60_000).init()).rejects.toThrow(/AUTH_SECRET differs/);
    } finally {
      process.env.AUTH_SECRET = original;
    }
  });

  it('rotation publishes the new key first, signs with it from its activation, and keeps verifying older tokens', async () => {
    const srv = await startIdentityServer(h);
    try {
      const oldToken = await getToken(srv.issuer);
      const oldKid = decodeProtectedHeader(oldToken).kid!;

      // keys:rotate with the default delay: published now, not yet signing.
      const pending = await rotateSigningKey(h.db, { alg: 'ES256', publishDelaySeconds: 300 });
      await notifySigningKeysChanged(h);
      await expect.poll(() => publishedKids(srv.issuer)).toContain(pending.kid);
      expect(await publishedKids(srv.issuer)).toContain(oldKid);
      expect(decodeProtectedHeader(await getToken(srv.issuer)).kid).toBe(oldKid);

      // A rotation that activates at once (KEY_PUBLISH_DELAY_SECONDS=0): new tokens use the newest key.
      const active = await rotateSigningKey(h.db, { alg: 'ES256', publishDelaySeconds: 0 });
      await notifySigningKeysChanged(h);
      await expect.poll(async () => decodeProtectedHeader(await getToken(srv.issuer)).kid).toBe(active.kid);

      // The token signed with the previous key still verifies against the published JWKS, and introspects active.
      const remote = createRemoteJWKSet(new URL(`${srv.issuer}/.well-known/openid-configuration/jwks`));
      const { payload } = await jwtVerify(oldToken, remote, { issuer: srv.issuer, typ: 'at+jwt' });
      expect(payload.client_id).toBe(client.clientId);
      expect(await introspect(srv.issuer, oldToken)).toMatchObject({ active: true });

      const kids = await publishedKids(srv.issuer);
      expect(kids).toEqual(expect.arrayContaining([oldKid, pending.kid, active.kid]));
      // Older keys are scheduled to leave the JWKS after the longest token lifetime, not before.
      const rows = await h.db.select().from(signingKeys);
      const oldRow = rows.find((r) => r.kid === oldKid)!;
      expect(oldRow.retiredAt!.getTime()).toBeGreaterThan(Date.now() + 3600_000);
    } finally {
      await srv.close();
    }
  });

  it('an immediate rotation (compromised key) withdraws the older keys at once', async () => {
    const srv = await startIdentityServer(h);
    try {
      const oldToken = await getToken(srv.issuer);
      const oldKid = decodeProtectedHeader(oldToken).kid!;
      const fresh = await rotateSigningKey(h.db, { alg: 'ES256', publishDelaySeconds: 300, immediate: true });
      await notifySigningKeysChanged(h);
      await expect.poll(() => publishedKids(srv.issuer)).toEqual([fresh.kid]);
      expect(oldKid).not.toBe(fresh.kid);
      expect(await introspect(srv.issuer, oldToken)).toEqual({ active: false });
      expect(decodeProtectedHeader(await getToken(srv.issuer)).kid).toBe(fresh.kid);
    } finally {
      await srv.close();
    }
  });

  it('signs with RS256 when configured, next to the published ES256 keys', async () => {
    const srv = await startIdentityServer(h, { signingAlg: 'RS256' });
    try {
      const token = await getToken(srv.issuer);
      expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', typ: 'at+jwt' });
      const res = await fetch(`${srv.issuer}/.well-known/openid-configuration/jwks`);
      const set = (await res.json()) as { keys: { kty: string; alg: string }[] };
      expect(set.keys.map((k) => k.alg).sort()).toEqual(['ES256', 'RS256']);
      const remote = createRemoteJWKSet(new URL(`${srv.issuer}/.well-known/openid-configuration/jwks`));
      await expect(jwtVerify(token, remote, { issuer: srv.issuer, algorithms: ['RS256'] })).resolves.toBeTruthy();
      const doc = await (await fetch(`${srv.issuer}/.well-known/openid-configuration`)).json();
      expect(doc.id_token_signing_alg_values_supported).toEqual(['RS256']);
      expect(await introspect(srv.issuer, token)).toMatchObject({ active: true });
    } finally {
      await srv.close();
    }
  });
});
