import { and, asc, count, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { apiResources, clientApiAccess, clients, tenants } from '../db/schema';
import type { Actor } from '../actions/admin-action';
import { fail, fieldFail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { lockClient } from '../clients/lock';
import { CLIENT_NOT_FOUND } from '../clients/messages';
import { uniqueViolation } from '../roles/db-errors';
import { afterClientsChanged } from '../roles/notify';
import { validate } from '../roles/validate';
import {
  clientApiAccessSchema,
  createApiSchema,
  MAX_APIS_PER_TENANT,
  removeApiSchema,
  updateApiSchema,
  type ClientApiAccessInput,
  type CreateApiInput,
  type RemoveApiInput,
  type UpdateApiInput,
} from './apis.schema';

/**
 * Security > APIs (RFC 8707 resource indicators): a tenant's APIs, and which of them each client may get tokens for.
 * Every write is one transaction with its audit event; the token service's cached clients are dropped after the
 * commit wherever what a client may ask for changed (lib/roles/notify.ts).
 */
export type ApiRow = {
  id: string;
  name: string;
  identifier: string;
  scopes: string[];
  version: number;
  /** Clients of this tenant that may get tokens for it. */
  clientCount: number;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
};

export const API_NOT_FOUND = 'This API does not exist: it may have been removed. Reload the list of APIs.';
const IDENTIFIER_TAKEN = 'Another API of this tenant has this identifier.';

const apiColumns = {
  id: apiResources.id,
  name: apiResources.name,
  identifier: apiResources.identifier,
  scopes: apiResources.scopes,
  version: apiResources.version,
  clientCount: sql<number>`(select count(*) from ${clientApiAccess} a where a.api_id = ${apiResources.id})`.mapWith(Number),
  createdAt: apiResources.createdAt,
  createdBy: apiResources.createdBy,
  updatedAt: apiResources.updatedAt,
  updatedBy: apiResources.updatedBy,
};

/** The tenant's APIs, by name. */
export async function listApis(db: Db, tenantId: string): Promise<ApiRow[]> {
  return db
    .select(apiColumns)
    .from(apiResources)
    .where(eq(apiResources.tenantId, tenantId))
    .orderBy(asc(sql`lower(${apiResources.name})`), asc(apiResources.id));
}

/** One API of the tenant, or null (another tenant's id is "not found"). */
export async function getApi(db: Db, tenantId: string, id: string): Promise<ApiRow | null> {
  const [row] = await db
    .select(apiColumns)
    .from(apiResources)
    .where(and(eq(apiResources.tenantId, tenantId), eq(apiResources.id, id)));
  return row ?? null;
}

async function clientsWithAccess(tx: Db, apiId: string): Promise<string[]> {
  const rows = await tx.select({ clientId: clientApiAccess.clientId }).from(clientApiAccess).where(eq(clientApiAccess.apiId, apiId));
  return rows.map((r) => r.clientId);
}

/** Add API: name, identifier (unique in the tenant, fixed from now on) and scopes. */
export async function createApi(db: Db, actor: Actor, raw: CreateApiInput): Promise<ActionResult<{ id: string; name: string; identifier: string }>> {
  const v = validate(createApiSchema, raw);
  if (!v.ok) return v.failure;
  const input = v.data;
  try {
    return await db.transaction(async (txRaw) => {
      const tx = txRaw as unknown as Db;
      // One Add API at a time per tenant, so the limit holds.
      await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, actor.tenantId)).for('no key update');
      const [{ n }] = await tx.select({ n: count() }).from(apiResources).where(eq(apiResources.tenantId, actor.tenantId));
      if (n >= MAX_APIS_PER_TENANT) return fail(`This tenant has reached the limit of ${MAX_APIS_PER_TENANT} APIs. Remove one before adding another.`, 'limit');
      const [row] = await tx
        .insert(apiResources)
        .values({ tenantId: actor.tenantId, name: input.name, identifier: input.identifier, scopes: input.scopes, createdBy: actor.label, updatedBy: actor.label })
        .returning({ id: apiResources.id });
      await recordAudit(tx, actor, {
        action: 'api.created',
        targetType: 'api',
        targetId: row.id,
        details: { name: input.name, identifier: input.identifier, scopes: input.scopes },
      });
      return ok({ id: row.id, name: input.name, identifier: input.identifier });
    });
  } catch (err) {
    if (uniqueViolation(err) === 'api_resources_tenant_identifier_uq') return { ok: false, code: 'conflict', fieldErrors: { identifier: IDENTIFIER_TAKEN } };
    throw err;
  }
}

