import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { auditEvents } from '../db/schema';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient } from '../testing/clients';
import { generateSecret } from '../secrets/secret';
import { ClientAuthThrottle } from './throttle';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';

describe('ClientAuthThrottle', () => {
  const opts = { maxFailures: 3, windowMs: 60_000, blockMs: 300_000 };

  it('blocks a pair after maxFailures within the window, once, until the block ends', () => {
    const t = new ClientAuthThrottle(opts);
    const key = ClientAuthThrottle.key('c', '10.0.0.1');
    expect(t.recordFailure(key, 0)).toBe(false);
    expect(t.recordFailure(key, 1)).toBe(false);
    expect(t.isBlocked(key, 2)).toBe(false);
    expect(t.recordFailure(key, 2)).toBe(true); // the moment a throttled period starts
    expect(t.isBlocked(key, 3)).toBe(true);
    expect(t.recordFailure(key, 4)).toBe(false); // no second "start" in the same period
    expect(t.isBlocked(key, 2 + 299_999)).toBe(true);
    expect(t.isBlocked(key, 2 + 300_000)).toBe(false);
    expect(t.failures(key, 2 + 300_000)).toBe(0);
  });

  it('forgets failures after the window, and on success', () => {
    const t = new ClientAuthThrottle(opts);
    const key = ClientAuthThrottle.key('c', '10.0.0.1');
    t.recordFailure(key, 0);
    t.recordFailure(key, 1);
    expect(t.recordFailure(key, 60_001)).toBe(false);
    expect(t.failures(key, 60_001)).toBe(1);
    t.recordSuccess(key);
    expect(t.failures(key, 60_002)).toBe(0);
  });

  it('keeps pairs apart: another address, another client', () => {
    const t = new ClientAuthThrottle(opts);
    for (let i = 0; i < 3; i++) t.recordFailure(ClientAuthThrottle.key('c', 'a'), i);
    expect(t.isBlocked(ClientAuthThrottle.key('c', 'a'), 5)).toBe(true);
    expect(t.isBlocked(ClientAuthThrottle.key('c', 'b'), 5)).toBe(false);
    expect(t.isBlocked(ClientAuthThrottle.key('d', 'a'), 5)).toBe(false);
  });

  it('stays bounded under a flood of pairs, keeping blocked pairs', () => {
    const t = new ClientAuthThrottle({ ...opts, maxEntries: 100 });
    const blocked = ClientAuthThrottle.key('victim', 'attacker');
    for (let i = 0; i < 3; i++) t.recordFailure(blocked, i);
    for (let i = 0; i < 1000; i++) t.recordFailure(ClientAuthThrottle.key(`c${i}`, 'x'), 10);
    expect(t.isBlocked(blocked, 11)).toBe(true);
    expect(t.failures(ClientAuthThrottle.key('c999', 'x'), 11)).toBe(1);
  });
});

describe('throttled client authentication at the token endpoint', () => {
  let db: Awaited<ReturnType<typeof createIsolatedDb>>;
  let h: DbHandle;
  let t: TestTenant;
  let srv: Awaited<ReturnType<typeof startIdentityServer>>;

  beforeAll(async () => {
    db = await createIsolatedDb();
    h = db.handle;
    t = await createTestTenant(h.db, 'Throttle');
    // TRUST_PROXY lets the test speak from several addresses through X-Forwarded-For.
    srv = await startIdentityServer(h, { trustProxy: true, throttleMaxFailures: 3 });
  });
  afterAll(async () => {
    await srv?.close();
    await db?.drop();
  });

  const request = (clientId: string, secret: string, from: string) =>
    fetch(`${srv.issuer}/connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded', 'X-Forwarded-For': from },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
    });

  const throttleEvents = (clientId: string) =>
    h.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, clientId), eq(auditEvents.action, 'client.auth_throttled')));

  it('refuses the guessing address even with the right secret, while the client keeps working from its own', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId });
    for (let i = 0; i < 3; i++) expect((await request(c.clientId, generateSecret(), '203.0.113.9')).status).toBe(401);
    // Throttled: the right secret from the guessing address is refused with the same answer (it is not even checked).
    const refused = await request(c.clientId, c.secret, '203.0.113.9');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'invalid_client', error_description: 'Client authentication failed.' });
    // Writing the client id in upper case is the same client and the same throttled pair.
    expect((await request(c.clientId.toUpperCase(), c.secret, '203.0.113.9')).status).toBe(401);
    // The legitimate client, from its own address, is not locked out.
    expect((await request(c.clientId, c.secret, '198.51.100.7')).status).toBe(200);
    // More attempts in the same period leave no further events: one audit event per throttled period.
    for (let i = 0; i < 5; i++) await request(c.clientId, generateSecret(), '203.0.113.9');
    await expect.poll(async () => (await throttleEvents(c.clientId)).length).toBe(1);
    const [event] = await throttleEvents(c.clientId);
    expect(event.tenantId).toBe(t.tenantId);
    expect(event.actor).toBe('system');
    expect(event.details).toMatchObject({ sourceAddress: '203.0.113.9', failures: 3 });
    expect(JSON.stringify(event.details)).not.toContain('tscs_');
  });

  it('counts malformed secrets too, and records no event for a client that does not exist', async () => {
    const unknown = randomUUID();
    for (let i = 0; i < 4; i++) expect((await request(unknown, 'tscs_guess', '203.0.113.10')).status).toBe(401);
    expect(srv.service.throttle.isBlocked(ClientAuthThrottle.key(unknown, '203.0.113.10'))).toBe(true);
    const c = await createTestClient(h.db, { tenantId: t.tenantId });
    for (let i = 0; i < 3; i++) await request(c.clientId, 'not-even-a-secret', '203.0.113.11');
    await expect.poll(async () => (await throttleEvents(c.clientId)).length).toBe(1);
    expect(await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, unknown))).toHaveLength(0);
  });
});
