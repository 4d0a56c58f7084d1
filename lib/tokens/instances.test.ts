import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { clients, clientSecrets } from '../db/schema';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient, type TestClient } from '../testing/clients';
import { CLIENT_CHANGED_CHANNEL } from './invalidation';
import { storeRevocation } from './revocation';
import { createIsolatedDb, startIdentityServer } from './testing/identity-server';

process.env.AUTH_SECRET ||= 'instances-test-secret-0123456789abcdef';

let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let other: DbHandle;
let t: TestTenant;

beforeAll(async () => {
  db = await createIsolatedDb();
  h = db.handle;
  // A second instance has its own connections (on PostgreSQL); on PGlite one process owns the database.
  other = await db.connectAgain();
  t = await createTestTenant(h.db, 'Instances');
});
afterAll(async () => {
  await db?.drop();
});

async function tokenStatus(issuer: string, c: TestClient, secret = c.secret) {
  const res = await fetch(`${issuer}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_secret: secret }),
  });
  return res.status;
}

async function form(url: string, body: Record<string, string>) {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(body),
  });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function issue(issuer: string, c: TestClient) {
  const { status, json } = await form(`${issuer}/connect/token`, { grant_type: 'client_credentials', client_id: c.clientId, client_secret: c.secret });
  expect(status).toBe(200);
  return json.access_token as string;
}

async function active(issuer: string, c: TestClient, token: string) {
  const { status, json } = await form(`${issuer}/connect/introspect`, { token, client_id: c.clientId, client_secret: c.secret });
  expect(status).toBe(200);
  return json.active;
}

describe('revoked tokens across instances', () => {
  it('a revocation on one instance reaches the others, and an instance started later knows it from the start', async () => {
    const a = await startIdentityServer(h);
    const b = await startIdentityServer(other);
    let later: Awaited<ReturnType<typeof startIdentityServer>> | null = null;
    try {
      const c = await createTestClient(h.db, { tenantId: t.tenantId });
      const token = await issue(a.issuer, c);
      expect(await active(b.issuer, c, token)).toBe(true);
      const revoked = await form(`${a.issuer}/connect/revocation`, { token, client_id: c.clientId, client_secret: c.secret });
      expect(revoked.status).toBe(200);
      expect(await active(a.issuer, c, token)).toBe(false);
      await expect.poll(() => active(b.issuer, c, token), { timeout: 1000, interval: 20 }).toBe(false);
      // A fresh instance (a restart, a new replica) reads the revocations still in force when it starts.
      later = await startIdentityServer(other);
      expect(await active(later.issuer, c, token)).toBe(false);
      expect(await active(later.issuer, c, await issue(a.issuer, c))).toBe(true);
    } finally {
      await later?.close();
      await a.close();
      await b.close();
    }
  });
});

describe('cache invalidation across instances', () => {
  it('a change notified by another process reaches every instance through the database within a second', async () => {
    // A long TTL: only the notification can make these instances notice.
    const a = await startIdentityServer(h, { clientCacheTtlMs: 600_000 });
    const b = await startIdentityServer(other, { clientCacheTtlMs: 600_000 });
    try {
      const c = await createTestClient(h.db, { tenantId: t.tenantId });
      expect(await tokenStatus(a.issuer, c)).toBe(200);
      expect(await tokenStatus(b.issuer, c)).toBe(200);

      // What the console does in another process: commit, then NOTIFY (sent straight through the database here,
      // so no in-process shortcut is involved).
      await h.db.update(clients).set({ enabled: false }).where(eq(clients.id, c.clientId));
      await h.notify(CLIENT_CHANGED_CHANNEL, c.clientId);
      await expect.poll(() => tokenStatus(a.issuer, c), { timeout: 1000, interval: 20 }).toBe(401);
      await expect.poll(() => tokenStatus(b.issuer, c), { timeout: 1000, interval: 20 }).toBe(401);

      await h.db.update(clients).set({ enabled: true }).where(eq(clients.id, c.clientId));
      await h.db.delete(clientSecrets).where(eq(clientSecrets.id, c.secrets[0].id));
      await h.notify(CLIENT_CHANGED_CHANNEL, c.clientId);
      // Still refused, now because the secret is gone; and the cache reloaded the enabled client.
      await expect.poll(async () => (await b.service.clients.get(c.clientId))?.secrets.length, { timeout: 1000 }).toBe(0);
      expect(await tokenStatus(b.issuer, c)).toBe(401);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('without any notification, a cached client is trusted no longer than its TTL', async () => {
    let clock = Date.now();
    const srv = await startIdentityServer(h, { clientCacheTtlMs: 1000, now: () => clock });
    try {
      const c = await createTestClient(h.db, { tenantId: t.tenantId });
      expect(await tokenStatus(srv.issuer, c)).toBe(200);
      await h.db.update(clients).set({ enabled: false }).where(eq(clients.id, c.clientId));
      // No notification at all (say the listener connection was lost): once the TTL has passed, the database decides.
      clock += 1001;
      expect(await tokenStatus(srv.issuer, c)).toBe(401);
    } finally {
      await srv.close();
    }
  });

  // PostgreSQL only: on PGlite one process owns the database and there is no connection to lose.
  it.skipIf(!process.env.DATABASE_URL)(
    'when the listening connection is lost, nothing cached is trusted, and notifications arrive again once it is back',
    async () => {
      // A long TTL: without the gap handling, the cached client would be trusted for ten minutes.
      const srv = await startIdentityServer(h, { clientCacheTtlMs: 600_000 });
      try {
        const c = await createTestClient(h.db, { tenantId: t.tenantId });
        expect(await tokenStatus(srv.issuer, c)).toBe(200);
        expect(h.listening()).toBe(true);
        // Changed while nobody could hear: no NOTIFY at all.
        await h.db.update(clients).set({ enabled: false }).where(eq(clients.id, c.clientId));
        // The server drops the listening connection (a restart, a failover, an idle-connection killer).
        const killed = await other.db.execute(sql`
          select pg_terminate_backend(pid) as ok from pg_stat_activity
          where application_name = 'tsc-listener' and datname = current_database()`);
        expect((killed as unknown as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
        await expect.poll(() => tokenStatus(srv.issuer, c), { timeout: 5000, interval: 50 }).toBe(401);

        // Reconnected (backoff from 100 ms), and listening again: a NOTIFY from another connection lands.
        await expect.poll(() => h.listening(), { timeout: 10_000, interval: 50 }).toBe(true);
        expect(await tokenStatus(srv.issuer, c)).toBe(401);
        await h.db.update(clients).set({ enabled: true }).where(eq(clients.id, c.clientId));
        expect(await tokenStatus(srv.issuer, c)).toBe(401); // still cached as disabled, under the long TTL
        await other.notify(CLIENT_CHANGED_CHANNEL, c.clientId);
        await expect.poll(() => tokenStatus(srv.issuer, c), { timeout: 2000, interval: 20 }).toBe(200);

        // A revocation whose NOTIFY this instance could not hear (stored while its listener was down): the database
        // decides while the connection is down, and the set is re-read once it is back.
        const token = await issue(srv.issuer, c);
        const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()) as { jti: string; exp: number };
        await other.db.execute(sql`
          select pg_terminate_backend(pid) from pg_stat_activity
          where application_name = 'tsc-listener' and datname = current_database()`);
        await storeRevocation(other.db, { jti: claims.jti, tenantId: t.tenantId, clientId: c.clientId, expSeconds: claims.exp });
        await expect.poll(() => active(srv.issuer, c, token), { timeout: 5000, interval: 50 }).toBe(false);
        await expect.poll(() => h.listening(), { timeout: 10_000, interval: 50 }).toBe(true);
        await expect.poll(() => srv.service.revoked.complete, { timeout: 5000, interval: 50 }).toBe(true);
        expect(await active(srv.issuer, c, token)).toBe(false);
      } finally {
        await srv.close();
      }
    },
  );
});
