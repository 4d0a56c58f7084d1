import { randomUUID } from 'node:crypto';
import { and, count, eq, max, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { auditEvents, notificationChannels, notificationSettings } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, fieldFail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { checkOutboundUrl } from '../net/outbound-fetch';
import {
  DEFAULT_THRESHOLDS,
  MAX_CHANNELS_PER_TENANT,
  type ChannelIdInput,
  type CreateChannelInput,
  type ThresholdsInput,
  type UpdateChannelInput,
} from './channels.schema';
import { encryptSigningSecret, generateSigningSecret, signingSecretHint } from './signing';

export type ChannelRow = typeof notificationChannels.$inferSelect;
/** A channel as the console and the API show it: never the signing secret, only its hint. */
export type ChannelView = Omit<ChannelRow, 'signingSecretEncrypted' | 'auditCursor'>;

export const WEBHOOK_URL_LABEL = 'The webhook URL';
const URL_EXAMPLE = 'https://hooks.example.com/tenant-console';

export function channelView(row: ChannelRow): ChannelView {
  const view: Partial<ChannelRow> = { ...row };
  delete view.signingSecretEncrypted;
  delete view.auditCursor;
  return view as ChannelView;
}

export async function listChannels(db: Db, tenantId: string): Promise<ChannelView[]> {
  const rows = await db.select().from(notificationChannels).where(eq(notificationChannels.tenantId, tenantId)).orderBy(notificationChannels.createdAt, notificationChannels.id);
  return rows.map(channelView);
}

export async function getChannel(db: Db, tenantId: string, channelId: string): Promise<ChannelRow | null> {
  const [row] = await db
    .select()
    .from(notificationChannels)
    .where(and(eq(notificationChannels.tenantId, tenantId), eq(notificationChannels.id, channelId)));
  return row ?? null;
}

/** lib/net's rules on the URL (https; loopback http only under the test switch), as a field message. */
function checkUrl(kind: 'email' | 'webhook', url: string | undefined): { ok: true; url: string | null } | { ok: false; message: string } {
  if (kind !== 'webhook') return { ok: true, url: null };
  const checked = checkOutboundUrl(url ?? '', WEBHOOK_URL_LABEL, URL_EXAMPLE);
  return checked.ok ? { ok: true, url: checked.url.toString() } : checked;
}

/** audit.*: start after the newest audit event, so subscribing does not replay the tenant's history. */
async function auditHead(db: Db, tenantId: string): Promise<number> {
  const [row] = await db.select({ id: max(auditEvents.id) }).from(auditEvents).where(eq(auditEvents.tenantId, tenantId));
  return row?.id ?? 0;
}

function auditDetails(row: { name: string; kind: string; url: string | null; emailAdmins: boolean; emailAddresses: string[]; eventTypes: string[] }) {
  return row.kind === 'webhook'
    ? { name: row.name, kind: row.kind, url: row.url, eventTypes: row.eventTypes }
    : { name: row.name, kind: row.kind, emailAdmins: row.emailAdmins, emailAddresses: row.emailAddresses, eventTypes: row.eventTypes };
}

/** Add a channel. A webhook's signing secret is returned here once and never again. */
export async function createChannel(
  db: Db,
  actor: Actor,
  input: CreateChannelInput,
): Promise<ActionResult<{ channel: ChannelView; signingSecret: string | null }>> {
  const url = checkUrl(input.kind, input.url);
  if (!url.ok) return fieldFail({ url: url.message });
  return db.transaction(async (tx) => {
    // One tenant's channel count, serialized per tenant by the advisory lock so two adds cannot pass the limit.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`notification-channels:${actor.tenantId}`}))`);
    const [{ n }] = await tx.select({ n: count() }).from(notificationChannels).where(eq(notificationChannels.tenantId, actor.tenantId));
    if (n >= MAX_CHANNELS_PER_TENANT) return fail(`A tenant can have at most ${MAX_CHANNELS_PER_TENANT} notification channels.`, 'limit');
    const id = randomUUID();
    const signingSecret = input.kind === 'webhook' ? generateSigningSecret() : null;
    const [row] = await tx
      .insert(notificationChannels)
      .values({
        id,
        tenantId: actor.tenantId,
        kind: input.kind,
        name: input.name,
        url: url.url,
        signingSecretEncrypted: signingSecret ? encryptSigningSecret(signingSecret, id) : null,
        signingSecretHint: signingSecret ? signingSecretHint(signingSecret) : null,
        emailAdmins: input.kind === 'email' ? input.emailAdmins : false,
        emailAddresses: input.kind === 'email' ? input.emailAddresses : [],
        eventTypes: input.eventTypes,
        createdBy: actor.label,
        updatedBy: actor.label,
      })
      .returning();
    await recordAudit(tx, actor, { action: 'notification_channel.created', targetType: 'notification_channel', targetId: id, details: auditDetails(row) });
    const [withCursor] = await tx
      .update(notificationChannels)
      .set({ auditCursor: await auditHead(tx, actor.tenantId) })
      .where(eq(notificationChannels.id, id))
      .returning();
    return ok({ channel: channelView(withCursor), signingSecret });
  });
}

export async function updateChannel(db: Db, actor: Actor, input: UpdateChannelInput): Promise<ActionResult<{ channel: ChannelView }>> {
  const url = checkUrl(input.kind, input.url);
  if (!url.ok) return fieldFail({ url: url.message });
  return db.transaction(async (tx) => {
    const [current] = await tx
      .select()
      .from(notificationChannels)
      .where(and(eq(notificationChannels.tenantId, actor.tenantId), eq(notificationChannels.id, input.channelId)))
      .for('update');
    if (!current) return fail('This channel no longer exists.', 'not_found');
    if (current.kind !== input.kind) return fieldFail({ kind: 'The type of a channel cannot change: add a new channel instead.' });
    const startsAudit = input.eventTypes.includes('audit.*') && !current.eventTypes.includes('audit.*');
    const [row] = await tx
      .update(notificationChannels)
      .set({
        name: input.name,
        enabled: input.enabled,
        url: url.url,
        emailAdmins: input.kind === 'email' ? input.emailAdmins : false,
        emailAddresses: input.kind === 'email' ? input.emailAddresses : [],
        eventTypes: input.eventTypes,
        updatedAt: new Date(),
        updatedBy: actor.label,
      })
      .where(eq(notificationChannels.id, current.id))
      .returning();
    await recordAudit(tx, actor, {
      action: 'notification_channel.updated',
      targetType: 'notification_channel',
      targetId: row.id,
      details: { ...auditDetails(row), enabled: row.enabled },
    });
    if (startsAudit) await tx.update(notificationChannels).set({ auditCursor: await auditHead(tx, actor.tenantId) }).where(eq(notificationChannels.id, row.id));
    return ok({ channel: channelView(row) });
  });
}

/** Remove a channel; its pending deliveries go with it. */
export async function removeChannel(db: Db, actor: Actor, input: ChannelIdInput): Promise<ActionResult<{ name: string }>> {
  return db.transaction(async (tx) => {
    const [row] = await tx
      .delete(notificationChannels)
      .where(and(eq(notificationChannels.tenantId, actor.tenantId), eq(notificationChannels.id, input.channelId)))
      .returning();
    if (!row) return fail('This channel no longer exists.', 'not_found');
    await recordAudit(tx, actor, { action: 'notification_channel.removed', targetType: 'notification_channel', targetId: row.id, details: auditDetails(row) });
    return ok({ name: row.name });
  });
}

export async function getThresholds(db: Db, tenantId: string): Promise<ThresholdsInput> {
  const [row] = await db.select().from(notificationSettings).where(eq(notificationSettings.tenantId, tenantId));
  return row ? { unusedDays: row.unusedDays, failureSpikeCount: row.failureSpikeCount, failureSpikeMinutes: row.failureSpikeMinutes } : { ...DEFAULT_THRESHOLDS };
}

export async function updateThresholds(db: Db, actor: Actor, input: ThresholdsInput): Promise<ActionResult<ThresholdsInput>> {
  return db.transaction(async (tx) => {
    const before = await getThresholds(tx, actor.tenantId);
    await tx
      .insert(notificationSettings)
      .values({ tenantId: actor.tenantId, ...input, updatedBy: actor.label })
      .onConflictDoUpdate({ target: notificationSettings.tenantId, set: { ...input, updatedAt: new Date(), updatedBy: actor.label } });
    await recordAudit(tx, actor, { action: 'notification_settings.updated', targetType: 'tenant', targetId: actor.tenantId, details: { before, after: input } });
    return ok(input);
  });
}

