import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { notificationDeliveries, tenants } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { getChannel } from './channels';
import type { ChannelIdInput, ResendDeliveryInput } from './channels.schema';
import { attemptDelivery, claimDue, requeueDelivery, type DeliveryContext } from './delivery';
import { createMailer, smtpConfig } from './email';
import { TEST_EVENT_TYPE } from './events';
import { enqueueEvent } from './outbox';

/** "Send test event" and "Resend": the delivery is attempted at once, through the same claim as the scheduler's. */

export function deliveryContextFromEnv(db: Db): DeliveryContext {
  const smtp = smtpConfig();
  return { db, now: () => new Date(), mailer: smtp ? createMailer(smtp) : null, consoleUrl: process.env.AUTH_URL?.replace(/\/+$/, '') ?? null };
}

export type SendResult = { delivered: boolean; deliveryId: number };

async function attemptNow(ctx: DeliveryContext, deliveryId: number): Promise<boolean> {
  const [claimed] = await claimDue(ctx.db, ctx.now(), deliveryId);
  // Another instance took it in the meantime: it is being attempted there.
  if (claimed === undefined) return false;
  return attemptDelivery(ctx, claimed);
}

export async function sendTestEvent(ctx: DeliveryContext, actor: Actor, input: ChannelIdInput): Promise<ActionResult<SendResult>> {
  const channel = await getChannel(ctx.db, actor.tenantId, input.channelId);
  if (!channel) return fail('This channel no longer exists.', 'not_found');
  if (!channel.enabled) return fail('Enable the channel before sending a test event.', 'invalid');
  const now = ctx.now();
  const deliveryId = await ctx.db.transaction(async (tx) => {
    const [tenant] = await tx.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, actor.tenantId));
    const eventId = await enqueueEvent(
      tx,
      {
        tenantId: actor.tenantId,
        eventType: TEST_EVENT_TYPE,
        dedupeKey: `test:${randomUUID()}`,
        data: { tenant: { id: actor.tenantId, name: tenant?.name ?? '' }, channel: { id: channel.id, name: channel.name }, sentBy: actor.label },
        occurredAt: now,
      },
      now,
      channel.id,
    );
    await recordAudit(tx, actor, { action: 'notification_channel.test_sent', targetType: 'notification_channel', targetId: channel.id, details: { name: channel.name } });
    const [row] = await tx
      .select({ id: notificationDeliveries.id })
      .from(notificationDeliveries)
      .where(and(eq(notificationDeliveries.eventId, eventId!), eq(notificationDeliveries.channelId, channel.id)));
    return row.id;
  });
  return ok({ delivered: await attemptNow(ctx, deliveryId), deliveryId });
}

export async function resendDelivery(ctx: DeliveryContext, actor: Actor, input: ResendDeliveryInput): Promise<ActionResult<SendResult>> {
  const found = await ctx.db.transaction(async (tx) => {
    if (!(await requeueDelivery(tx, actor.tenantId, input.deliveryId, ctx.now()))) return false;
    await recordAudit(tx, actor, { action: 'notification_delivery.resent', targetType: 'notification_delivery', targetId: String(input.deliveryId) });
    return true;
  });
  if (!found) return fail('This delivery no longer exists.', 'not_found');
  return ok({ delivered: await attemptNow(ctx, input.deliveryId), deliveryId: input.deliveryId });
}
