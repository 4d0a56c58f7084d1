import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgres, type DbHandle } from '../db';
import { auditEvents, notificationChannels, notificationEvents } from '../db/schema';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import { actionsAs, inDays, newClientInput } from '../clients/test-helpers';
import { notificationAdminActions } from './admin-actions';
import { listDeliveries } from './delivery';
import { createMailer } from './email';
import { NotificationScheduler } from './scheduler';
import { startSmtpServer, startWebhookReceiver } from './testing/receivers';

let h: DbHandle;
/** A second connection pool (PostgreSQL): "another instance". PGlite is one process: the same handle. */
let h2: DbHandle;
let smtp: Awaited<ReturnType<typeof startSmtpServer>>;
const ns = `test-${randomUUID()}`;

beforeAll(async () => {
  process.env.OUTBOUND_ALLOW_HTTP_LOOPBACK = '1';
  h = await createTestDb();
  h2 = process.env.DATABASE_URL ? await createPostgres(process.env.DATABASE_URL) : h;
  smtp = await startSmtpServer();
});
afterAll(async () => {
  await smtp.close();
  if (h2 !== h) await h2.close();
  await h.close();
});

const notify = (user: TestTenant['admin'] | null) => notificationAdminActions(async () => user);
/** A test clock: starts at the real time, moved by the test. */
function clock() {
  let t = Date.now();
  return { now: () => new Date(t), advance: (ms: number) => (t += ms) };
}
const scheduler = (handle: DbHandle, now: () => Date) =>
  new NotificationScheduler(handle.db, { now, mailer: createMailer({ url: smtp.url, from: 'console@example.test' }), consoleUrl: 'https://console.example.test', jobNamespace: ns });

/** The message text with quoted-printable undone (the hint's "…" is encoded). */
function decodeMail(raw: string): string {
  const body = raw.replace(/=\r?\n/g, '');
  const bytes: number[] = [];
  for (let i = 0; i < body.length; i++) {
    const hex = body[i] === '=' ? /^[0-9A-F]{2}$/.exec(body.slice(i + 1, i + 3)) : null;
    if (hex) {
      bytes.push(parseInt(hex[0], 16));
      i += 2;
    } else bytes.push(...Buffer.from(body[i], 'utf8'));
  }
  return Buffer.from(bytes).toString('utf8');
}

async function clientWithSecret(t: TestTenant, expiresInDays: number) {
  const created = await actionsAs(t.admin).createClient(newClientInput({ expiresAt: inDays(expiresInDays), description: 'historian secret' }));
  if (!created.ok || !created.data.secret) throw new Error('client not created');
  return created.data as { clientId: string; secret: string; secretId: number };
}

describe('expiry alerts by email', () => {
  it('sends the 7-day email once on the next run, never again, also with two instances at the same time', async () => {
    const t = await createTestTenant(h.db, 'Expiry mail');
    const address = `ops-${randomUUID().slice(0, 8)}@example.test`;
    const channel = await notify(t.admin).createChannel({ kind: 'email', name: 'Ops mail', emailAdmins: true, emailAddresses: address, eventTypes: ['secret.expiring'] });
    expect(channel).toMatchObject({ ok: true, data: { signingSecret: null } });
    const client = await clientWithSecret(t, 6);
    const c = clock();
    const mine = () => smtp.messages.filter((m) => m.to.includes(address));

    await scheduler(h, c.now).runOnce();
    expect(mine()).toHaveLength(1);
    const [mail] = mine();
    expect(mail.to.sort()).toEqual([address, t.admin.email.toLowerCase()].sort());
    const text = decodeMail(mail.raw);
    expect(text).toContain('Subject: Client secret expires in 7 days');
    const [clientRow] = (await h.db.select().from(notificationEvents).where(eq(notificationEvents.tenantId, t.tenantId)));
    const name = (clientRow.data.client as { name: string }).name;
    expect(text).toContain(name);
    expect(text).toContain(`${client.secret.slice(0, 9)}…`);
    expect(text).not.toContain(client.secret);
    expect(text).not.toContain(client.secret.slice(9, 30));

    // The same run again, and two instances at once after the scan is due again: nothing more.
    await scheduler(h, c.now).runOnce();
    c.advance(10 * 60_000);
    await Promise.all([scheduler(h, c.now).runOnce(), scheduler(h2, c.now).runOnce()]);
    expect(mine()).toHaveLength(1);
    expect(await h.db.select().from(notificationEvents).where(eq(notificationEvents.tenantId, t.tenantId))).toHaveLength(1);

    // Five days later the 1-day threshold is reached: one more email, and only one.
    c.advance(5 * 86_400_000 + 60_000);
    await Promise.all([scheduler(h, c.now).runOnce(), scheduler(h2, c.now).runOnce()]);
    expect(mine()).toHaveLength(2);
    expect(decodeMail(mine()[1].raw)).toContain('Subject: Client secret expires in 1 day');
  });
});

