import { randomUUID } from 'node:crypto';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import type { Actor } from '../actions/actor';
import { fieldFail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { clientChangedAfterCommit } from './changed';
import { expirationOf } from './fields.schema';
import { insertNewClient } from './new-client';
import { insertSecret, secretPolicyRefusal } from './secrets';
import type { CreateUserClientInput } from './user-client.schema';
import { REDIRECT_URIS_REQUIRED } from '../oidc/uris';

export type CreatedUserClient = {
  clientId: string;
  name: string;
  clientType: 'authorization_code' | 'hybrid' | 'device_code';
  /** Hybrid only: the plaintext secret, returned once, from here only. null for Authorization Code clients. */
  secret: string | null;
  secretId: number | null;
};

/**
 * Add an Authorization Code client (public: redirect URLs, no secret), a Hybrid client (confidential: redirect URLs
 * and a first hashed secret) or a Device Code client (public, no redirect URLs: RFC 8628): the client
 * (lib/clients/new-client.ts, as for client-credentials clients: roles, API access, the tenant's limit), the secret and
 * the audit event in one transaction, the Hybrid client's first secret held to the tenant's credential policy.
 * `options.enabled: false` (the REST API's `Enabled`) adds it disabled, in the same transaction: an Authorization
 * Code client needs no secret, so a client enabled for a moment could already sign users in.
 */
export async function createUserClient(
  db: Db,
  actor: Actor,
  input: CreateUserClientInput,
  options: { enabled?: boolean } = {},
): Promise<ActionResult<CreatedUserClient>> {
  const enabled = options.enabled ?? true;
  const clientId = input.clientId ?? randomUUID();
  const hybrid = input.clientType === 'hybrid';
  const expiresAt = hybrid ? expirationOf(input) : null;
  const allowedCorsOrigins = input.clientType === 'authorization_code' ? input.allowedCorsOrigins : [];
  // A Device Code client has no redirect URLs: the user approves the device at /device (RFC 8628).
  const device = input.clientType === 'device_code';
  const redirectUris = device ? [] : input.redirectUris;
  const postLogoutRedirectUris = device ? [] : input.postLogoutRedirectUris;
  if (!device && redirectUris.length === 0) return fieldFail({ redirectUris: REDIRECT_URIS_REQUIRED });
  return inTransaction(db, async (tx, afterCommit): Promise<ActionResult<CreatedUserClient>> => {
    const inserted = await insertNewClient(
      tx,
      actor,
      {
        id: clientId,
        clientType: input.clientType,
        name: input.name,
        enabled,
        tokenLifetime: input.tokenLifetime,
        redirectUris,
        postLogoutRedirectUris,
        allowedCorsOrigins,
        refreshTokenLifetime: input.refreshTokenLifetime,
      },
      { roleIds: input.roleIds, apiAccess: input.apiAccess },
      // Only a Hybrid client starts with a secret, held to the tenant's credential policy like every other secret.
      () => (hybrid ? secretPolicyRefusal(tx, actor.tenantId, expiresAt) : Promise.resolve(null)),
    );
    if (!inserted.ok) return inserted;
    clientChangedAfterCommit(afterCommit, clientId);
    const written = hybrid ? await insertSecret(tx, actor, clientId, { description: input.description, expiresAt }) : null;
    await recordAudit(tx, actor, {
      action: 'client.created',
      targetType: 'client',
      targetId: clientId,
      details: {
        name: input.name,
        clientType: input.clientType,
        tokenLifetime: input.tokenLifetime,
        refreshTokenLifetime: input.refreshTokenLifetime,
        redirectUris,
        postLogoutRedirectUris,
        allowedCorsOrigins,
        roles: inserted.data.roleNames,
        ...inserted.data.apiAccessDetails,
        ...(enabled ? {} : { enabled: false }),
        ...(written ? { secret: written.details } : {}),
      },
    });
    return ok({ clientId, name: input.name, clientType: input.clientType, secret: written?.secret ?? null, secretId: written?.secretId ?? null });
  });
}
