import { and, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { notificationChannels, notificationDeliveries, notificationEvents, roles, userRoles, users } from '../db/schema';
import { postOutbound } from '../net/outbound-fetch';
import { emailMessage, webhookBody } from './events';
import { smtpCode, type Mailer } from './email';
import { decryptSigningSecret, signedHeaders } from './signing';
import { WEBHOOK_URL_LABEL } from './channels';

/**
 * Deliveries: each due row is claimed by exactly one instance (FOR UPDATE SKIP LOCKED, then a lease written in the
 * same statement, so the HTTP call or SMTP conversation runs outside any transaction), attempted, and either done or
 * given its next attempt time with exponential backoff, all in PostgreSQL: a restart or another instance carries on.
 */
export const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 30_000;
const MAX_RETRY_MS = 10 * 3600_000;
/** Longer than the slowest attempt (webhook timeout, SMTP timeouts): past it, the row is taken over. */
const LEASE_MS = 2 * 60_000;
export const WEBHOOK_TIMEOUT_MS = 10_000;
const CLAIM_BATCH = 20;

/** Delay after the n-th failed attempt: 30 s, 2 min, 8 min, 32 min, about 2 h, 8.5 h, then 10 h (about 21 h in all). */
export function retryDelayMs(failedAttempts: number): number {
  return Math.min(FIRST_RETRY_MS * 4 ** (failedAttempts - 1), MAX_RETRY_MS);
}

export type DeliveryContext = {
  db: Db;
  now: () => Date;
  mailer: Mailer | null;
  /** The console's public URL for links in emails (AUTH_URL), or null. */
  consoleUrl: string | null;
};

type Claimed = { id: number };

/** Claim due deliveries (or the one given): set a lease so no other instance takes them meanwhile. */
export async function claimDue(db: Db, now: Date, only?: number): Promise<number[]> {
  const leaseUntil = new Date(now.getTime() + LEASE_MS).toISOString();
  const at = now.toISOString();
  const rows = await db.execute<Claimed>(sql`
    update notification_deliveries set lease_until = ${leaseUntil}::timestamptz
    where id in (
      select id from notification_deliveries
      where status = 'pending' and next_attempt_at <= ${at}::timestamptz
        and (lease_until is null or lease_until <= ${at}::timestamptz)
        ${only !== undefined ? sql`and id = ${only}` : sql``}
      order by next_attempt_at, id
      limit ${CLAIM_BATCH}
      for update skip locked)
    returning id`);
  return (rows as unknown as { rows: Claimed[] }).rows.map((r) => Number(r.id));
}

type AttemptOutcome = { ok: true; responseCode: number | null } | { ok: false; responseCode: number | null; error: string; permanent?: boolean };

async function adminEmails(db: Db, tenantId: string): Promise<string[]> {
  const rows = await db
    .select({ email: users.email })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(eq(users.tenantId, tenantId), eq(roles.tenantId, tenantId), eq(roles.roleType, 'tenant_administrator')));
  return rows.map((r) => r.email.toLowerCase());
}

async function attemptOnce(
  ctx: DeliveryContext,
  channel: typeof notificationChannels.$inferSelect,
  event: typeof notificationEvents.$inferSelect,
): Promise<AttemptOutcome> {
  if (!channel.enabled) return { ok: false, responseCode: null, error: 'The channel is disabled.', permanent: true };
  if (channel.kind === 'webhook') {
    const secret = decryptSigningSecret(channel.signingSecretEncrypted ?? '', channel.id);
    const body = webhookBody(event);
    // The signature's time is the wall clock of the attempt (receivers refuse stale timestamps), not the scheduler's.
    const headers = signedHeaders(secret, event.messageId, body, new Date());
    const sent = await postOutbound(channel.url ?? '', { label: WEBHOOK_URL_LABEL, body, headers, timeoutMs: WEBHOOK_TIMEOUT_MS });
    if (sent.ok) return { ok: true, responseCode: sent.status };
    return { ok: false, responseCode: sent.status ?? null, error: sent.message, permanent: sent.reason === 'url' };
  }
  if (!ctx.mailer) return { ok: false, responseCode: null, error: 'Email is not configured on this server (SMTP_URL).' };
  const to = [...new Set([...(channel.emailAdmins ? await adminEmails(ctx.db, channel.tenantId) : []), ...channel.emailAddresses])];
  if (to.length === 0) return { ok: false, responseCode: null, error: 'The channel has no recipients.', permanent: true };
  const message = emailMessage(event.eventType, event.data, ctx.consoleUrl);
  try {
    const sent = await ctx.mailer.send({ to, ...message });
    return { ok: true, responseCode: sent.responseCode };
  } catch (err) {
    const e = err as { responseCode?: number; response?: string; code?: string };
    const code = e.responseCode ?? smtpCode(e.response);
    return { ok: false, responseCode: code, error: code ? `The mail server answered ${code}.` : `The mail server could not be reached (${e.code ?? 'error'}).` };
  }
}

