import { and, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction, type AfterCommit } from '../db/transaction';
import { clientRoles, clients, clientSecrets } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, fieldFail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { assignableRoleIds, clientRoleIds } from '../roles/queries';
import { clientChangedAfterCommit } from './changed';
import { lockClient } from './lock';
import { CLIENT_NOT_FOUND, conflictMessage, UNASSIGNABLE_ROLES } from './messages';
import { roleNamesOf } from './roles';
import { planApiAccessField, writeClientApiAccess } from './api-access';
import type { RemoveClientInput, SetClientEnabledInput, UpdateClientInput } from './update-client.schema';

/*
 * Changes to an existing client. Each runs in one transaction that starts by locking the client row (tenant-scoped:
 * another tenant's id is "not found", like an unknown one), writes its audit event in the same transaction, and
 * after the commit tells the token service (clientChanged, registered where the change is written). Pass the database,
 * not a transaction; the `...In` variants run inside the caller's (lib/db/transaction.ts inTransaction).
 */

export type UpdatedClient = { clientId: string; version: number; changed: boolean };

/**
 * Edit Client: name, token lifetime, roles (Tenant Member is kept whatever is sent), Require DPoP and API access. Optimistic concurrency: the
 * save must be based on the client's current version, so a later save cannot silently undo an earlier one.
 */
export async function updateClient(db: Db, actor: Actor, input: UpdateClientInput): Promise<ActionResult<UpdatedClient>> {
  return inTransaction(db, (tx, afterCommit) => updateClientIn(tx, afterCommit, actor, input));
}

/**
 * Edit Client inside the caller's transaction, for operations that make several changes at once
 * (lib/clients/replace-client.ts). Writes nothing when it fails; a change is announced after the caller's commit.
 */
export async function updateClientIn(
  tx: Db,
  afterCommit: AfterCommit,
  actor: Actor,
  input: UpdateClientInput,
): Promise<ActionResult<UpdatedClient>> {
  const client = await lockClient(tx, actor.tenantId, input.clientId);
  if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
  if (client.version !== input.version) return fail(conflictMessage(client.updatedBy), 'conflict');

  const allowed = await assignableRoleIds(tx, actor.tenantId, input.roleIds);
  if (allowed.size !== input.roleIds.length) return fieldFail({ roleIds: UNASSIGNABLE_ROLES });
  const access = await planApiAccessField(tx, actor.tenantId, client.id, input.apiAccess);
  if (!access.ok) return access;

  const wanted = await clientRoleIds(tx, actor.tenantId, input.roleIds);
  const current = (await tx.select({ id: clientRoles.roleId }).from(clientRoles).where(eq(clientRoles.clientId, client.id))).map(
    (r) => r.id,
  );
  const added = wanted.filter((id) => !current.includes(id));
  const removed = current.filter((id) => !wanted.includes(id));

  const changes: Record<string, unknown> = {};
  if (client.name !== input.name) changes.name = { from: client.name, to: input.name };
  if (client.tokenLifetime !== input.tokenLifetime) changes.tokenLifetime = { from: client.tokenLifetime, to: input.tokenLifetime };
  const requireDpop = input.requireDpop ?? client.requireDpop;
  if (client.requireDpop !== requireDpop) changes.requireDpop = { from: client.requireDpop, to: requireDpop };
  if (added.length) changes.rolesAdded = await roleNamesOf(tx, added);
  if (removed.length) changes.rolesRemoved = await roleNamesOf(tx, removed);
  if (access.data?.changed) changes.apiAccess = { from: access.data.from, to: access.data.to };
  if (Object.keys(changes).length === 0) return ok({ clientId: client.id, version: client.version, changed: false });

  const [updated] = await tx
    .update(clients)
    .set({
      name: input.name,
      tokenLifetime: input.tokenLifetime,
      requireDpop,
      version: sql`${clients.version} + 1`,
      updatedAt: new Date(),
      updatedBy: actor.label,
    })
    .where(and(eq(clients.id, client.id), eq(clients.version, input.version)))
    .returning({ version: clients.version });
  if (removed.length) {
    await tx.delete(clientRoles).where(and(eq(clientRoles.clientId, client.id), inArray(clientRoles.roleId, removed)));
  }
  if (added.length) {
    await tx.insert(clientRoles).values(added.map((roleId) => ({ clientId: client.id, roleId }))).onConflictDoNothing();
  }
  if (access.data) await writeClientApiAccess(tx, client.id, access.data);
  clientChangedAfterCommit(afterCommit, client.id);
  await recordAudit(tx, actor, {
    action: 'client.updated',
    targetType: 'client',
    targetId: client.id,
    details: { name: input.name, changes },
  });
  return ok({ clientId: client.id, version: updated.version, changed: true });
}

