import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { tenantSettings } from '../db/schema';
import { makeAdminAction, type Actor } from '../actions/admin-action';
import { ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { validate } from '../actions/validate';
import { sessionPolicy } from './sessions';
import { updateSessionPolicySchema, type UpdateSessionPolicyInput } from './session-policy.schema';
import type { SessionUser } from './users';

export type SessionPolicy = { idleMinutes: number; maxHours: number };

/** The tenant's console session limits (no settings row: 30 minutes idle, 12 hours at most). */
export const getSessionPolicy = (db: Db, tenantId: string): Promise<SessionPolicy> => sessionPolicy(db, tenantId);

/**
 * Security > Settings "Console Sessions". Existing sessions follow the new limits too (lib/auth/sessions.ts reads
 * them with each session row; an instance's cached copy is at most a cache TTL old). Audited with before and after.
 */
export async function updateSessionPolicy(db: Db, actor: Actor, raw: UpdateSessionPolicyInput): Promise<ActionResult<SessionPolicy>> {
  const v = validate(updateSessionPolicySchema, raw);
  if (!v.ok) return v.failure;
  const next: SessionPolicy = { idleMinutes: v.data.idleMinutes, maxHours: v.data.maxHours };
  return inTransaction(db, async (tx) => {
    const before = await sessionPolicy(tx, actor.tenantId);
    const values = { sessionIdleMinutes: next.idleMinutes, sessionMaxHours: next.maxHours };
    await tx
      .insert(tenantSettings)
      .values({ tenantId: actor.tenantId, ...values, updatedBy: actor.label })
      .onConflictDoUpdate({ target: tenantSettings.tenantId, set: { ...values, updatedBy: actor.label, updatedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: 'policy.sessions_updated',
      targetType: 'tenant',
      targetId: actor.tenantId,
      details: { changes: { from: before, to: next } },
    });
    return ok(next);
  });
}

/** Behind makeAdminAction: authenticate, Tenant Administrator, tenant from the session, the form's schema. */
export function sessionPolicyAdminActions(getUser: () => Promise<SessionUser | null>) {
  const action = makeAdminAction(getUser);
  return {
    updateSessionPolicy: action(updateSessionPolicySchema, ({ db, actor }, input) => updateSessionPolicy(db, actor, input)),
  };
}
