import { and, asc, count, eq } from 'drizzle-orm';
import { isDeepStrictEqual } from 'node:util';
import type { Db } from '../../db';
import { inTransaction } from '../../db/transaction';
import { clientFederatedCredentials, type FederatedCondition } from '../../db/schema';
import type { Actor } from '../../actions/actor';
import { fail, fieldFail, ok, type ActionResult } from '../../actions/result';
import { recordAudit } from '../../audit/audit';
import { clientChangedAfterCommit } from '../changed';
import { lockClient } from '../lock';
import { CLIENT_NOT_FOUND } from '../messages';
import { uniqueViolation } from '../../roles/db-errors';
import { allowHttpLoopback } from '../../net/outbound-fetch';
import {
  MAX_FEDERATED_PER_CLIENT,
  type AddFederatedCredentialInput,
  type FederatedFieldsInput,
  type RemoveFederatedCredentialInput,
  type UpdateFederatedCredentialInput,
} from './federated-credential.schema';
import { fetchIssuerKeys, parsePastedJwks } from '../../tokens/federation/issuer-keys';

/*
 * A client's federated credentials. Like keys and secrets: each write locks the client row first (tenant-scoped), so
 * the limit of 20 holds under concurrent requests, and another tenant's client is "not found" like an unknown one.
 * Nothing secret is stored. Pass the database, not a transaction.
 */

export const FEDERATED_LIMIT = `This client already has ${MAX_FEDERATED_PER_CLIENT} federated credentials, the most it can have. Remove one before adding another.`;
export const FEDERATED_NOT_FOUND = 'This federated credential does not exist any more: it may have been removed. Reload the list.';
const DUPLICATE_NAME = { name: 'This client already has a federated credential with this name.' };

export type FederatedCredentialRow = {
  id: number;
  name: string;
  preset: string;
  issuer: string;
  audience: string;
  subject: string;
  subjectOperator: 'equals' | 'glob';
  conditions: FederatedCondition[];
  /** Whether the issuer's keys were pasted (else fetched by OIDC discovery); the keys themselves are public. */
  keySource: 'discovery' | 'pasted';
  keyIds: string[];
  /** The pasted JWK Set as JSON text (public keys only), for Edit; '' with discovery. */
  jwksText: string;
  maxTokenAgeSeconds: number;
  singleUse: boolean;
  enabled: boolean;
  expiresAt: Date | null;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  lastFailureAt: Date | null;
  lastFailureReason: string | null;
};

export async function listFederatedCredentials(db: Db, clientId: string): Promise<FederatedCredentialRow[]> {
  const rows = await db
    .select()
    .from(clientFederatedCredentials)
    .where(eq(clientFederatedCredentials.clientId, clientId))
    .orderBy(asc(clientFederatedCredentials.id));
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    preset: r.preset,
    issuer: r.issuer,
    audience: r.audience,
    subject: r.subject,
    subjectOperator: r.subjectOperator as 'equals' | 'glob',
    conditions: r.conditions,
    keySource: r.jwks ? 'pasted' : 'discovery',
    keyIds: (r.jwks?.keys ?? []).map((k) => String(k.kid ?? '')),
    jwksText: r.jwks ? JSON.stringify(r.jwks, null, 2) : '',
    maxTokenAgeSeconds: r.maxTokenAgeSeconds,
    singleUse: r.singleUse,
    enabled: r.enabled,
    expiresAt: r.expiresAt,
    createdAt: r.createdAt,
    createdBy: r.createdBy,
    lastUsedAt: r.lastUsedAt,
    lastFailureAt: r.lastFailureAt,
    lastFailureReason: r.lastFailureReason,
  }));
}

export type FederatedValues = Omit<typeof clientFederatedCredentials.$inferInsert, 'clientId' | 'createdBy'>;

/**
 * The values to store for the form's fields, or field errors: a pasted JWK Set is parsed (private keys refused);
 * without one the issuer's discovery document and keys are fetched once now, so a wrong or unreachable issuer is
 * reported at its field rather than at the first token request.
 */