export type ClientStatus = { clientId: string; enabled: boolean; version: number; changed: boolean };

/** Disable Client / Enable Client. A disabled client gets no tokens. Doing it twice is not an error. */
export async function setClientEnabled(db: Db, actor: Actor, input: SetClientEnabledInput): Promise<ActionResult<ClientStatus>> {
  return inTransaction(db, (tx, afterCommit) => setClientEnabledIn(tx, afterCommit, actor, input));
}

/** Disable / Enable inside the caller's transaction (see updateClientIn). */
export async function setClientEnabledIn(
  tx: Db,
  afterCommit: AfterCommit,
  actor: Actor,
  input: SetClientEnabledInput,
): Promise<ActionResult<ClientStatus>> {
  const client = await lockClient(tx, actor.tenantId, input.clientId);
  if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
  if (client.enabled === input.enabled) {
    return ok({ clientId: client.id, enabled: client.enabled, version: client.version, changed: false });
  }
  const [updated] = await tx
    .update(clients)
    .set({ enabled: input.enabled, version: sql`${clients.version} + 1`, updatedAt: new Date(), updatedBy: actor.label })
    .where(eq(clients.id, client.id))
    .returning({ version: clients.version });
  clientChangedAfterCommit(afterCommit, client.id);
  await recordAudit(tx, actor, {
    action: input.enabled ? 'client.enabled' : 'client.disabled',
    targetType: 'client',
    targetId: client.id,
    details: { name: client.name },
  });
  return ok({ clientId: client.id, enabled: input.enabled, version: updated.version, changed: true });
}

export type RemovedClient = { clientId: string; name: string; secretsRemoved: number };

/** Remove Client: the client, its roles and its secrets, in one transaction with the audit event. */
export async function removeClient(db: Db, actor: Actor, input: RemoveClientInput): Promise<ActionResult<RemovedClient>> {
  return inTransaction(db, async (tx, afterCommit): Promise<ActionResult<RemovedClient>> => {
    const client = await lockClient(tx, actor.tenantId, input.clientId);
    if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
    const roleIds = (await tx.select({ id: clientRoles.roleId }).from(clientRoles).where(eq(clientRoles.clientId, client.id))).map(
      (r) => r.id,
    );
    const secrets = await tx
      .delete(clientSecrets)
      .where(eq(clientSecrets.clientId, client.id))
      .returning({ id: clientSecrets.id });
    await tx.delete(clientRoles).where(eq(clientRoles.clientId, client.id));
    await tx.delete(clients).where(eq(clients.id, client.id));
    clientChangedAfterCommit(afterCommit, client.id);
    await recordAudit(tx, actor, {
      action: 'client.removed',
      targetType: 'client',
      targetId: client.id,
      details: {
        name: client.name,
        tokenLifetime: client.tokenLifetime,
        roles: await roleNamesOf(tx, roleIds),
        secretsRemoved: secrets.length,
      },
    });
    return ok({ clientId: client.id, name: client.name, secretsRemoved: secrets.length });
  });
}

