import { createHash, createHmac, randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clientSecrets } from '../db/schema';
import { createTestTenant, type TestTenant } from '../testing/db';
import { setDbHandle } from '../db';
import { actionsAs, inDays, newClientInput } from '../clients/test-helpers';
import { generateSecret } from '../secrets/secret';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';
import { notificationAdminActions } from './admin-actions';
import { NotificationScheduler } from './scheduler';
import { MAX_REPORT_BYTES } from './secret-report-http';
import { startWebhookReceiver } from './testing/receivers';

let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let one: Awaited<ReturnType<typeof startIdentityServer>>;
let two: Awaited<ReturnType<typeof startIdentityServer>>;
let t: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  process.env.OUTBOUND_ALLOW_HTTP_LOOPBACK = '1';
  db = await createIsolatedDb();
  h = db.handle;
  setDbHandle(h);
  one = await startIdentityServer(h);
  two = await startIdentityServer(await db.connectAgain());
  t = await createTestTenant(h.db, 'Leak report');
  other = await createTestTenant(h.db, 'Leak other');
});
afterAll(async () => {
  await two?.close();
  await one?.close();
  await db?.drop();
});

const report = (origin: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${origin}/identity/connect/secret-report`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
const tokenStatus = async (origin: string, clientId: string, secret: string) =>
  (
    await fetch(`${origin}/identity/connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }),
    })
  ).status;
const sha256 = (v: string) => createHash('sha256').update(v).digest('hex');