export async function federatedValues(input: FederatedFieldsInput): Promise<ActionResult<FederatedValues>> {
  let jwks: { keys: Record<string, unknown>[] } | null = null;
  if (input.keySource === 'pasted') {
    const parsed = parsePastedJwks(input.jwks);
    if (!parsed.ok) return fieldFail({ jwks: parsed.message });
    jwks = parsed.jwks;
  } else {
    const issuerUrl = new URL(input.issuer);
    if (issuerUrl.protocol !== 'https:' && !allowHttpLoopback()) return fieldFail({ issuer: 'The issuer must use https to fetch its keys, or paste its JWK Set.' });
    const fetched = await fetchIssuerKeys(input.issuer);
    if (!fetched.ok) return fieldFail({ issuer: fetched.message });
  }
  const expiresAt = input.neverExpires ? null : (input.expiresAt ?? null);
  return ok({
    name: input.name,
    preset: input.preset,
    issuer: input.issuer,
    audience: input.audience,
    subject: input.subject,
    subjectOperator: input.subjectOperator,
    conditions: input.conditions.map((c) => ({ claim: c.claim, operator: c.operator, values: c.value })),
    jwks,
    maxTokenAgeSeconds: input.maxTokenAgeMinutes * 60,
    singleUse: input.singleUse,
    expiresAt,
  });
}

/** What the audit log keeps of a credential: everything but the pasted keys (their kids stand in). */
function auditView(id: number, v: FederatedValues & { enabled?: boolean }) {
  return {
    id,
    name: v.name,
    preset: v.preset,
    issuer: v.issuer,
    audience: v.audience,
    subject: v.subject,
    subjectOperator: v.subjectOperator,
    conditions: v.conditions ?? [],
    keys: v.jwks ? { pasted: v.jwks.keys.map((k) => k.kid ?? null) } : 'discovery',
    maxTokenAgeSeconds: v.maxTokenAgeSeconds ?? 3600,
    singleUse: v.singleUse ?? true,
    enabled: v.enabled ?? true,
    expiresAt: v.expiresAt ? v.expiresAt.toISOString() : null,
  };
}

/** Insert a credential in the caller's transaction (client locked by the caller), with its audit event. */
export async function insertFederatedCredential(tx: Db, actor: Actor, client: { id: string; name: string }, values: FederatedValues): Promise<number> {
  const [row] = await tx
    .insert(clientFederatedCredentials)
    .values({ ...values, clientId: client.id, createdBy: actor.label })
    .returning({ id: clientFederatedCredentials.id });
  await recordAudit(tx, actor, {
    action: 'federated_credential.added',
    targetType: 'client',
    targetId: client.id,
    details: { name: client.name, federatedCredential: auditView(row.id, values) },
  });
  return row.id;
}

export type AddedFederatedCredential = { clientId: string; credentialId: number };

export async function addFederatedCredential(db: Db, actor: Actor, input: AddFederatedCredentialInput): Promise<ActionResult<AddedFederatedCredential>> {
  const values = await federatedValues(input);
  if (!values.ok) return values;
  try {
    return await inTransaction(db, async (tx, afterCommit): Promise<ActionResult<AddedFederatedCredential>> => {
      const client = await lockClient(tx, actor.tenantId, input.clientId);
      if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
      if (client.clientType !== 'client_credentials') return fail('Only a client-credentials client has federated credentials.', 'invalid');
      const [{ n }] = await tx.select({ n: count() }).from(clientFederatedCredentials).where(eq(clientFederatedCredentials.clientId, client.id));
      if (n >= MAX_FEDERATED_PER_CLIENT) return fail(FEDERATED_LIMIT, 'limit');
      const credentialId = await insertFederatedCredential(tx, actor, client, values.data);
      clientChangedAfterCommit(afterCommit, client.id);
      return ok({ clientId: client.id, credentialId });
    });
  } catch (err) {
    if (uniqueViolation(err) !== null) return fieldFail(DUPLICATE_NAME);
    throw err;
  }
}

