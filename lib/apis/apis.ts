import { and, asc, count, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { apiResources, clientApiAccess, tenants } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { uniqueViolation } from '../roles/db-errors';
import { clientsChangedAfterCommit } from '../roles/notify';
import { validate } from '../actions/validate';
import {
  createApiSchema,
  MAX_APIS_PER_TENANT,
  removeApiSchema,
  updateApiSchema,
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
/** Identifiers are unique across tenants (lib/db/schema/api-resources.ts says why); the message names no tenant. */
const IDENTIFIER_TAKEN = 'This identifier is already in use by another API. Choose one your organisation owns, such as your API\'s own URL.';

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

/** The tenant's APIs as API Access offers them (Add Client, Edit Client, Edit API Access), by name. */
export async function listApiOptions(db: Db, tenantId: string): Promise<{ id: string; name: string; identifier: string; scopes: string[] }[]> {
  return db
    .select({ id: apiResources.id, name: apiResources.name, identifier: apiResources.identifier, scopes: apiResources.scopes })
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
    return await inTransaction(db, async (tx) => {
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
    if (uniqueViolation(err) === 'api_resources_identifier_uq') return { ok: false, code: 'conflict', fieldErrors: { identifier: IDENTIFIER_TAKEN } };
    throw err;
  }
}

/** Edit API: name and scopes, with the version check of every edit. Clients granted it see new scopes at once. */
export async function updateApi(db: Db, actor: Actor, raw: UpdateApiInput): Promise<ActionResult<{ id: string; version: number; changed: boolean }>> {
  const v = validate(updateApiSchema, raw);
  if (!v.ok) return v.failure;
  const input = v.data;
  return inTransaction(db, async (tx, afterCommit): Promise<ActionResult<{ id: string; version: number; changed: boolean }>> => {
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
    if (Object.keys(changes).length === 0) return ok({ id: api.id, version: api.version, changed: false });
    const [saved] = await tx
      .update(apiResources)
      .set({ name: input.name, scopes: input.scopes, version: sql`${apiResources.version} + 1`, updatedAt: new Date(), updatedBy: actor.label })
      .where(eq(apiResources.id, api.id))
      .returning({ version: apiResources.version });
    await recordAudit(tx, actor, { action: 'api.updated', targetType: 'api', targetId: api.id, details: { name: input.name, identifier: api.identifier, changes } });
    // Clients granted it see the new scopes at once.
    if (added.length || removed.length) clientsChangedAfterCommit(afterCommit, await clientsWithAccess(tx, api.id));
    return ok({ id: api.id, version: saved.version, changed: true });
  });
}

/** Remove API: no client can get tokens for it any more (its grants go with it). */
export async function removeApi(db: Db, actor: Actor, raw: RemoveApiInput): Promise<ActionResult<{ name: string; clientCount: number }>> {
  const v = validate(removeApiSchema, raw);
  if (!v.ok) return v.failure;
  return inTransaction(db, async (tx, afterCommit): Promise<ActionResult<{ name: string; clientCount: number }>> => {
    const [api] = await tx
      .select()
      .from(apiResources)
      .where(and(eq(apiResources.id, v.data.id), eq(apiResources.tenantId, actor.tenantId)))
      .for('update');
    if (!api) return fail(API_NOT_FOUND, 'not_found');
    const clientIds = await clientsWithAccess(tx, api.id);
    clientsChangedAfterCommit(afterCommit, clientIds);
    await tx.delete(apiResources).where(eq(apiResources.id, api.id));
    await recordAudit(tx, actor, {
      action: 'api.removed',
      targetType: 'api',
      targetId: api.id,
      details: { name: api.name, identifier: api.identifier, clientCount: clientIds.length },
    });
    return ok({ name: api.name, clientCount: clientIds.length });
  });
}
