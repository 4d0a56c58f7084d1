import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { tenantSettings } from '../db/schema';
import type { Actor } from '../actions/actor';
import { ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { tenantRequiresAdminMfa } from '../auth/mfa/factors';
import type { UpdateMfaPolicyInput } from '../auth/mfa/mfa.schema';

/**
 * Security > Settings: "Require multi-factor authentication for Tenant Administrators". On for a tenant without a
 * settings row (every new tenant); an administrator without a factor is then sent to Account > Security to set one
 * up before any other page or action (lib/auth/session.ts, lib/actions/admin-action.ts).
 */
export type MfaPolicy = { requireAdminMfa: boolean };

export async function getMfaPolicy(db: Db, tenantId: string): Promise<MfaPolicy> {
  return { requireAdminMfa: await tenantRequiresAdminMfa(db, tenantId) };
}

export async function updateMfaPolicy(db: Db, actor: Actor, input: UpdateMfaPolicyInput): Promise<ActionResult<MfaPolicy>> {
  return inTransaction(db, async (tx) => {
    const before = await getMfaPolicy(tx, actor.tenantId);
    await tx
      .insert(tenantSettings)
      .values({ tenantId: actor.tenantId, requireAdminMfa: input.requireAdminMfa, updatedBy: actor.label })
      .onConflictDoUpdate({
        target: tenantSettings.tenantId,
        set: { requireAdminMfa: input.requireAdminMfa, updatedBy: actor.label, updatedAt: new Date() },
      });
    await recordAudit(tx, actor, {
      action: 'mfa.policy_updated',
      targetType: 'tenant',
      targetId: actor.tenantId,
      details: { changes: { requireAdminMfa: { from: before.requireAdminMfa, to: input.requireAdminMfa } } },
    });
    return ok({ requireAdminMfa: input.requireAdminMfa });
  });
}
