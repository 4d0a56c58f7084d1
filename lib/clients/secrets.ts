import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { clientSecrets } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, fieldFail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { displayHint, generateSecret, hashSecret } from '../secrets/secret';
import { clientChangedAfterCommit } from './changed';
import { expirationOf } from './fields.schema';
import { MAX_SECRETS_PER_CLIENT } from './limits';
import { lockClient } from './lock';
import { CLIENT_NOT_FOUND, SECRET_LIMIT, SECRET_NOT_FOUND } from './messages';
import type { AddSecretInput, RemoveSecretInput, UpdateSecretInput } from './secret.schema';
import { sameMinute } from './secret.schema';
import { getCredentialPolicy, policyErrors, SECRETS_NOT_ALLOWED } from '../policy/credential-policy';

/*
 * A client's secrets. Each operation locks the client row first (tenant-scoped), so the 10-secret limit holds
 * under concurrent requests, and a secret of another tenant's client is "not found" like an unknown one.
 * Audit events name a secret by id and display hint only. Pass the database, not a transaction.
 */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export type WrittenSecret = {
  /** The plaintext: returned once, to the one-time window or the API's answer. Never log it or store it. */
  secret: string;
  secretId: number;
  /** What the audit event says of it: id, display hint, description and expiry, never the value. */
  details: { id: number; hint: string; description: string; expiresAt: string | null };
};

/**
 * Generate a secret and store its hash and display hint, inside the caller's transaction (Add Secret, and a new
 * client's first secret). The caller has locked the client and checked the limit and the tenant's policy.
 */
export async function insertSecret(
  tx: Db,
  actor: Actor,
  clientId: string,
  input: { description: string; expiresAt: Date | null },
  generate: () => string = generateSecret,
): Promise<WrittenSecret> {
  const secret = generate();
  const hint = displayHint(secret);
  const [row] = await tx
    .insert(clientSecrets)
    .values({ clientId, secretHash: hashSecret(secret), displayHint: hint, description: input.description, expiresAt: input.expiresAt, createdBy: actor.label })
    .returning({ id: clientSecrets.id });
  return { secret, secretId: row.id, details: { id: row.id, hint, description: input.description, expiresAt: iso(input.expiresAt) } };
}

/**
 * The tenant's credential policy for a new secret (lib/policy): refused when the tenant allows no secrets (at the
 * form, or at `secretlessField` where the form offers another credential), or when the expiry is outside what it
 * allows (at the expiry fields). Null: allowed.
 */
export async function secretPolicyRefusal(
  tx: Db,
  tenantId: string,
  expiresAt: Date | null,
  options: { secretlessField?: string } = {},
): Promise<ActionResult<never> | null> {
  const policy = await getCredentialPolicy(tx, tenantId);
  if (policy.secretlessClients) {
    return options.secretlessField ? fieldFail({ [options.secretlessField]: SECRETS_NOT_ALLOWED }) : fail(SECRETS_NOT_ALLOWED, 'invalid');
  }
  const refused = policyErrors(policy, expiresAt);
  return refused ? fieldFail(refused) : null;
}

export type AddedSecret = { clientId: string; secretId: number; secret: string };

/** Add Secret: returns the plaintext once (for the dialog); only its hash is stored. */
export async function addSecret(
  db: Db,
  actor: Actor,
  input: AddSecretInput,
  deps: { generateSecret?: () => string } = {},
): Promise<ActionResult<AddedSecret>> {
  const expiresAt = expirationOf(input);
  return inTransaction(db, async (tx, afterCommit): Promise<ActionResult<AddedSecret>> => {
    const client = await lockClient(tx, actor.tenantId, input.clientId);
    if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
    // A public client cannot keep a secret: PKCE is its proof (lib/oidc/grants.ts).
    if (client.clientType === 'authorization_code') return fail('An Authorization Code client has no secrets.', 'invalid');
    const [{ n }] = await tx.select({ n: count() }).from(clientSecrets).where(eq(clientSecrets.clientId, client.id));
    if (n >= MAX_SECRETS_PER_CLIENT) return fail(SECRET_LIMIT, 'limit');
    const refused = await secretPolicyRefusal(tx, actor.tenantId, expiresAt);
    if (refused) return refused;

    const written = await insertSecret(tx, actor, client.id, { description: input.description, expiresAt }, deps.generateSecret);
    await recordAudit(tx, actor, {
      action: 'secret.added',
      targetType: 'client',
      targetId: client.id,
      details: { name: client.name, secret: written.details },
    });
    clientChangedAfterCommit(afterCommit, client.id);
    return ok({ clientId: client.id, secretId: written.secretId, secret: written.secret });
  });
}