describe('POST /identity/connect/secret-report', () => {
  it('revokes a live secret (refused on the second instance within a second), audits it, notifies secret.leaked; others are false_positive', async () => {
    const receiver = await startWebhookReceiver([200]);
    try {
      const channel = await notificationAdminActions(async () => t.admin).createChannel({ kind: 'webhook', name: 'Leaks', url: receiver.url, eventTypes: ['secret.leaked'] });
      if (!channel.ok || !channel.data.signingSecret) throw new Error('no channel');
      const created = await actionsAs(t.admin).createClient(newClientInput({ expiresAt: inDays(200), description: 'ci secret' }));
      if (!created.ok || !created.data.secret) throw new Error('no client');
      const { clientId, secret } = created.data;
      // A second secret of the same client keeps working.
      const spare = await actionsAs(t.admin).addSecret({ clientId, description: 'spare', neverExpires: false, expiresAt: inDays(200) });
      if (!spare.ok) throw new Error('no spare');
      const otherClient = await actionsAs(other.admin).createClient(newClientInput());
      if (!otherClient.ok || !otherClient.data.secret) throw new Error('no other client');
      expect(await tokenStatus(two.origin, clientId, secret)).toBe(200);

      const badChecksum = `${secret.slice(0, -6)}AAAAAA`;
      const unknown = generateSecret();
      const url = 'https://github.com/acme/app/blob/main/.env';
      const res = await report(one.origin, [
        { token: secret, type: 'tenant_console_client_secret', url, source: 'content' },
        { token: badChecksum, type: 'tenant_console_client_secret', url, source: 'content' },
        { token: unknown, type: 'tenant_console_client_secret', url, source: 'content' },
        { token: 'random words', type: 'x', url: '', source: 'commit' },
      ]);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(JSON.parse(text)).toEqual([
        { token_hash: sha256(secret), token_type: 'tenant_console_client_secret', label: 'true_positive' },
        { token_hash: sha256(badChecksum), token_type: 'tenant_console_client_secret', label: 'false_positive' },
        { token_hash: sha256(unknown), token_type: 'tenant_console_client_secret', label: 'false_positive' },
        { token_hash: sha256('random words'), token_type: 'x', label: 'false_positive' },
      ]);
      // Nothing about the tenant or the client, and never the secret itself.
      for (const leak of [t.tenantId, clientId, secret, 'Leak report']) expect(text).not.toContain(leak);

      await expect.poll(() => tokenStatus(two.origin, clientId, secret), { timeout: 1000, interval: 50 }).toBe(401);
      expect(await tokenStatus(one.origin, clientId, secret)).toBe(401);
      expect(await tokenStatus(two.origin, clientId, spare.data.secret)).toBe(200);
      expect(await tokenStatus(two.origin, otherClient.data.clientId, otherClient.data.secret!)).toBe(200);

      const [row] = await h.db.select().from(clientSecrets).where(eq(clientSecrets.id, created.data.secretId!));
      expect(row.revokedAt).not.toBeNull();
      const audits = (await h.db.select().from(auditEvents).where(eq(auditEvents.tenantId, t.tenantId))).filter((e) => e.action === 'secret.leaked');
      expect(audits).toHaveLength(1);
      expect(audits[0]).toMatchObject({ targetId: clientId, details: { secretId: created.data.secretId, reportedUrl: url, reportedSource: 'content', hint: `${secret.slice(0, 9)}…` } });
      expect(JSON.stringify(audits[0])).not.toContain(secret);
      expect((await h.db.select().from(auditEvents).where(eq(auditEvents.tenantId, other.tenantId))).filter((e) => e.action === 'secret.leaked')).toEqual([]);

      // Reported again: still true_positive, nothing more written.
      const again = await report(two.origin, [{ token: secret, type: 't', url, source: 'content' }]);
      expect(((await again.json()) as { label: string }[])[0].label).toBe('true_positive');
      expect((await h.db.select().from(auditEvents).where(eq(auditEvents.tenantId, t.tenantId))).filter((e) => e.action === 'secret.leaked')).toHaveLength(1);

      await new NotificationScheduler(h.db, { mailer: null, jobNamespace: `leak-${randomUUID()}` }).runOnce();
      expect(receiver.received).toHaveLength(1);
      const payload = new Webhook(channel.data.signingSecret).verify(receiver.received[0].body, receiver.received[0].headers) as Record<string, unknown>;
      expect(payload).toMatchObject({ type: 'secret.leaked', data: { client: { id: clientId }, secret: { id: created.data.secretId, description: 'ci secret' }, report: { url, source: 'content' } } });
      expect(receiver.received[0].body).not.toContain(secret);
    } finally {
      await receiver.close();
    }
  });

  it('refuses what is not a report: wrong method, type, JSON, shape, size; and is rate-limited per address', async () => {
    const fresh = await startIdentityServer(h);
    try {
      const origin = fresh.origin;
      expect((await fetch(`${origin}/identity/connect/secret-report`)).status).toBe(405);
      expect((await report(origin, '[{"token":"x"}]', { 'Content-Type': 'text/plain' })).status).toBe(415);
      expect((await report(origin, '{oops')).status).toBe(400);
      expect((await report(origin, { token: 'x' })).status).toBe(400);
      expect((await report(origin, [])).status).toBe(400);
      expect((await report(origin, [{ token: 5 }])).status).toBe(400);
      expect((await report(origin, Array.from({ length: 101 }, () => ({ token: 'x' })))).status).toBe(400);
      expect((await report(origin, [{ token: 'x'.repeat(MAX_REPORT_BYTES) }])).status).toBe(413);
      let last = 0;
      for (let i = 0; i < 30 && last !== 429; i++) last = (await report(origin, [{ token: 'x' }])).status;
      expect(last).toBe(429);
      const limited = await report(origin, [{ token: 'x' }]);
      expect(limited.status).toBe(429);
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    } finally {
      await fresh.close();
    }
  });

  it('with SECRET_REPORT_HMAC_KEY set, requires the signature over the body', async () => {
    process.env.SECRET_REPORT_HMAC_KEY = 'scanner-shared-key';
    const fresh = await startIdentityServer(h);
    try {
      const body = JSON.stringify([{ token: 'not a secret', type: 't', url: '', source: 's' }]);
      expect((await report(fresh.origin, body)).status).toBe(401);
      expect((await report(fresh.origin, body, { 'Secret-Report-Signature': 'sha256=00' })).status).toBe(401);
      const sig = createHmac('sha256', 'scanner-shared-key').update(body).digest('hex');
      const ok = await report(fresh.origin, body, { 'Secret-Report-Signature': `sha256=${sig}` });
      expect(ok.status).toBe(200);
      expect(await ok.json()).toEqual([{ token_hash: sha256('not a secret'), token_type: 't', label: 'false_positive' }]);
    } finally {
      delete process.env.SECRET_REPORT_HMAC_KEY;
      await fresh.close();
    }
  });
});
