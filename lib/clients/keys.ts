import { and, asc, count, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { clientKeys } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, fieldFail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { fetchJwks } from '../keys/jwks-url';
import { parsePublicKey } from '../keys/public-key';
import { uniqueViolation } from '../roles/db-errors';
import { clientChangedAfterCommit } from './changed';
import { expirationOf } from './fields.schema';
import type { AddKeyInput, RemoveKeyInput } from './key.schema';
import { MAX_KEYS_PER_CLIENT } from './limits';
import { lockClient } from './lock';
import { CLIENT_NOT_FOUND, KEY_LIMIT, KEY_NOT_FOUND } from './messages';

/*
 * A client's public keys (private_key_jwt). Like secrets: each operation locks the client row first (tenant-scoped),
 * so the limit of 10 holds under concurrent requests, and another tenant's client is "not found" like an unknown one.
 * Only public keys are stored. Pass the database, not a transaction.
 */

const iso = (d: Date | null) => (d ? d.toISOString() : null);

export type ClientKeyRow = {
  id: number;
  source: 'pem' | 'jwk' | 'jwks_url';
  kid: string | null;
  alg: string | null;
  /** false: registered without an algorithm; an RSA key then accepts RS256 and PS256 (lastUsedAlg says which came last). */
  algExact: boolean;
  lastUsedAlg: string | null;
  thumbprint: string | null;
  jwksUrl: string | null;
  description: string;
  expiresAt: Date | null;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
};

/** The algorithms an assertion signed with this key may use (lib/keys/public-key.ts); none for a JWKS URL row. */
export function keyAlgorithms(row: Pick<ClientKeyRow, 'source' | 'alg' | 'algExact'>): string[] {
  if (row.source === 'jwks_url' || !row.alg) return [];
  if (row.algExact) return [row.alg];
  return row.alg === 'RS256' || row.alg === 'PS256' ? ['RS256', 'PS256'] : [row.alg];
}

export async function listKeys(db: Db, clientId: string): Promise<ClientKeyRow[]> {
  const rows = await db
    .select({
      id: clientKeys.id,
      source: clientKeys.source,
      kid: clientKeys.kid,
      alg: clientKeys.alg,
      algExact: clientKeys.algExact,
      lastUsedAlg: clientKeys.lastUsedAlg,
      thumbprint: clientKeys.thumbprint,
      jwksUrl: clientKeys.jwksUrl,
      description: clientKeys.description,
      expiresAt: clientKeys.expiresAt,
      createdAt: clientKeys.createdAt,
      createdBy: clientKeys.createdBy,
      lastUsedAt: clientKeys.lastUsedAt,
    })
    .from(clientKeys)
    .where(eq(clientKeys.clientId, clientId))
    .orderBy(asc(clientKeys.id));
  return rows as ClientKeyRow[];
}

export type AddedKey = { clientId: string; keyId: number };

const DUPLICATE_KEY = { publicKey: 'This client already has this key.' };
const DUPLICATE_URL = { jwksUrl: 'This client already has this JWKS URL.' };

/** The values to store for an Add Key input (parsed again: the schema only said it is valid), or field errors. */
export async function keyValues(input: AddKeyInput): Promise<ActionResult<Omit<typeof clientKeys.$inferInsert, 'clientId' | 'createdBy'>>> {
  const common = { description: input.description, expiresAt: expirationOf(input) };
  if (input.source === 'jwks_url') {
    const fetched = await fetchJwks(input.jwksUrl);
    if (!fetched.ok) return fieldFail({ jwksUrl: fetched.message });
    return ok({ ...common, source: 'jwks_url', jwksUrl: new URL(input.jwksUrl.trim()).toString() });
  }
  const parsed = parsePublicKey(input.publicKey);
  if (!parsed.ok) return fieldFail({ publicKey: parsed.message });
  const { key } = parsed;
  return ok({ ...common, source: key.source, kid: key.kid, alg: key.alg, algExact: key.algExact, thumbprint: key.thumbprint, publicJwk: key.jwk });
}

/** Insert a key in the caller's transaction (client locked by the caller), with its audit event. */
export async function insertKey(
  tx: Db,
  actor: Actor,
  client: { id: string; name: string },
  values: Omit<typeof clientKeys.$inferInsert, 'clientId' | 'createdBy'>,
): Promise<number> {
  const [row] = await tx
    .insert(clientKeys)
    .values({ ...values, clientId: client.id, createdBy: actor.label })
    .returning({ id: clientKeys.id });
  await recordAudit(tx, actor, {
    action: 'key.added',
    targetType: 'client',
    targetId: client.id,
    details: {
      name: client.name,
      key: {
        id: row.id,
        source: values.source,
        kid: values.kid ?? null,
        alg: values.alg ?? null,
        algExact: values.algExact ?? true,
        thumbprint: values.thumbprint ?? null,
        jwksUrl: values.jwksUrl ?? null,
        description: values.description ?? '',
        expiresAt: iso(values.expiresAt ?? null),
      },
    },
  });
  return row.id;
}

/** Add Key: a public key or a JWKS URL (fetched once now, so a wrong URL is reported at the field). */
export async function addKey(db: Db, actor: Actor, input: AddKeyInput): Promise<ActionResult<AddedKey>> {
  const values = await keyValues(input);
  if (!values.ok) return values;
  try {
    return await inTransaction(db, async (tx, afterCommit): Promise<ActionResult<AddedKey>> => {
      const client = await lockClient(tx, actor.tenantId, input.clientId);
      if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
      // private_key_jwt authenticates the client_credentials grant; sign-in clients use PKCE or their secret.
      if (client.clientType !== 'client_credentials') return fail('Only a client-credentials client has keys.', 'invalid');
      const [{ n }] = await tx.select({ n: count() }).from(clientKeys).where(eq(clientKeys.clientId, client.id));
      if (n >= MAX_KEYS_PER_CLIENT) return fail(KEY_LIMIT, 'limit');
      const keyId = await insertKey(tx, actor, client, values.data);
      clientChangedAfterCommit(afterCommit, client.id);
      return ok({ clientId: client.id, keyId });
    });
  } catch (err) {
    if (uniqueViolation(err) !== null) return fieldFail(input.source === 'jwks_url' ? DUPLICATE_URL : DUPLICATE_KEY);
    throw err;
  }
}

export type RemovedKey = { clientId: string; keyId: number; remaining: number };

/** Remove Key: the client's assertions signed with it are refused from now on, on every instance. */
export async function removeKey(db: Db, actor: Actor, input: RemoveKeyInput): Promise<ActionResult<RemovedKey>> {
  return inTransaction(db, async (tx, afterCommit): Promise<ActionResult<RemovedKey>> => {
    const client = await lockClient(tx, actor.tenantId, input.clientId);
    if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
    const [removed] = await tx
      .delete(clientKeys)
      .where(and(eq(clientKeys.id, input.keyId), eq(clientKeys.clientId, client.id)))
      .returning();
    if (!removed) return fail(KEY_NOT_FOUND, 'not_found');
    const [{ n }] = await tx.select({ n: count() }).from(clientKeys).where(eq(clientKeys.clientId, client.id));
    await recordAudit(tx, actor, {
      action: 'key.removed',
      targetType: 'client',
      targetId: client.id,
      details: {
        name: client.name,
        key: { id: removed.id, source: removed.source, kid: removed.kid, thumbprint: removed.thumbprint, jwksUrl: removed.jwksUrl, description: removed.description },
        remaining: n,
      },
    });
    clientChangedAfterCommit(afterCommit, client.id);
    return ok({ clientId: client.id, keyId: removed.id, remaining: n });
  });
}
