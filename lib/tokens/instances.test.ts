import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { clientRoles, clients, clientSecrets, roles } from '../db/schema';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient, type TestClient } from '../testing/clients';
import { CLIENT_CHANGED_CHANNEL } from './invalidation';
import { storeRevocation } from './revocation';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';

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

/**
 * A change nobody announces: session_replication_role = replica skips the change triggers (drizzle/0005) for this
 * transaction, as if the notification were lost. Only for tests of what happens then.
 */
async function unannounced(handle: DbHandle, fn: (tx: DbHandle['db']) => Promise<unknown>) {
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`set local session_replication_role = replica`);
    await fn(tx as unknown as DbHandle['db']);
  });
}

/**
 * Wait until every change notification committed so far has reached this process's listener (and so every cache that
 * listens on `handle`): NOTIFYs arrive in commit order, so once a marker sent now is heard, the earlier ones were
 * handled. Without it a client's own "created" notification can arrive after a test has cached it and wipe the entry.
 */
async function notificationsSettled(handle: DbHandle) {
  const marker = `settled-${crypto.randomUUID()}`;
  let heard = false;
  await handle.listen(CLIENT_CHANGED_CHANNEL, (payload) => {
    if (payload === marker) heard = true;
  });
  await handle.db.execute(sql`select pg_notify(${CLIENT_CHANGED_CHANNEL}, ${marker})`);
  await expect.poll(() => heard, { timeout: 5000, interval: 10 }).toBe(true);
}

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

  it('the database announces every committed change itself, whoever wrote it: no NOTIFY from the writer needed', async () => {
    // A long TTL and no notify call anywhere below: only the change triggers (drizzle/0005) can make A and B notice.
    const a = await startIdentityServer(h, { clientCacheTtlMs: 600_000 });
    const b = await startIdentityServer(other, { clientCacheTtlMs: 600_000 });
    const heard: string[] = [];
    await other.listen(CLIENT_CHANGED_CHANNEL, (payload) => heard.push(payload));
    try {
      const c = await createTestClient(h.db, { tenantId: t.tenantId });
      const marker = await createTestClient(h.db, { tenantId: t.tenantId });
      expect(await tokenStatus(a.issuer, c)).toBe(200);
      expect(await tokenStatus(b.issuer, c)).toBe(200);

      // Written as psql or a script would: plain SQL, committed, nothing else.
      await other.db.execute(sql`update clients set enabled = false where id = ${c.clientId}`);
      await expect.poll(() => tokenStatus(a.issuer, c), { timeout: 2000, interval: 20 }).toBe(401);
      await expect.poll(() => tokenStatus(b.issuer, c), { timeout: 2000, interval: 20 }).toBe(401);
      await other.db.execute(sql`update clients set enabled = true where id = ${c.clientId}`);
      await expect.poll(() => tokenStatus(b.issuer, c), { timeout: 2000, interval: 20 }).toBe(200);

      // Announced nothing: a rolled-back change, and "last used" stamps (the token service's own writes).
      heard.length = 0;
      await expect(
        h.db.transaction(async (tx) => {
          await tx.update(clients).set({ enabled: false }).where(eq(clients.id, c.clientId));
          throw new Error('rolled back');
        }),
      ).rejects.toThrow('rolled back');
      await h.db.update(clientSecrets).set({ lastUsedAt: new Date() }).where(eq(clientSecrets.clientId, c.clientId));
      await h.db.update(clients).set({ tokenLifetime: 1800 }).where(eq(clients.id, marker.clientId));
      // Notifications arrive in commit order: once the marker's is here, the two before it would have been too.
      await expect.poll(() => heard.includes(marker.clientId), { timeout: 2000, interval: 20 }).toBe(true);
      expect(heard).toEqual([marker.clientId]);
      expect(await tokenStatus(a.issuer, c)).toBe(200);

      // A secret removed, and a role renamed (its clients' role claim changes): each announced for the client.
      heard.length = 0;
      await h.db.delete(clientSecrets).where(eq(clientSecrets.id, c.secrets[0].id));
      await expect.poll(() => tokenStatus(a.issuer, c), { timeout: 2000, interval: 20 }).toBe(401);
      const [role] = await h.db
        .insert(roles)
        .values({ scope: 'tenant', tenantId: t.tenantId, roleType: 'custom', name: `Auditors ${c.clientId.slice(0, 8)}` })
        .returning();
      await h.db.insert(clientRoles).values({ clientId: marker.clientId, roleId: role.id });
      await expect.poll(async () => (await b.service.clients.get(marker.clientId))?.roleNames, { timeout: 2000 }).toContain(role.name);
      await h.db.update(roles).set({ name: 'Renamed auditors' }).where(eq(roles.id, role.id));
      await expect.poll(async () => (await b.service.clients.get(marker.clientId))?.roleNames, { timeout: 2000 }).toContain('Renamed auditors');
      // Removed: the cascade to client_roles, then the client row itself.
      await h.db.delete(clients).where(eq(clients.id, marker.clientId));
      await expect.poll(() => tokenStatus(b.issuer, marker), { timeout: 2000, interval: 20 }).toBe(401);
      expect(new Set(heard)).toEqual(new Set([c.clientId, marker.clientId]));
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
      await notificationsSettled(h);
      expect(await tokenStatus(srv.issuer, c)).toBe(200);
      // No notification at all (say it was lost): once the TTL has passed, the database decides.
      await unannounced(h, (tx) => tx.update(clients).set({ enabled: false }).where(eq(clients.id, c.clientId)));
      clock += 999;
      expect(await tokenStatus(srv.issuer, c)).toBe(200);
      clock += 2;
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
        await notificationsSettled(h);
        expect(await tokenStatus(srv.issuer, c)).toBe(200);
        expect(h.listening()).toBe(true);
        // Changed while nobody could hear: no NOTIFY at all.
        await unannounced(h, (tx) => tx.update(clients).set({ enabled: false }).where(eq(clients.id, c.clientId)));
        // The server drops the listening connection (a restart, a failover, an idle-connection killer).
        const killed = await other.db.execute(sql`
          select pg_terminate_backend(pid) as ok from pg_stat_activity
          where application_name = 'tsc-listener' and datname = current_database()`);
        expect((killed as unknown as { rows: unknown[] }).rows.length).toBeGreaterThan(0);
        await expect.poll(() => tokenStatus(srv.issuer, c), { timeout: 5000, interval: 50 }).toBe(401);

        // Reconnected (backoff from 100 ms), and listening again: a NOTIFY from another connection lands.
        await expect.poll(() => h.listening(), { timeout: 10_000, interval: 50 }).toBe(true);
        expect(await tokenStatus(srv.issuer, c)).toBe(401);
        await unannounced(h, (tx) => tx.update(clients).set({ enabled: true }).where(eq(clients.id, c.clientId)));
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
