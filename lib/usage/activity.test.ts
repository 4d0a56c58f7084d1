import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { clientFederatedCredentials, clientKeys, clients, clientSecrets, clientUsage } from '../db/schema';
import { listClients } from '../clients/queries';
import { createTestClient } from '../testing/clients';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import { expiringCredentials, failureSpikes, tenantTokenTotals, tokensLast7Days, unusedClients } from './activity';

let h: DbHandle;
let t: TestTenant;
let other: TestTenant;

const DAY = 86_400_000;
const MIN = 60_000;
const now = new Date(Math.floor(Date.now() / MIN) * MIN);
const ago = (ms: number) => new Date(now.getTime() - ms);

beforeAll(async () => {
  h = await createTestDb();
  t = await createTestTenant(h.db, 'Activity');
  other = await createTestTenant(h.db, 'Activity other');
});
afterAll(async () => {
  await h?.close();
});

/** Usage rows as the recorder writes them: one per client, minute, credential and outcome. */
async function usage(clientId: string, rows: { at: Date; outcome: string; count: number }[]) {
  await h.db.insert(clientUsage).values(
    rows.map((r, i) => ({ clientId, bucketStart: r.at, credentialKind: r.outcome === 'issued' ? 'secret' : 'none', credentialId: i, outcome: r.outcome, count: r.count })),
  );
}

describe('tenantTokenTotals', () => {
  it('sums tokens issued and failures of the tenant in the last 24 hours only', async () => {
    const a = await createTestClient(h.db, { tenantId: t.tenantId });
    const b = await createTestClient(h.db, { tenantId: t.tenantId });
    const foreign = await createTestClient(h.db, { tenantId: other.tenantId });
    await usage(a.clientId, [
      { at: ago(5 * MIN), outcome: 'issued', count: 7 },
      { at: ago(23 * 3_600_000), outcome: 'invalid_secret', count: 2 },
      { at: ago(25 * 3_600_000), outcome: 'issued', count: 100 }, // older than 24 h
    ]);
    await usage(b.clientId, [{ at: ago(MIN), outcome: 'issued', count: 3 }]);
    await usage(foreign.clientId, [{ at: ago(MIN), outcome: 'issued', count: 1000 }]);
    expect(await tenantTokenTotals(h.db, t.tenantId, now)).toEqual({ issued: 10, failures: 2 });
    const empty = await createTestTenant(h.db, 'Activity empty');
    expect(await tenantTokenTotals(h.db, empty.tenantId, now)).toEqual({ issued: 0, failures: 0 });
  });
});

describe('expiringCredentials', () => {
  it('secrets and keys expiring in 30 days and expired ones, soonest first; revoked, far and never-expiring secrets left out', async () => {
    const tenant = await createTestTenant(h.db, 'Expiring');
    const c = await createTestClient(h.db, {
      tenantId: tenant.tenantId,
      name: 'Expiring one',
      secrets: [
        { description: 'in six days', expiresAt: new Date(now.getTime() + 6 * DAY) },
        { description: 'in sixty days', expiresAt: new Date(now.getTime() + 60 * DAY) },
        { description: 'never' },
        { description: 'revoked', expiresAt: new Date(now.getTime() + 2 * DAY) },
        { description: 'expired', expiresAt: new Date(now.getTime() + DAY) },
      ],
    });
    await h.db.update(clientSecrets).set({ revokedAt: now }).where(eq(clientSecrets.id, c.secrets[3].id));
    await h.db.update(clientSecrets).set({ expiresAt: ago(3 * DAY) }).where(eq(clientSecrets.id, c.secrets[4].id));
    const [key] = await h.db
      .insert(clientKeys)
      .values({ clientId: c.clientId, source: 'jwks_url', jwksUrl: 'https://keys.example.test/jwks', kid: 'kid-1', description: 'signing key', expiresAt: new Date(now.getTime() + 10 * DAY), createdBy: 'test' })
      .returning();
    await createTestClient(h.db, { tenantId: other.tenantId, secrets: [{ expiresAt: new Date(now.getTime() + DAY) }] });

    const found = await expiringCredentials(h.db, tenant.tenantId, now);
    expect(found.map((f) => [f.kind, f.description, f.expired])).toEqual([
      ['secret', 'expired', true],
      ['secret', 'in six days', false],
      ['key', 'signing key', false],
    ]);
    expect(found[1]).toMatchObject({ id: c.secrets[0].id, clientId: c.clientId, clientName: 'Expiring one', hint: expect.stringMatching(/^tscs_/) });
    expect(found[2]).toMatchObject({ id: key.id, hint: 'kid-1' });
    expect(found[1].hint).not.toBe(c.secrets[0].value);
  });
});

