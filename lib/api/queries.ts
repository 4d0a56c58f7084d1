import { and, asc, count, desc, eq, inArray, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { clientRoles, clients, roles } from '../db/schema';
import type { ClientType } from '../clients/client-types';
import { isGuid } from '../clients/fields.schema';
import { BUILTIN_ORDER } from '../roles/builtin';

/**
 * Read-only projections the API needs and the console does not (role ids per client, offset paging, role
 * descriptions). Every query is scoped to the caller's tenant; writes go through lib/clients only.
 */
export type ApiClientRow = {
  id: string;
  name: string;
  enabled: boolean;
  requireDpop: boolean;
  tokenLifetime: number;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
  roleIds: string[];
  /** Sign-in settings of Authorization Code and Hybrid clients (empty lists and the default for the others). */
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  allowedCorsOrigins: string[];
  refreshTokenLifetime: number;
};

const clientColumns = {
  id: clients.id,
  name: clients.name,
  enabled: clients.enabled,
  requireDpop: clients.requireDpop,
  tokenLifetime: clients.tokenLifetime,
  createdAt: clients.createdAt,
  createdBy: clients.createdBy,
  updatedAt: clients.updatedAt,
  updatedBy: clients.updatedBy,
  redirectUris: clients.redirectUris,
  postLogoutRedirectUris: clients.postLogoutRedirectUris,
  allowedCorsOrigins: clients.allowedCorsOrigins,
  refreshTokenLifetime: clients.refreshTokenLifetime,
};

async function roleIdsOf(db: Db, clientIds: string[]): Promise<Map<string, string[]>> {
  const out = new Map<string, string[]>();
  if (clientIds.length === 0) return out;
  const rows = await db
    .select({ clientId: clientRoles.clientId, roleId: clientRoles.roleId })
    .from(clientRoles)
    .innerJoin(roles, eq(roles.id, clientRoles.roleId))
    .where(inArray(clientRoles.clientId, clientIds))
    .orderBy(asc(roles.name), asc(roles.id));
  for (const r of rows) out.set(r.clientId, [...(out.get(r.clientId) ?? []), r.roleId]);
  return out;
}

/**
 * One page of the tenant's clients of one type (each API collection lists one type), oldest first so that paging with skip/count is stable
 * while clients are added (new ones go to the end). Uses clients_tenant_type_created_idx read backwards.
 */
export async function listApiClients(
  db: Db,
  tenantId: string,
  page: { skip: number; count: number },
  clientType: ClientType = 'client_credentials',
): Promise<{ total: number; rows: ApiClientRow[] }> {
  const where = and(eq(clients.tenantId, tenantId), eq(clients.clientType, clientType));
  const [{ total }] = await db.select({ total: count() }).from(clients).where(where);
  if (page.skip >= total) return { total, rows: [] };
  const base = await db
    .select(clientColumns)
    .from(clients)
    .where(where)
    .orderBy(asc(clients.createdAt), desc(clients.id))
    .limit(page.count)
    .offset(page.skip);
  const ids = await roleIdsOf(
    db,
    base.map((r) => r.id),
  );
  return { total, rows: base.map((r) => ({ ...r, roleIds: ids.get(r.id) ?? [] })) };
}

/** A client of this tenant and type, or null (unknown ids, other tenants' ids and other types' ids alike). */
export async function getApiClient(
  db: Db,
  tenantId: string,
  clientId: string,
  clientType: ClientType = 'client_credentials',
): Promise<(ApiClientRow & { version: number }) | null> {
  if (!isGuid(clientId) || !isGuid(tenantId)) return null;
  const [row] = await db
    .select({ ...clientColumns, version: clients.version })
    .from(clients)
    .where(and(eq(clients.id, clientId.toLowerCase()), eq(clients.tenantId, tenantId), eq(clients.clientType, clientType)));
  if (!row) return null;
  const ids = await roleIdsOf(db, [row.id]);
  return { ...row, roleIds: ids.get(row.id) ?? [] };
}

export type ApiRoleRow = { id: string; name: string; description: string; scope: 'tenant' | 'community'; roleType: string };

/** The client's roles: built-in first (in the product's order), then the others by name. */
export async function listApiClientRoles(db: Db, clientId: string): Promise<ApiRoleRow[]> {
  const rows = await db
    .select({ id: roles.id, name: roles.name, description: roles.description, scope: roles.scope, roleType: roles.roleType })
    .from(clientRoles)
    .innerJoin(roles, eq(roles.id, clientRoles.roleId))
    .where(eq(clientRoles.clientId, clientId))
    .orderBy(asc(sql`lower(${roles.name})`), asc(roles.id));
  return rows.sort((a, b) => (BUILTIN_ORDER[a.roleType] ?? 99) - (BUILTIN_ORDER[b.roleType] ?? 99));
}