export type UpdatedSecret = { clientId: string; secretId: number; changed: boolean };

/** Edit Secret: description and expiration. A new expiration must be in the future; an unchanged one may have passed. */
export async function updateSecret(db: Db, actor: Actor, input: UpdateSecretInput): Promise<ActionResult<UpdatedSecret>> {
  const expiresAt = expirationOf(input);
  return inTransaction(db, async (tx, afterCommit): Promise<ActionResult<UpdatedSecret>> => {
    const client = await lockClient(tx, actor.tenantId, input.clientId);
    if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
    const [secret] = await tx
      .select()
      .from(clientSecrets)
      .where(and(eq(clientSecrets.id, input.secretId), eq(clientSecrets.clientId, client.id)));
    if (!secret) return fail(SECRET_NOT_FOUND, 'not_found');

    const expirationChanged =
      (expiresAt === null) !== (secret.expiresAt === null) ||
      (expiresAt !== null && secret.expiresAt !== null && !sameMinute(expiresAt, secret.expiresAt));
    if (expirationChanged && expiresAt && expiresAt.getTime() <= Date.now()) {
      return fieldFail({ expiresAt: 'The expiration date must be in the future.' });
    }
    // Only a new expiration is held to the policy: a description edit of an older secret is not refused.
    const refused = expirationChanged ? policyErrors(await getCredentialPolicy(tx, actor.tenantId), expiresAt) : null;
    if (refused) return fieldFail(refused);
    const changes: Record<string, unknown> = {};
    if (secret.description !== input.description) changes.description = { from: secret.description, to: input.description };
    if (expirationChanged) changes.expiresAt = { from: iso(secret.expiresAt), to: iso(expiresAt) };
    if (Object.keys(changes).length === 0) return ok({ clientId: client.id, secretId: secret.id, changed: false });

    await tx
      .update(clientSecrets)
      .set({ description: input.description, ...(expirationChanged ? { expiresAt } : {}) })
      .where(eq(clientSecrets.id, secret.id));
    await recordAudit(tx, actor, {
      action: 'secret.updated',
      targetType: 'client',
      targetId: client.id,
      details: { name: client.name, secret: { id: secret.id, hint: secret.displayHint }, changes },
    });
    clientChangedAfterCommit(afterCommit, client.id);
    return ok({ clientId: client.id, secretId: secret.id, changed: true });
  });
}

export type RemovedSecret = { clientId: string; secretId: number; remaining: number };

/** Remove Secret: any secret, including never-expiring ones and the last one (the client then gets no tokens). */
export async function removeSecret(db: Db, actor: Actor, input: RemoveSecretInput): Promise<ActionResult<RemovedSecret>> {
  return inTransaction(db, async (tx, afterCommit): Promise<ActionResult<RemovedSecret>> => {
    const client = await lockClient(tx, actor.tenantId, input.clientId);
    if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
    const [removed] = await tx
      .delete(clientSecrets)
      .where(and(eq(clientSecrets.id, input.secretId), eq(clientSecrets.clientId, client.id)))
      .returning();
    if (!removed) return fail(SECRET_NOT_FOUND, 'not_found');
    const [{ n }] = await tx.select({ n: count() }).from(clientSecrets).where(eq(clientSecrets.clientId, client.id));
    await recordAudit(tx, actor, {
      action: 'secret.removed',
      targetType: 'client',
      targetId: client.id,
      details: {
        name: client.name,
        secret: { id: removed.id, hint: removed.displayHint, description: removed.description, expiresAt: iso(removed.expiresAt) },
        remaining: n,
      },
    });
    clientChangedAfterCommit(afterCommit, client.id);
    return ok({ clientId: client.id, secretId: removed.id, remaining: n });
  });
}