/** Attempt one claimed delivery and record the outcome. Returns whether it succeeded. */
export async function attemptDelivery(ctx: DeliveryContext, deliveryId: number): Promise<boolean> {
  const [row] = await ctx.db
    .select({ delivery: notificationDeliveries, event: notificationEvents, channel: notificationChannels })
    .from(notificationDeliveries)
    .innerJoin(notificationEvents, eq(notificationEvents.id, notificationDeliveries.eventId))
    .innerJoin(notificationChannels, eq(notificationChannels.id, notificationDeliveries.channelId))
    .where(eq(notificationDeliveries.id, deliveryId));
  if (!row) return false;
  let outcome: AttemptOutcome;
  try {
    outcome = await attemptOnce(ctx, row.channel, row.event);
  } catch (err) {
    outcome = { ok: false, responseCode: null, error: `The attempt failed: ${(err as Error).message.split('\n')[0].slice(0, 200)}` };
  }
  const now = ctx.now();
  const attempts = row.delivery.attempts + 1;
  const giveUp = !outcome.ok && (outcome.permanent || attempts >= MAX_ATTEMPTS);
  await ctx.db
    .update(notificationDeliveries)
    .set({
      attempts,
      lastAttemptAt: now,
      lastResponseCode: outcome.responseCode,
      lastError: outcome.ok ? null : outcome.error,
      status: outcome.ok ? 'succeeded' : giveUp ? 'failed' : 'pending',
      nextAttemptAt: outcome.ok || giveUp ? null : new Date(now.getTime() + retryDelayMs(attempts)),
      leaseUntil: null,
    })
    .where(eq(notificationDeliveries.id, deliveryId));
  return outcome.ok;
}

/** Claim and attempt what is due now. Returns how many attempts were made. */
export async function deliverDue(ctx: DeliveryContext): Promise<number> {
  let made = 0;
  for (;;) {
    const ids = await claimDue(ctx.db, ctx.now());
    if (ids.length === 0) return made;
    await Promise.all(ids.map((id) => attemptDelivery(ctx, id)));
    made += ids.length;
  }
}

/** "Resend": the delivery is due again now (same webhook-id, so receivers can tell it is the same event). */
export async function requeueDelivery(db: Db, tenantId: string, deliveryId: number, now: Date): Promise<boolean> {
  const rows = await db
    .update(notificationDeliveries)
    .set({ status: 'pending', nextAttemptAt: now, leaseUntil: null })
    .where(and(eq(notificationDeliveries.id, deliveryId), eq(notificationDeliveries.tenantId, tenantId)))
    .returning({ id: notificationDeliveries.id });
  return rows.length > 0;
}

export type DeliveryLogEntry = {
  id: number;
  channelId: string;
  channelName: string;
  eventType: string;
  messageId: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number;
  lastAttemptAt: Date | null;
  lastResponseCode: number | null;
  lastError: string | null;
  nextAttemptAt: Date | null;
  createdAt: Date;
};

/** The delivery log: newest first, of one channel or all the tenant's. */
export async function listDeliveries(db: Db, tenantId: string, opts: { channelId?: string; limit?: number } = {}): Promise<DeliveryLogEntry[]> {
  return db
    .select({
      id: notificationDeliveries.id,
      channelId: notificationDeliveries.channelId,
      channelName: notificationChannels.name,
      eventType: notificationEvents.eventType,
      messageId: notificationEvents.messageId,
      status: notificationDeliveries.status,
      attempts: notificationDeliveries.attempts,
      lastAttemptAt: notificationDeliveries.lastAttemptAt,
      lastResponseCode: notificationDeliveries.lastResponseCode,
      lastError: notificationDeliveries.lastError,
      nextAttemptAt: notificationDeliveries.nextAttemptAt,
      createdAt: notificationDeliveries.createdAt,
    })
    .from(notificationDeliveries)
    .innerJoin(notificationEvents, eq(notificationEvents.id, notificationDeliveries.eventId))
    .innerJoin(notificationChannels, eq(notificationChannels.id, notificationDeliveries.channelId))
    .where(
      and(
        eq(notificationDeliveries.tenantId, tenantId),
        opts.channelId ? inArray(notificationDeliveries.channelId, [opts.channelId]) : sql`true`,
      ),
    )
    .orderBy(desc(notificationDeliveries.id))
    .limit(opts.limit ?? 50);
}
