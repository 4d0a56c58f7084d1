import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { tenantSettings } from '../db/schema';
import type { Actor } from '../actions/actor';
import { ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
const DAY_MS = 86_400_000;
import type { UpdateCredentialPolicyInput } from './credential-policy.schema';

/**
 * The tenant's credential policy (Security > Settings): the longest a secret may live, and whether Never Expires is
 * allowed. Enforced by every write of a secret's expiration (Create Secret in Add Client, Add Secret, Edit Secret,
 * and the same operations over the REST API), in the writer's transaction.
 */
export type CredentialPolicy = { maxSecretLifetimeDays: number | null; allowNeverExpires: boolean; secretlessClients: boolean };
export const NO_POLICY: CredentialPolicy = { maxSecretLifetimeDays: null, allowNeverExpires: true, secretlessClients: false };

/**
 * "Clients may only use keys and federated credentials (no secrets)": Add Secret, Add Client's Create Secret with a
 * Client Secret, and a Hybrid client's first secret are refused, in the console and over the REST API. Existing secrets
 * keep working until they expire or are removed.
 */
export const SECRETS_NOT_ALLOWED =
  'Your tenant\'s credential policy allows only keys and federated credentials for clients: no new secrets. Add a public key or a federated credential instead.';

export async function getCredentialPolicy(db: Db, tenantId: string): Promise<CredentialPolicy> {
  const [row] = await db
    .select({
      maxSecretLifetimeDays: tenantSettings.maxSecretLifetimeDays,
      allowNeverExpires: tenantSettings.allowNeverExpires,
      secretlessClients: tenantSettings.secretlessClients,
    })
    .from(tenantSettings)
    .where(eq(tenantSettings.tenantId, tenantId));
  return row ?? NO_POLICY;
}

export const neverExpiresRefused = () => 'Your tenant\'s credential policy does not allow secrets that never expire. Choose an expiration date.';
export const lifetimeRefused = (days: number) =>
  `Your tenant's credential policy allows secrets to live at most ${days} ${days === 1 ? 'day' : 'days'}: choose a date on or before ${new Date(Date.now() + days * DAY_MS).toISOString().slice(0, 10)}.`;

/** Field errors (keys as the secret schemas name them) for an expiration the policy refuses, or null. */
export function policyErrors(policy: CredentialPolicy, expiresAt: Date | null, now = Date.now()): Record<string, string> | null {
  if (expiresAt === null) return policy.allowNeverExpires ? null : { neverExpires: neverExpiresRefused() };
  // A minute of slack: the form's default (exactly the maximum) must not fail by the seconds it took to submit.
  if (policy.maxSecretLifetimeDays !== null && expiresAt.getTime() > now + policy.maxSecretLifetimeDays * DAY_MS + 60_000) {
    return { expiresAt: lifetimeRefused(policy.maxSecretLifetimeDays) };
  }
  return null;
}

export async function updateCredentialPolicy(
  db: Db,
  actor: Actor,
  input: UpdateCredentialPolicyInput,
): Promise<ActionResult<CredentialPolicy>> {
  return inTransaction(db, async (tx) => {
    const before = await getCredentialPolicy(tx, actor.tenantId);
    const next: CredentialPolicy = {
      maxSecretLifetimeDays: input.maxSecretLifetimeDays,
      allowNeverExpires: input.allowNeverExpires,
      secretlessClients: input.secretlessClients,
    };
    await tx
      .insert(tenantSettings)
      .values({ tenantId: actor.tenantId, ...next, updatedBy: actor.label })
      .onConflictDoUpdate({ target: tenantSettings.tenantId, set: { ...next, updatedBy: actor.label, updatedAt: new Date() } });
    await recordAudit(tx, actor, {
      action: 'policy.updated',
      targetType: 'tenant',
      targetId: actor.tenantId,
      details: { changes: { from: before, to: next } },
    });
    return ok(next);
  });
}