describe('webhooks', () => {
  it('signs with the channel secret; 500, 500, 200 is exactly 3 attempts across a restart, in the delivery log', async () => {
    const t = await createTestTenant(h.db, 'Webhook retries');
    const receiver = await startWebhookReceiver([500, 500, 200]);
    try {
      const created = await notify(t.admin).createChannel({ kind: 'webhook', name: 'Pager', url: receiver.url, eventTypes: ['secret.expiring'] });
      if (!created.ok || !created.data.signingSecret) throw new Error('channel not created');
      const secret = created.data.signingSecret;
      expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
      const [stored] = await h.db.select().from(notificationChannels).where(eq(notificationChannels.id, created.data.channel.id));
      expect(JSON.stringify(stored)).not.toContain(secret.slice(6));
      const client = await clientWithSecret(t, 20);
      const c = clock();

      await scheduler(h, c.now).runOnce();
      expect(receiver.received).toHaveLength(1);
      let [entry] = await listDeliveries(h.db, t.tenantId);
      expect(entry).toMatchObject({ status: 'pending', attempts: 1, lastResponseCode: 500 });
      expect(entry.nextAttemptAt!.getTime()).toBe(c.now().getTime() + 30_000);

      // Not due yet: nothing. Then a "restarted" instance (a new scheduler, another pool) picks the retry up.
      await scheduler(h2, c.now).runOnce();
      expect(receiver.received).toHaveLength(1);
      c.advance(31_000);
      await scheduler(h2, c.now).runOnce();
      expect(receiver.received).toHaveLength(2);
      c.advance(2 * 60_000 + 1000);
      await Promise.all([scheduler(h, c.now).runOnce(), scheduler(h2, c.now).runOnce()]);
      expect(receiver.received).toHaveLength(3);
      c.advance(24 * 3600_000);
      await scheduler(h, c.now).runOnce();
      expect(receiver.received).toHaveLength(3);

      [entry] = await listDeliveries(h.db, t.tenantId);
      expect(entry).toMatchObject({ status: 'succeeded', attempts: 3, lastResponseCode: 200, nextAttemptAt: null, eventType: 'secret.expiring' });

      const wh = new Webhook(secret);
      const ids = new Set(receiver.received.map((r) => r.headers['webhook-id']));
      expect(ids.size).toBe(1);
      for (const r of receiver.received) {
        const payload = wh.verify(r.body, r.headers) as { type: string; data: Record<string, Record<string, unknown>> };
        expect(payload.type).toBe('secret.expiring');
        expect(payload.data).toMatchObject({ client: { id: client.clientId }, secret: { id: client.secretId, description: 'historian secret', hint: `${client.secret.slice(0, 9)}…` }, daysBefore: 30 });
        expect(r.body).not.toContain(client.secret);
      }
      expect(() => new Webhook(`whsec_${Buffer.alloc(32, 1).toString('base64')}`).verify(receiver.received[0].body, receiver.received[0].headers)).toThrow();
    } finally {
      await receiver.close();
    }
  });

  it('Send test event and Resend deliver at once; both are audited', async () => {
    const t = await createTestTenant(h.db, 'Webhook test event');
    const receiver = await startWebhookReceiver([200]);
    try {
      const created = await notify(t.admin).createChannel({ kind: 'webhook', name: 'Hook', url: receiver.url, eventTypes: ['audit.*'] });
      if (!created.ok) throw new Error('channel not created');
      const sent = await notify(t.admin).sendTestEvent({ channelId: created.data.channel.id });
      expect(sent).toMatchObject({ ok: true, data: { delivered: true } });
      expect(receiver.received).toHaveLength(1);
      expect(JSON.parse(receiver.received[0].body)).toMatchObject({ type: 'notification.test', data: { channel: { name: 'Hook' } } });
      if (!sent.ok) return;
      const resent = await notify(t.admin).resendDelivery({ deliveryId: sent.data.deliveryId });
      expect(resent).toMatchObject({ ok: true, data: { delivered: true } });
      expect(receiver.received).toHaveLength(2);
      expect(receiver.received[1].headers['webhook-id']).toBe(receiver.received[0].headers['webhook-id']);
      const [entry] = (await listDeliveries(h.db, t.tenantId)).filter((d) => d.id === sent.data.deliveryId);
      expect(entry).toMatchObject({ status: 'succeeded', attempts: 2, lastResponseCode: 200 });
      const actions = (await h.db.select().from(auditEvents).where(eq(auditEvents.tenantId, t.tenantId))).map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(['notification_channel.created', 'notification_channel.test_sent', 'notification_delivery.resent']));

      // audit.*: the audit events after the subscription go out, once each (webhooks carry no order guarantee).
      const c = clock();
      await scheduler(h, c.now).runOnce();
      const types = receiver.received.slice(2).map((r) => JSON.parse(r.body).type).sort();
      expect(types).toEqual(['audit.notification_channel.test_sent', 'audit.notification_delivery.resent']);
      await scheduler(h2, c.now).runOnce();
      expect(receiver.received).toHaveLength(4);
    } finally {
      await receiver.close();
    }
  });

  it('refuses plain http and says why; another tenant\'s channel is not found; a Tenant Member may not', async () => {
    const t = await createTestTenant(h.db, 'Webhook rules');
    const other = await createTestTenant(h.db, 'Webhook other');
    const http = await notify(t.admin).createChannel({ kind: 'webhook', name: 'Plain', url: 'http://hooks.example.com/x', eventTypes: ['secret.expired'] });
    expect(http).toMatchObject({ ok: false, fieldErrors: { url: 'The webhook URL must use https.' } });
    const none = await notify(t.admin).createChannel({ kind: 'email', name: 'Nobody', emailAdmins: false, emailAddresses: '', eventTypes: ['secret.expired'] });
    expect(none).toMatchObject({ ok: false, fieldErrors: { emailAddresses: 'Choose Tenant Administrators or enter at least one address.' } });
    const badMail = await notify(t.admin).createChannel({ kind: 'email', name: 'Bad', emailAddresses: 'ops@example.test\nnot-an-address', eventTypes: ['secret.expired'] });
    expect(badMail).toMatchObject({ ok: false, fieldErrors: { emailAddresses: '"not-an-address" is not an email address.' } });
    const noEvents = await notify(t.admin).createChannel({ kind: 'email', name: 'X', emailAdmins: true, eventTypes: [] });
    expect(noEvents).toMatchObject({ ok: false, fieldErrors: { eventTypes: 'Choose at least one event.' } });
    expect(await notify(t.member).createChannel({ kind: 'email', name: 'X', emailAdmins: true, eventTypes: ['secret.expired'] })).toMatchObject({ ok: false, code: 'forbidden' });

    const mine = await notify(t.admin).createChannel({ kind: 'email', name: 'Mine', emailAdmins: true, eventTypes: ['secret.expired'] });
    if (!mine.ok) throw new Error('not created');
    const id = mine.data.channel.id;
    expect(await notify(other.admin).removeChannel({ channelId: id })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await notify(other.admin).sendTestEvent({ channelId: id })).toMatchObject({ ok: false, code: 'not_found' });
    const edited = await notify(t.admin).updateChannel({ channelId: id, kind: 'email', name: 'Renamed', enabled: false, emailAdmins: false, emailAddresses: ['a@example.test'], eventTypes: ['secret.expired', 'client.unused'] });
    expect(edited).toMatchObject({ ok: true, data: { channel: { name: 'Renamed', enabled: false, emailAddresses: ['a@example.test'] } } });
    expect(await notify(t.admin).updateThresholds({ unusedDays: '30', failureSpikeCount: '10', failureSpikeMinutes: '0' })).toMatchObject({
      ok: false,
      fieldErrors: { failureSpikeMinutes: 'Enter a whole number of minutes from 1 to 1440.' },
    });
    expect(await notify(t.admin).updateThresholds({ unusedDays: '30', failureSpikeCount: '10', failureSpikeMinutes: '5' })).toMatchObject({ ok: true });
    expect(await notify(t.admin).removeChannel({ channelId: id })).toMatchObject({ ok: true, data: { name: 'Renamed' } });
    const actions = (await h.db.select().from(auditEvents).where(eq(auditEvents.tenantId, t.tenantId))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['notification_channel.created', 'notification_channel.updated', 'notification_channel.removed', 'notification_settings.updated']));
  });

  it('client.unused: a client with no token for the tenant\'s days, once', async () => {
    const t = await createTestTenant(h.db, 'Unused');
    const receiver = await startWebhookReceiver([200]);
    try {
      const created = await notify(t.admin).createChannel({ kind: 'webhook', name: 'Unused hook', url: receiver.url, eventTypes: ['client.unused'] });
      if (!created.ok) throw new Error('channel not created');
      await notify(t.admin).updateThresholds({ unusedDays: 30, failureSpikeCount: 20, failureSpikeMinutes: 5 });
      const client = await clientWithSecret(t, 365);
      const c = clock();
      await scheduler(h, c.now).runOnce();
      expect(receiver.received).toHaveLength(0);
      c.advance(31 * 86_400_000);
      await Promise.all([scheduler(h, c.now).runOnce(), scheduler(h2, c.now).runOnce()]);
      c.advance(2 * 3600_000);
      await scheduler(h, c.now).runOnce();
      const mine = receiver.received.map((r) => JSON.parse(r.body)).filter((p) => p.data.client.id === client.clientId);
      expect(mine).toHaveLength(1);
      expect(mine[0]).toMatchObject({ type: 'client.unused', data: { unusedDays: 30 } });
    } finally {
      await receiver.close();
    }
  });
});
