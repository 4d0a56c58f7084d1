import { and, asc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { apiResources, clientApiAccess, clients } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, fieldFail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { clientsChangedAfterCommit } from '../roles/notify';
import { validate } from '../actions/validate';
import { clientApiAccessSchema, type ClientApiAccessInput } from './api-access.schema';
import { lockClient } from './lock';
import { CLIENT_NOT_FOUND, conflictMessage } from './messages';

/**
 * A client's API access (RFC 8707): which of the tenant's APIs (lib/apis) it may get tokens for, with all of their
 * scopes or some. Set on its own (Edit API Access, the REST API's ApiAccess) or with Add Client and Edit Client, in
 * their transaction.
 */
export type ClientApiAccess = {
  apiId: string;
  name: string;
  identifier: string;
  /** null: every scope of the API, including ones added later. */
  scopes: string[] | null;
  apiScopes: string[];
};

/** The APIs a client of the tenant may get tokens for, by name (empty for an unknown or another tenant's client). */
export async function listClientApiAccess(db: Db, tenantId: string, clientId: string): Promise<ClientApiAccess[]> {
  return db
    .select({
      apiId: apiResources.id,
      name: apiResources.name,
      identifier: apiResources.identifier,
      scopes: clientApiAccess.scopes,
      apiScopes: apiResources.scopes,
    })
    .from(clientApiAccess)
    .innerJoin(apiResources, eq(apiResources.id, clientApiAccess.apiId))
    .innerJoin(clients, eq(clients.id, clientApiAccess.clientId))
    .where(and(eq(clientApiAccess.clientId, clientId), eq(clients.tenantId, tenantId), eq(apiResources.tenantId, tenantId)))
    .orderBy(asc(sql`lower(${apiResources.name})`), asc(apiResources.id));
}

const describeAccess = (rows: { identifier: string; scopes: string[] | null }[]) =>
  rows.map((r) => `${r.identifier} (${r.scopes === null ? 'all scopes' : r.scopes.length ? r.scopes.join(' ') : 'no scopes'})`).sort();

export type AccessEntry = { apiId: string; scopes: string[] | null };

export type ApiAccessPlan = {
  /** The access before and after, in words, sorted (for the audit event); equal when nothing changes. */
  from: string[];
  to: string[];
  changed: boolean;
  rows: AccessEntry[];
};

/** Add Client and Edit Client: planClientApiAccess with its error at the form's apiAccess field; nothing asked, null. */
export async function planApiAccessField(
  tx: Db,
  tenantId: string,
  clientRowId: string | null,
  access: AccessEntry[] | undefined,
): Promise<ActionResult<ApiAccessPlan | null>> {
  if (access === undefined) return ok(null);
  const plan = await planClientApiAccess(tx, tenantId, clientRowId, access);
  if (plan.ok) return plan;
  return { ...plan, fieldErrors: { apiAccess: plan.fieldErrors?.access ?? 'Check the API access.' } };
}

/**
 * Checks a client's new API access (the whole list) inside the caller's transaction and says what changes, writing
 * nothing: every API must be the tenant's, each chosen once, and chosen scopes must be the API's own. `clientRowId`
 * null: a client being added (nothing granted before). Ids compare as stored (lower case).
 */
export async function planClientApiAccess(tx: Db, tenantId: string, clientRowId: string | null, access: AccessEntry[]): Promise<ActionResult<ApiAccessPlan>> {
  const rows = access.map((a) => ({ apiId: a.apiId.toLowerCase(), scopes: a.scopes === null ? null : [...new Set(a.scopes)] }));
  const apiIds = [...new Set(rows.map((a) => a.apiId))];
  if (apiIds.length !== rows.length) return fieldFail({ access: 'Each API can be chosen once.' });
  const apis = apiIds.length
    ? await tx
        .select({ id: apiResources.id, identifier: apiResources.identifier, scopes: apiResources.scopes })
        .from(apiResources)
        .where(and(eq(apiResources.tenantId, tenantId), inArray(apiResources.id, apiIds)))
    : [];
  if (apis.length !== apiIds.length) return fieldFail({ access: 'An API was not found: it may have been removed. Reload and try again.' });
  const byId = new Map(apis.map((a) => [a.id, a]));
  for (const a of rows) {
    const api = byId.get(a.apiId)!;
    const unknown = a.scopes?.find((s) => !api.scopes.includes(s));
    if (unknown !== undefined) return fieldFail({ access: `${api.identifier} has no scope ${unknown.slice(0, 40)}.` });
  }
  const before = clientRowId
    ? await tx
        .select({ identifier: apiResources.identifier, scopes: clientApiAccess.scopes })
        .from(clientApiAccess)
        .innerJoin(apiResources, eq(apiResources.id, clientApiAccess.apiId))
        .where(eq(clientApiAccess.clientId, clientRowId))
    : [];
  const from = describeAccess(before);
  const to = describeAccess(rows.map((a) => ({ identifier: byId.get(a.apiId)!.identifier, scopes: a.scopes })));
  return ok({ from, to, changed: from.join('\n') !== to.join('\n'), rows });
}

/** Writes a planned API access (replacing the client's list) inside the caller's transaction. */
export async function writeClientApiAccess(tx: Db, clientRowId: string, plan: ApiAccessPlan): Promise<void> {
  if (!plan.changed) return;
  await tx.delete(clientApiAccess).where(eq(clientApiAccess.clientId, clientRowId));
  if (plan.rows.length) await tx.insert(clientApiAccess).values(plan.rows.map((a) => ({ clientId: clientRowId, apiId: a.apiId, scopes: a.scopes })));
}

/**
 * Edit API Access of a client: the whole list replaced, in one transaction with the client locked, its version
 * bumped (an Edit Client open meanwhile then reloads) and a client.updated event naming what changed. Every API must
 * be the tenant's, and chosen scopes must be the API's own.
 */
export async function setClientApiAccess(db: Db, actor: Actor, raw: ClientApiAccessInput): Promise<ActionResult<{ clientId: string; changed: boolean }>> {
  const v = validate(clientApiAccessSchema, raw);
  if (!v.ok) return v.failure;
  const input = v.data;
  return inTransaction(db, async (tx, afterCommit): Promise<ActionResult<{ clientId: string; changed: boolean }>> => {
    const client = await lockClient(tx, actor.tenantId, input.clientId);
    if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
    if (input.version !== undefined && client.version !== input.version) return fail(conflictMessage(client.updatedBy), 'conflict');
    const plan = await planClientApiAccess(tx, actor.tenantId, client.id, input.access);
    if (!plan.ok) return plan;
    const { from, to, changed } = plan.data;
    if (!changed) return ok({ clientId: client.id, changed: false });
    await writeClientApiAccess(tx, client.id, plan.data);
    await tx
      .update(clients)
      .set({ version: sql`${clients.version} + 1`, updatedAt: new Date(), updatedBy: actor.label })
      .where(eq(clients.id, client.id));
    await recordAudit(tx, actor, { action: 'client.updated', targetType: 'client', targetId: client.id, details: { changes: { apiAccess: { from, to } } } });
    clientsChangedAfterCommit(afterCommit, [client.id]);
    return ok({ clientId: client.id, changed: true });
  });
}
