import type { Db } from '../db';
import { auditEvents } from '../db/schema';
import type { Actor } from '../actions/actor';

/**
 * Record an audit event in the caller's transaction. `details` says what changed; it must never hold a secret
 * (callers pass names, ids, hints and old/new values of plain fields only).
 */
export async function recordAudit(
  db: Db,
  actor: Pick<Actor, 'tenantId' | 'label' | 'type' | 'via'>,
  event: { action: string; targetType: string; targetId?: string | null; details?: Record<string, unknown> },
) {
  await db.insert(auditEvents).values({
    tenantId: actor.tenantId,
    actor: actor.label,
    actorType: actor.type,
    action: event.action,
    targetType: event.targetType,
    targetId: event.targetId ?? null,
    details: { ...(event.details ?? {}), via: actor.via },
  });
}