export type RemovedFederatedCredential = { clientId: string; credentialId: number; remaining: number };

/** Remove: tokens it accepted get no more access tokens from now on, on every instance. */
export async function removeFederatedCredential(
  db: Db,
  actor: Actor,
  input: RemoveFederatedCredentialInput,
): Promise<ActionResult<RemovedFederatedCredential>> {
  return inTransaction(db, async (tx, afterCommit): Promise<ActionResult<RemovedFederatedCredential>> => {
    const client = await lockClient(tx, actor.tenantId, input.clientId);
    if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
    const [removed] = await tx
      .delete(clientFederatedCredentials)
      .where(and(eq(clientFederatedCredentials.id, input.credentialId), eq(clientFederatedCredentials.clientId, client.id)))
      .returning();
    if (!removed) return fail(FEDERATED_NOT_FOUND, 'not_found');
    const [{ n }] = await tx.select({ n: count() }).from(clientFederatedCredentials).where(eq(clientFederatedCredentials.clientId, client.id));
    await recordAudit(tx, actor, {
      action: 'federated_credential.removed',
      targetType: 'client',
      targetId: client.id,
      details: {
        name: client.name,
        federatedCredential: { id: removed.id, name: removed.name, issuer: removed.issuer, subject: removed.subject },
        remaining: n,
      },
    });
    clientChangedAfterCommit(afterCommit, client.id);
    return ok({ clientId: client.id, credentialId: removed.id, remaining: n });
  });
}

export type UpdatedFederatedCredential = { clientId: string; credentialId: number; changed: string[] };

/**
 * Edit Federated Credential: every field of Add, and Enabled. Like Add, a pasted JWK Set is parsed again and, without
 * one, the issuer's keys are fetched once, before anything is written. The audit event holds the credential before and
 * after and the names of the fields that changed; the change reaches every instance's cache (the table's trigger).
 */
export async function updateFederatedCredential(
  db: Db,
  actor: Actor,
  input: UpdateFederatedCredentialInput,
): Promise<ActionResult<UpdatedFederatedCredential>> {
  const values = await federatedValues(input);
  if (!values.ok) return values;
  const next = { ...values.data, enabled: input.enabled };
  try {
    return await inTransaction(db, async (tx, afterCommit): Promise<ActionResult<UpdatedFederatedCredential>> => {
      const client = await lockClient(tx, actor.tenantId, input.clientId);
      if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
      const where = and(eq(clientFederatedCredentials.id, input.credentialId), eq(clientFederatedCredentials.clientId, client.id));
      const [current] = await tx.select().from(clientFederatedCredentials).where(where);
      if (!current) return fail(FEDERATED_NOT_FOUND, 'not_found');
      const before = auditView(current.id, current);
      const after = auditView(current.id, next);
      const changed = Object.keys(after).filter((k) => !isDeepStrictEqual(before[k as keyof typeof before], after[k as keyof typeof after]));
      // The pasted keys themselves (not only their kids) may have changed.
      if (!isDeepStrictEqual(current.jwks, next.jwks) && !changed.includes('keys')) changed.push('keys');
      if (changed.length === 0) return ok({ clientId: client.id, credentialId: current.id, changed });
      await tx.update(clientFederatedCredentials).set(next).where(where);
      await recordAudit(tx, actor, {
        action: 'federated_credential.updated',
        targetType: 'client',
        targetId: client.id,
        details: { name: client.name, federatedCredential: after, before, changed },
      });
      clientChangedAfterCommit(afterCommit, client.id);
      return ok({ clientId: client.id, credentialId: current.id, changed });
    });
  } catch (err) {
    if (uniqueViolation(err) !== null) return fieldFail(DUPLICATE_NAME);
    throw err;
  }
}
