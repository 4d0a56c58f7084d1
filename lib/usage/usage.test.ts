import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setDbHandle, type DbHandle } from '../db';
import { clientUsage as usageTable, notificationEvents } from '../db/schema';
import { actionsAs, inDays, newClientInput } from '../clients/test-helpers';
import { notificationAdminActions } from '../notifications/admin-actions';
import { NotificationScheduler } from '../notifications/scheduler';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';
import { clientUsage, compactUsage } from './queries';

let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let server: Awaited<ReturnType<typeof startIdentityServer>>;
let t: TestTenant;

beforeAll(async () => {
  db = await createIsolatedDb();
  h = db.handle;
  setDbHandle(h);
  server = await startIdentityServer(h);
  t = await createTestTenant(h.db, 'Usage');
});
afterAll(async () => {
  await server?.close();
  await db?.drop();
});

const token = (clientId: string, secret: string) =>
  fetch(`${server.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
  }).then((r) => r.status);

describe('usage counts', () => {
  it('50 tokens and 5 failures: counted in memory, written in one flush, read back per range with reasons and sources', async () => {
    const created = await actionsAs(t.admin).createClient(newClientInput({ expiresAt: inDays(100) }));
    if (!created.ok || !created.data.secret) throw new Error('no client');
    const { clientId, secret } = created.data;
    const statuses = [];
    for (let i = 0; i < 50; i++) statuses.push(await token(clientId, secret));
    const wrong = `${secret.slice(0, 5)}${'A'.repeat(43)}_${secret.slice(-6)}`;
    for (let i = 0; i < 5; i++) statuses.push(await token(clientId, wrong));
    expect(statuses.filter((s) => s === 200)).toHaveLength(50);
    expect(statuses.filter((s) => s === 401)).toHaveLength(5);
    // Nothing written per request: the counts wait in memory for the flush.
    await server.service.usage.flush();
    const rows = await h.db.select().from(usageTable).where(eq(usageTable.clientId, clientId));
    expect(rows.reduce((n, r) => n + r.count, 0)).toBe(55);
    expect(rows.length).toBeLessThanOrEqual(4); // at most two minutes x two outcomes

    for (const range of ['24h', '7d', '30d'] as const) {
      const usage = await clientUsage(h.db, clientId, range);
      expect(usage.totals).toEqual({ issued: 50, failures: 5, sources: 1 });
      expect(usage.reasons).toEqual([{ reason: 'malformed', count: 5 }]);
      expect(usage.issued.reduce((a, b) => a + b, 0)).toBe(50);
    }
    const issuedRow = rows.find((r) => r.outcome === 'issued')!;
    expect(issuedRow).toMatchObject({ credentialKind: 'secret', credentialId: created.data.secretId });

    // Two days later the minute buckets become one hour bucket; the totals stay.
    await compactUsage(h.db, new Date(Date.now() + 3 * 86_400_000));
    const compacted = await h.db.select().from(usageTable).where(eq(usageTable.clientId, clientId));
    expect(compacted.every((r) => r.bucketStart.getTime() % 3_600_000 === 0)).toBe(true);
    expect(compacted.reduce((n, r) => n + r.count, 0)).toBe(55);
  });

  it('client.auth_failures: more failures than the threshold within the minutes sends one alert per window', async () => {
    const created = await actionsAs(t.admin).createClient(newClientInput());
    if (!created.ok || !created.data.secret) throw new Error('no client');
    const ch = await notificationAdminActions(async () => t.admin).createChannel({ kind: 'email', name: 'Spikes', emailAddresses: 'sec@example.test', eventTypes: ['client.auth_failures'] });
    expect(ch.ok).toBe(true);
    await notificationAdminActions(async () => t.admin).updateThresholds({ unusedDays: 90, failureSpikeCount: 3, failureSpikeMinutes: 10 });
    const wrong = `${created.data.secret.slice(0, -8)}xx${created.data.secret.slice(-6)}`;
    for (let i = 0; i < 4; i++) await token(created.data.clientId, wrong);
    await server.service.usage.flush();
    const run = () => new NotificationScheduler(h.db, { mailer: null, jobNamespace: `spike-${randomUUID()}` }).runOnce();
    await Promise.all([run(), run()]);
    // (The first test's client, with 5 failures in the same tenant, gets its own alert: only this client's count here.)
    const events = await h.db
      .select()
      .from(notificationEvents)
      .where(sql`${notificationEvents.tenantId} = ${t.tenantId} and ${notificationEvents.eventType} = 'client.auth_failures' and ${notificationEvents.data}->'client'->>'id' = ${created.data.clientId}`);
    expect(events).toHaveLength(1);
    expect(events[0].data).toMatchObject({ client: { id: created.data.clientId }, failures: 4, threshold: 3, minutes: 10 });
  });
});