/** Edit API: name and scopes, with the version check of every edit. Clients granted it see new scopes at once. */
export async function updateApi(db: Db, actor: Actor, raw: UpdateApiInput): Promise<ActionResult<{ id: string; version: number; changed: boolean }>> {
  const v = validate(updateApiSchema, raw);
  if (!v.ok) return v.failure;
  const input = v.data;
  const result = await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const [api] = await tx
      .select()
      .from(apiResources)
      .where(and(eq(apiResources.id, input.id), eq(apiResources.tenantId, actor.tenantId)))
      .for('update');
    if (!api) return fail(API_NOT_FOUND, 'not_found');
    if (api.version !== input.version) return fail(`This API was changed by ${api.updatedBy} meanwhile. Reload it and make your change again.`, 'conflict');
    const changes: Record<string, unknown> = {};
    if (api.name !== input.name) changes.name = { from: api.name, to: input.name };
    const added = input.scopes.filter((s) => !api.scopes.includes(s));
    const removed = api.scopes.filter((s) => !input.scopes.includes(s));
    if (added.length) changes.scopesAdded = added;
    if (removed.length) changes.scopesRemoved = removed;
    if (Object.keys(changes).length === 0) return ok({ id: api.id, version: api.version, changed: false, clientIds: [] as string[] });
    const [saved] = await tx
      .update(apiResources)
      .set({ name: input.name, scopes: input.scopes, version: sql`${apiResources.version} + 1`, updatedAt: new Date(), updatedBy: actor.label })
      .where(eq(apiResources.id, api.id))
      .returning({ version: apiResources.version });
    await recordAudit(tx, actor, { action: 'api.updated', targetType: 'api', targetId: api.id, details: { name: input.name, identifier: api.identifier, changes } });
    return ok({ id: api.id, version: saved.version, changed: true, clientIds: added.length || removed.length ? await clientsWithAccess(tx, api.id) : [] });
  });
  if (!result.ok) return result;
  const { clientIds, ...data } = result.data;
  await afterClientsChanged(clientIds);
  return ok(data);
}

/** Remove API: no client can get tokens for it any more (its grants go with it). */
export async function removeApi(db: Db, actor: Actor, raw: RemoveApiInput): Promise<ActionResult<{ name: string; clientCount: number }>> {
  const v = validate(removeApiSchema, raw);
  if (!v.ok) return v.failure;
  const result = await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const [api] = await tx
      .select()
      .from(apiResources)
      .where(and(eq(apiResources.id, v.data.id), eq(apiResources.tenantId, actor.tenantId)))
      .for('update');
    if (!api) return fail(API_NOT_FOUND, 'not_found');
    const clientIds = await clientsWithAccess(tx, api.id);
    await tx.delete(apiResources).where(eq(apiResources.id, api.id));
    await recordAudit(tx, actor, {
      action: 'api.removed',
      targetType: 'api',
      targetId: api.id,
      details: { name: api.name, identifier: api.identifier, clientCount: clientIds.length },
    });
    return ok({ name: api.name, clientCount: clientIds.length, clientIds });
  });
  if (!result.ok) return result;
  const { clientIds, ...data } = result.data;
  await afterClientsChanged(clientIds);
  return ok(data);
}

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

/**
 * Edit API Access of a client: the whole list replaced, in one transaction with the client locked, its version
 * bumped (an Edit Client open meanwhile then reloads) and a client.updated event naming what changed. Every API must
 * be the tenant's, and chosen scopes must be the API's own.
 */
export async function setClientApiAccess(db: Db, actor: Actor, raw: ClientApiAccessInput): Promise<ActionResult<{ clientId: string; changed: boolean }>> {
  const v = validate(clientApiAccessSchema, raw);
  if (!v.ok) return v.failure;
  // Ids compare as stored (lower case): a GUID in upper case names the same API.
  const input = { ...v.data, access: v.data.access.map((a) => ({ ...a, apiId: a.apiId.toLowerCase() })) };
  const apiIds = [...new Set(input.access.map((a) => a.apiId))];
  if (apiIds.length !== input.access.length) return fieldFail({ access: 'Each API can be chosen once.' });
  const result = await db.transaction(async (txRaw) => {
    const tx = txRaw as unknown as Db;
    const client = await lockClient(tx, actor.tenantId, input.clientId);
    if (!client) return fail(CLIENT_NOT_FOUND, 'not_found');
    const apis = apiIds.length
      ? await tx
          .select({ id: apiResources.id, identifier: apiResources.identifier, scopes: apiResources.scopes })
          .from(apiResources)
          .where(and(eq(apiResources.tenantId, actor.tenantId), inArray(apiResources.id, apiIds)))
      : [];
    if (apis.length !== apiIds.length) return fieldFail({ access: 'An API was not found: it may have been removed. Reload and try again.' });
    const byId = new Map(apis.map((a) => [a.id, a]));
    for (const a of input.access) {
      const api = byId.get(a.apiId)!;
      const unknown = a.scopes?.find((s) => !api.scopes.includes(s));
      if (unknown !== undefined) return fieldFail({ access: `${api.identifier} has no scope ${unknown.slice(0, 40)}.` });
    }
    const before = await tx
      .select({ identifier: apiResources.identifier, scopes: clientApiAccess.scopes })
      .from(clientApiAccess)
      .innerJoin(apiResources, eq(apiResources.id, clientApiAccess.apiId))
      .where(eq(clientApiAccess.clientId, client.id));
    const after = input.access.map((a) => ({ identifier: byId.get(a.apiId)!.identifier, scopes: a.scopes === null ? null : [...new Set(a.scopes)] }));
    const from = describeAccess(before);
    const to = describeAccess(after);
    if (from.join('\n') === to.join('\n')) return ok({ clientId: client.id, changed: false });
    await tx.delete(clientApiAccess).where(eq(clientApiAccess.clientId, client.id));
    if (input.access.length) {
      await tx.insert(clientApiAccess).values(input.access.map((a, i) => ({ clientId: client.id, apiId: a.apiId, scopes: after[i].scopes })));
    }
    await tx
      .update(clients)
      .set({ version: sql`${clients.version} + 1`, updatedAt: new Date(), updatedBy: actor.label })
      .where(eq(clients.id, client.id));
    await recordAudit(tx, actor, { action: 'client.updated', targetType: 'client', targetId: client.id, details: { changes: { apiAccess: { from, to } } } });
    return ok({ clientId: client.id, changed: true });
  });
  if (result.ok && result.data.changed) await afterClientsChanged([result.data.clientId]);
  return result;
}
