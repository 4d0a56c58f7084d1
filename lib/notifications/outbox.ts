import { randomBytes } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { notificationChannels, notificationDeliveries, notificationEvents } from '../db/schema';
import { subscribes } from './events';

/**
 * The outbox: an event is inserted once per (tenant, dedupe key), whatever number of instances or runs try; only the
 * run whose insert created it fans it out to the channels subscribed at that moment (one delivery row each, due now).
 */
export type NewEvent = {
  tenantId: string;
  eventType: string;
  /** What makes it the same alert: "secret.expiring:<secret id>:<days>:<expiry>", "audit:<audit id>", ... */
  dedupeKey: string;
  data: Record<string, unknown>;
  occurredAt: Date;
};

/** Standard Webhooks' webhook-id. */
const newMessageId = () => `msg_${randomBytes(16).toString('base64url')}`;

/**
 * Insert the event and its deliveries. `onlyChannel`: deliver to that channel alone (a test event, audit.* per
 * channel). Returns the event id when this call created it, null when it existed already.
 */
export async function enqueueEvent(db: Db, event: NewEvent, now: Date, onlyChannel?: string): Promise<number | null> {
  const [created] = await db
    .insert(notificationEvents)
    .values({ ...event, messageId: newMessageId() })
    .onConflictDoNothing({ target: [notificationEvents.tenantId, notificationEvents.dedupeKey] })
    .returning({ id: notificationEvents.id });
  if (!created) return null;
  const channels = await db
    .select({ id: notificationChannels.id, eventTypes: notificationChannels.eventTypes })
    .from(notificationChannels)
    .where(
      and(
        eq(notificationChannels.tenantId, event.tenantId),
        eq(notificationChannels.enabled, true),
        onlyChannel ? eq(notificationChannels.id, onlyChannel) : sql`true`,
      ),
    );
  const targets = channels.filter((c) => onlyChannel || subscribes(c.eventTypes, event.eventType));
  if (targets.length > 0) {
    await db
      .insert(notificationDeliveries)
      .values(targets.map((c) => ({ tenantId: event.tenantId, eventId: created.id, channelId: c.id, nextAttemptAt: now, createdAt: now })))
      .onConflictDoNothing();
  }
  return created.id;
}