describe('unusedClients and the Clients list filter (one rule)', () => {
  it('enabled client-credentials clients with no token nor creation for N days', async () => {
    const tenant = await createTestTenant(h.db, 'Unused');
    const old = await createTestClient(h.db, { tenantId: tenant.tenantId, name: 'Old unused' });
    const oldUsed = await createTestClient(h.db, { tenantId: tenant.tenantId, name: 'Old but used' });
    const oldDisabled = await createTestClient(h.db, { tenantId: tenant.tenantId, name: 'Old disabled', enabled: false });
    const oldHybrid = await createTestClient(h.db, { tenantId: tenant.tenantId, name: 'Old hybrid', clientType: 'hybrid' });
    await createTestClient(h.db, { tenantId: tenant.tenantId, name: 'New' });
    for (const id of [old.clientId, oldUsed.clientId, oldDisabled.clientId, oldHybrid.clientId]) {
      await h.db.update(clients).set({ createdAt: ago(120 * DAY) }).where(eq(clients.id, id));
    }
    await h.db.update(clientSecrets).set({ lastUsedAt: ago(89 * DAY) }).where(eq(clientSecrets.clientId, oldUsed.clientId));
    await h.db.update(clientSecrets).set({ lastUsedAt: ago(100 * DAY) }).where(eq(clientSecrets.clientId, old.clientId));

    const found = await unusedClients(h.db, tenant.tenantId, 90, now);
    expect(found.map((c) => c.name)).toEqual(['Old unused']);
    expect(found[0].lastActivityAt.getTime()).toBe(ago(100 * DAY).getTime());
    expect((await unusedClients(h.db, tenant.tenantId, 95, now)).map((c) => c.name)).toEqual(['Old unused']);
    expect((await unusedClients(h.db, tenant.tenantId, 88, now)).map((c) => c.name)).toEqual(['Old unused', 'Old but used']);
    expect(await unusedClients(h.db, other.tenantId, 90, now)).toEqual([]);

    const list = await listClients(h.db, tenant.tenantId, { unusedDays: 90, now });
    expect(list.total).toBe(1);
    expect(list.rows.map((r) => r.name)).toEqual(['Old unused']);
    const hybrid = await listClients(h.db, tenant.tenantId, { type: 'hybrid', unusedDays: 90, now });
    expect(hybrid.rows.map((r) => r.name)).toEqual(['Old hybrid']);
    expect((await listClients(h.db, tenant.tenantId, { unusedDays: 90, now, q: 'nothing like it' })).total).toBe(0);
    expect((await listClients(h.db, tenant.tenantId, {})).total).toBe(4);
  });

  it('a key or a federated credential used within N days keeps a client in use, whatever its secrets say', async () => {
    const tenant = await createTestTenant(h.db, 'Unused by credential');
    const make = async (name: string) => {
      const c = await createTestClient(h.db, { tenantId: tenant.tenantId, name });
      await h.db.update(clients).set({ createdAt: ago(300 * DAY) }).where(eq(clients.id, c.clientId));
      await h.db.update(clientSecrets).set({ lastUsedAt: ago(200 * DAY) }).where(eq(clientSecrets.clientId, c.clientId));
      return c.clientId;
    };
    const byKey = await make('Key in use');
    const byOldKey = await make('Key long unused');
    const byFederated = await make('Federated in use');
    await make('Secret long unused');
    const key = (clientId: string, lastUsedAt: Date) =>
      h.db.insert(clientKeys).values({ clientId, source: 'jwks_url', jwksUrl: `https://keys.example.test/${clientId}`, createdBy: 'test', lastUsedAt });
    await key(byKey, ago(10 * DAY));
    await key(byOldKey, ago(150 * DAY));
    await h.db.insert(clientFederatedCredentials).values({
      clientId: byFederated,
      name: 'CI',
      preset: 'generic',
      issuer: 'https://issuer.example.test',
      audience: 'https://console.example.test',
      subject: 'repo:acme/api',
      subjectOperator: 'equals',
      createdBy: 'test',
      lastUsedAt: ago(DAY),
    });

    // Longest unused first: the secret's 200 days, then the old key's 150.
    const found = await unusedClients(h.db, tenant.tenantId, 90, now);
    expect(found.map((c) => [c.name, c.lastActivityAt.getTime()])).toEqual([
      ['Secret long unused', ago(200 * DAY).getTime()],
      ['Key long unused', ago(150 * DAY).getTime()],
    ]);
    const list = await listClients(h.db, tenant.tenantId, { unusedDays: 90, now });
    expect(list.rows.map((r) => r.name).sort()).toEqual(['Key long unused', 'Secret long unused']);
    expect(list.total).toBe(2);
    // 160 days: only the secret's client; 5 days: every one but the federated credential's.
    expect((await unusedClients(h.db, tenant.tenantId, 160, now)).map((c) => c.name)).toEqual(['Secret long unused']);
    expect((await unusedClients(h.db, tenant.tenantId, 5, now)).map((c) => c.name)).toEqual(['Secret long unused', 'Key long unused', 'Key in use']);
    expect((await listClients(h.db, tenant.tenantId, { unusedDays: 5, now })).total).toBe(3);
  });
});

