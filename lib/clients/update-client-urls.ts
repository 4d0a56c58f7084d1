import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction, type AfterCommit } from '../db/transaction';
import { clients } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, fieldFail, ok, type ActionResult } from '../actions/result';
import { REDIRECT_URIS_REQUIRED } from '../oidc/uris';
import { recordAudit } from '../audit/audit';
import { clientChangedAfterCommit } from './changed';
import { isUserClientType } from './client-types';
import { lockClient } from './lock';
import { CLIENT_NOT_FOUND, conflictMessage } from './messages';
import type { UpdatedClient } from './update-client';
import type { UpdateClientUrlsInput } from './user-client.schema';

const sameList = (a: string[], b: string[]) => a.length === b.length && a.every((v, i) => v === b[i]);

/**
 * Edit Sign-In Settings of an Authorization Code, Hybrid or Device Code client: Redirect URLs, Post Logout Redirect
 * URLs (not Device Code), Allowed CORS Origins (Authorization Code only) and the Refresh Token lifetime, with the same locking, version check and
 * audit as Edit Client. A client-credentials client is "not found" here: it has no such settings.
 */
export async function updateClientUrls(db: Db, actor: Actor, input: UpdateClientUrlsInput): Promise<ActionResult<UpdatedClient>> {
  return inTransaction(db, (tx, afterCommit) => updateClientUrlsIn(tx, afterCommit, actor, input));
}

/** Edit Sign-In Settings inside the caller's transaction; a change is announced after the caller's commit. */
export async function updateClientUrlsIn(
  tx: Db,
  afterCommit: AfterCommit,
  actor: Actor,
  input: UpdateClientUrlsInput,
): Promise<ActionResult<UpdatedClient>> {
  const client = await lockClient(tx, actor.tenantId, input.clientId);
  if (!client || !isUserClientType(client.clientType)) return fail(CLIENT_NOT_FOUND, 'not_found');
  if (client.version !== input.version) return fail(conflictMessage(client.updatedBy), 'conflict');
  // A Device Code client has no URLs (whatever was sent); the other types need a Redirect URL.
  const device = client.clientType === 'device_code';
  if (!device && input.redirectUris.length === 0) return fieldFail({ redirectUris: REDIRECT_URIS_REQUIRED });
  const next = {
    redirectUris: device ? [] : input.redirectUris,
    postLogoutRedirectUris: device ? [] : input.postLogoutRedirectUris,
    allowedCorsOrigins: client.clientType === 'authorization_code' ? input.allowedCorsOrigins : [],
    refreshTokenLifetime: input.refreshTokenLifetime,
  };
  const changes: Record<string, unknown> = {};
  for (const key of ['redirectUris', 'postLogoutRedirectUris', 'allowedCorsOrigins'] as const) {
    if (!sameList(client[key], next[key])) changes[key] = { from: client[key], to: next[key] };
  }
  if (client.refreshTokenLifetime !== next.refreshTokenLifetime) {
    changes.refreshTokenLifetime = { from: client.refreshTokenLifetime, to: next.refreshTokenLifetime };
  }
  if (Object.keys(changes).length === 0) return ok({ clientId: client.id, version: client.version, changed: false });
  const [updated] = await tx
    .update(clients)
    .set({ ...next, version: sql`${clients.version} + 1`, updatedAt: new Date(), updatedBy: actor.label })
    .where(and(eq(clients.id, client.id), eq(clients.version, input.version)))
    .returning({ version: clients.version });
  clientChangedAfterCommit(afterCommit, client.id);
  await recordAudit(tx, actor, { action: 'client.updated', targetType: 'client', targetId: client.id, details: changes });
  return ok({ clientId: client.id, version: updated.version, changed: true });
}
