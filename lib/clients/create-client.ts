import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import type { Actor } from '../actions/actor';
import { ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import type { CreateClientInput } from './create-client.schema';
import { federatedOfCreateInput } from './create-client.schema';
import { expirationOf } from './fields.schema';
import { clientChangedAfterCommit } from './changed';
import { insertKey, keyValues } from './keys';
import { insertNewClient } from './new-client';
import { insertSecret, secretPolicyRefusal } from './secrets';
import { federatedValues, insertFederatedCredential } from './federated/credentials';

export type CreatedClient = {
  clientId: string;
  name: string;
  /** The plaintext secret: returned once, from here only. Never log it or put it anywhere else. null: added with a key. */
  secret: string | null;
  secretId: number | null;
  /** The public key's id, when the client was added with a key instead of a secret. */
  keyId?: number;
  /** The federated credential's id, when the client was added with one instead of a secret. */
  federatedCredentialId?: number;
};

/**
 * Add a client-credentials client: the client (lib/clients/new-client.ts: Tenant Member plus the selected roles, API
 * access, the tenant's limit), its first credential (a hashed secret, a public key or a federated credential) and the
 * audit event, in one transaction. `options.enabled: false` (the REST API's `Enabled`) adds it disabled in the same
 * transaction. `options.generateSecret` lets tests make a later step fail to check that nothing is left behind.
 * Pass the database, not a transaction: the change notification goes out after the commit.
 */
export async function createClient(
  db: Db,
  actor: Actor,
  input: CreateClientInput,
  options: { generateSecret?: () => string; enabled?: boolean } = {},
): Promise<ActionResult<CreatedClient>> {
  const enabled = options.enabled ?? true;
  const clientId = input.clientId ?? randomUUID();
  const expiresAt = expirationOf(input);
  // With a public key: parsed (and a private key refused) before anything is written.
  const key = input.credential === 'key' ? await keyValues({ ...input, source: 'key', jwksUrl: '', clientId }) : null;
  if (key && !key.ok) return key;
  // With a federated credential: its pasted JWKS parsed, or its issuer's keys fetched once, before anything is written.
  const federated = input.credential === 'federated' ? await federatedValues(federatedOfCreateInput(input)) : null;
  if (federated && !federated.ok) {
    return { ...federated, fieldErrors: Object.fromEntries(Object.entries(federated.fieldErrors ?? {}).map(([k, v]) => [`federated.${k}`, v])) };
  }
  return inTransaction(db, async (tx, afterCommit): Promise<ActionResult<CreatedClient>> => {
    const inserted = await insertNewClient(
      tx,
      actor,
      { id: clientId, clientType: 'client_credentials', name: input.name, enabled, tokenLifetime: input.tokenLifetime },
      { roleIds: input.roleIds, apiAccess: input.apiAccess },
      // The policy is about secrets: a public key or a federated credential has nothing to leak.
      () => (key || federated ? Promise.resolve(null) : secretPolicyRefusal(tx, actor.tenantId, expiresAt, { secretlessField: 'credential' })),
    );
    if (!inserted.ok) return inserted;
    clientChangedAfterCommit(afterCommit, clientId);
    const { roleNames, apiAccessDetails } = inserted.data;
    const created = (details: Record<string, unknown>) =>
      recordAudit(tx, actor, {
        action: 'client.created',
        targetType: 'client',
        targetId: clientId,
        details: {
          name: input.name,
          tokenLifetime: input.tokenLifetime,
          roles: roleNames,
          ...apiAccessDetails,
          ...(enabled ? {} : { enabled: false }),
          ...details,
        },
      });

    if (key?.ok) {
      await created({ credential: 'key' });
      const keyId = await insertKey(tx, actor, { id: clientId, name: input.name }, key.data);
      return ok({ clientId, name: input.name, secret: null, secretId: null, keyId });
    }
    if (federated?.ok) {
      await created({ credential: 'federated' });
      const federatedCredentialId = await insertFederatedCredential(tx, actor, { id: clientId, name: input.name }, federated.data);
      return ok({ clientId, name: input.name, secret: null, secretId: null, federatedCredentialId });
    }
    const written = await insertSecret(tx, actor, clientId, { description: input.description, expiresAt }, options.generateSecret);
    await created({ secret: written.details });
    return ok({ clientId, name: input.name, secret: written.secret, secretId: written.secretId });
  });
}