describe('failureSpikes', () => {
  it('more than N failures within one window of M minutes in the last 24 hours; issued tokens do not count', async () => {
    const tenant = await createTestTenant(h.db, 'Spikes');
    const spiky = await createTestClient(h.db, { tenantId: tenant.tenantId, name: 'Spiky' });
    const calm = await createTestClient(h.db, { tenantId: tenant.tenantId, name: 'Calm' });
    const old = await createTestClient(h.db, { tenantId: tenant.tenantId, name: 'Spiked yesterday' });
    // Aligned to 30 minutes from the epoch: a window start for 10- and 30-minute windows alike, whenever the test runs.
    const windowStart = new Date(Math.floor(ago(3 * 3_600_000).getTime() / (30 * MIN)) * 30 * MIN);
    await usage(spiky.clientId, [
      { at: windowStart, outcome: 'invalid_secret', count: 3 },
      { at: new Date(windowStart.getTime() + MIN), outcome: 'malformed', count: 3 },
      { at: new Date(windowStart.getTime() + 2 * MIN), outcome: 'issued', count: 500 },
    ]);
    // 5 + 5 failures, but in two windows: never more than 5 in one.
    await usage(calm.clientId, [
      { at: new Date(windowStart.getTime() + 9 * MIN), outcome: 'invalid_secret', count: 5 },
      { at: new Date(windowStart.getTime() + 10 * MIN), outcome: 'invalid_secret', count: 5 },
    ]);
    await usage(old.clientId, [{ at: ago(30 * 3_600_000), outcome: 'invalid_secret', count: 50 }]);

    const found = await failureSpikes(h.db, tenant.tenantId, { count: 5, minutes: 10 }, now);
    expect(found).toEqual([{ id: spiky.clientId, name: 'Spiky', windows: 1, maxFailures: 6, lastWindowStart: windowStart }]);
    expect(await failureSpikes(h.db, tenant.tenantId, { count: 6, minutes: 10 }, now)).toEqual([]);
    expect((await failureSpikes(h.db, tenant.tenantId, { count: 9, minutes: 30 }, now)).map((s) => s.name)).toEqual(['Calm']);
    expect(await failureSpikes(h.db, other.tenantId, { count: 5, minutes: 10 }, now)).toEqual([]);
  });
});

describe('tokensLast7Days', () => {
  it('tokens issued per client of the page over 7 days, failures and older rows left out', async () => {
    const a = await createTestClient(h.db, { tenantId: t.tenantId });
    const b = await createTestClient(h.db, { tenantId: t.tenantId });
    const quiet = await createTestClient(h.db, { tenantId: t.tenantId });
    await usage(a.clientId, [
      { at: ago(6 * DAY), outcome: 'issued', count: 4 },
      { at: ago(MIN), outcome: 'issued', count: 5 },
      { at: ago(MIN), outcome: 'invalid_secret', count: 9 },
      { at: ago(8 * DAY), outcome: 'issued', count: 100 },
    ]);
    await usage(b.clientId, [{ at: ago(2 * MIN), outcome: 'issued', count: 1 }]);
    const tokens = await tokensLast7Days(h.db, [a.clientId, b.clientId, quiet.clientId], now);
    expect(Object.fromEntries(tokens)).toEqual({ [a.clientId]: 9, [b.clientId]: 1 });
    expect((await tokensLast7Days(h.db, [], now)).size).toBe(0);
  });
});
