import { and, asc, count, desc, eq, gte, inArray, lte, min, or, sql, type SQL } from 'drizzle-orm';
import type { Db } from '../db';
import { clientRoles, clients, clientSecrets, roles } from '../db/schema';
import { containsPattern, pageNumber, searchText } from '../db/search';
import { isUnused } from '../usage/activity';
import type { ClientType } from './client-types';
import { isGuid } from './fields.schema';


export const CLIENTS_PAGE_SIZE = 25;

export type ClientListRow = {
  id: string;
  name: string;
  tokenLifetime: number;
  enabled: boolean;
  createdAt: Date;
  createdBy: string;
  roles: string[];
  secrets: { count: number; nearestExpiration: Date | null; neverExpiring: number };
};

export type ClientList = { rows: ClientListRow[]; total: number; page: number; pageCount: number; pageSize: number };

/**
 * Newest first, spelled exactly as clients_tenant_type_created_idx is declared (created_at DESC NULLS LAST, id), so
 * the first page is read from the index instead of sorting the tenant's clients (created_at is never null).
 */
const NEWEST_FIRST = sql`${clients.createdAt} desc nulls last`;

const GUID_TEMPLATE = 'xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx';

/**
 * A typed beginning of a Client Id ("3f2a9c" or "3f2a9c1e-77") as the range of ids that start with it, so the
 * primary key answers it; null when the text cannot begin a GUID.
 */
function idPrefixRange(text: string): [string, string] | null {
  if (text.length < 4 || text.length > 36) return null;
  for (let i = 0; i < text.length; i++) {
    const dash = GUID_TEMPLATE[i] === '-';
    if (dash ? text[i] !== '-' : !/[0-9a-f]/.test(text[i])) return null;
  }
  const rest = GUID_TEMPLATE.slice(text.length);
  return [text + rest.replace(/x/g, '0'), text + rest.replace(/x/g, 'f')];
}

const LIST_COLUMNS = {
  id: clients.id,
  name: clients.name,
  tokenLifetime: clients.tokenLifetime,
  enabled: clients.enabled,
  createdAt: clients.createdAt,
  createdBy: clients.createdBy,
};

export type ClientListOptions = {
  q?: string;
  page?: number;
  pageSize?: number;
  type?: ClientType;
  /** Only clients unused for this many days (lib/usage/activity.ts: the same rule as the client.unused alert). */
  unusedDays?: number;
  now?: Date;
};

/** The list's filter: the tenant's clients of a type, and the search (name contains, or the Client Id or its beginning). */
export function clientListWhere(tenantId: string, opts: ClientListOptions = {}) {
  const q = searchText(opts.q);
  const conditions = [eq(clients.tenantId, tenantId), eq(clients.clientType, opts.type ?? 'client_credentials')];
  if (q) {
    const lower = q.toLowerCase();
    const range = idPrefixRange(lower);
    conditions.push(
      isGuid(q)
        ? eq(clients.id, lower)
        : or(
            // Answered by clients_name_trgm_idx (pg_trgm GIN on lower(name)), not by a scan of the tenant's names.
            sql`lower(${clients.name}) like ${containsPattern(lower)}`,
            range ? and(gte(clients.id, range[0]), lte(clients.id, range[1])) : sql`false`,
          )!,
    );
  }
  if (opts.unusedDays) conditions.push(isUnused(clients, opts.now ?? new Date(), opts.unusedDays));
  return { q, where: and(...conditions) };
}

/** One page of a search with its total (window count); exported so the bench and a test can EXPLAIN the real query. */
export function clientSearchPageQuery(db: Db, where: SQL | undefined, pageSize: number, page: number) {
  return db
    .select({ ...LIST_COLUMNS, total: sql<number>`count(*) over ()`.mapWith(Number) })
    .from(clients)
    .where(where)
    .orderBy(NEWEST_FIRST, asc(clients.id))
    .limit(pageSize)
    .offset((page - 1) * pageSize);
}

/**
 * One page of the tenant's clients of a type, newest first, optionally searched by name (contains, any case) or
 * Client Id (the whole id or its beginning). Pagination is by page number on the server; the page is clamped.
 */
export async function listClients(db: Db, tenantId: string, opts: ClientListOptions = {}): Promise<ClientList> {
  const pageSize = Math.min(Math.max(opts.pageSize ?? CLIENTS_PAGE_SIZE, 1), 100);
  const { q, where } = clientListWhere(tenantId, opts);
  const columns = LIST_COLUMNS;
  const requested = pageNumber(opts.page);
  const pageQuery = (page: number) => clientSearchPageQuery(db, where, pageSize, page);

  let total: number;
  let base: Omit<ClientListRow, 'roles' | 'secrets'>[];
  let page = requested;
  if (q) {
    // A search scans the tenant's names once: the window count gives the total in the same pass.
    let rows = await pageQuery(page);
    if (rows.length === 0 && page > 1) {
      // Past the end: go to the last page.
      const firstPage = await pageQuery(1);
      page = Math.max(1, Math.ceil((firstPage[0]?.total ?? 0) / pageSize));
      rows = page === 1 ? firstPage : await pageQuery(page);
    }
    total = rows[0]?.total ?? 0;
    base = rows.map((r) => ({
      id: r.id,
      name: r.name,
      tokenLifetime: r.tokenLifetime,
      enabled: r.enabled,
      createdAt: r.createdAt,
      createdBy: r.createdBy,
    }));
  } else {
    // The plain list reads 25 rows from the index; the count is a separate index-only scan.
    [{ total }] = await db.select({ total: count() }).from(clients).where(where);
    page = Math.min(requested, Math.max(1, Math.ceil(total / pageSize)));
    base = await db
      .select(columns)
      .from(clients)
      .where(where)
      .orderBy(NEWEST_FIRST, asc(clients.id))
      .limit(pageSize)
      .offset((page - 1) * pageSize);
  }
  const pageCount = Math.max(1, Math.ceil(total / pageSize));

  const ids = base.map((r) => r.id);
  const [roleRows, secretRows] = ids.length
    ? await Promise.all([
        db
          .select({ clientId: clientRoles.clientId, name: roles.name })
          .from(clientRoles)
          .innerJoin(roles, eq(roles.id, clientRoles.roleId))
          .where(inArray(clientRoles.clientId, ids))
          .orderBy(asc(roles.name)),
        db
          .select({
            clientId: clientSecrets.clientId,
            n: count(),
            nearest: min(clientSecrets.expiresAt),
            never: sql<number>`count(*) filter (where ${clientSecrets.expiresAt} is null)`.mapWith(Number),
          })
          .from(clientSecrets)
          .where(inArray(clientSecrets.clientId, ids))
          .groupBy(clientSecrets.clientId),
      ])
    : [[], []];

  const rolesBy = new Map<string, string[]>();
  for (const r of roleRows) rolesBy.set(r.clientId, [...(rolesBy.get(r.clientId) ?? []), r.name]);
  const secretsBy = new Map(secretRows.map((s) => [s.clientId, s]));
  return {
    total,
    page,
    pageCount,
    pageSize,
    rows: base.map((r) => {
      const s = secretsBy.get(r.id);
      return {
        ...r,
        roles: rolesBy.get(r.id) ?? [],
        secrets: {
          count: s?.n ?? 0,
          nearestExpiration: s?.nearest ? new Date(s.nearest) : null,
          neverExpiring: s?.never ?? 0,
        },
      };
    }),
  };
}

export type ClientRole = { id: string; name: string; roleType: string; scope: 'tenant' | 'community' };
export type ClientSecretRow = {
  id: number;
  description: string;
  displayHint: string;
  expiresAt: Date | null;
  createdAt: Date;
  createdBy: string;
  lastUsedAt: Date | null;
  /** Revoked after a leaked-secret report: refused at the token endpoint. */
  revokedAt: Date | null;
};
export type ClientDetails = {
  id: string;
  name: string;
  clientType: ClientType;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  allowedCorsOrigins: string[];
  refreshTokenLifetime: number;
  tokenLifetime: number;
  enabled: boolean;
  requireDpop: boolean;
  version: number;
  createdAt: Date;
  createdBy: string;
  updatedAt: Date;
  updatedBy: string;
  roles: ClientRole[];
  secrets: ClientSecretRow[];
};

/** A client of this tenant with its roles and secrets (never a hash), or null: another tenant's id is "not found". */
export async function getClientDetails(db: Db, tenantId: string, clientId: string): Promise<ClientDetails | null> {
  if (!isGuid(clientId)) return null;
  const [c] = await db
    .select({
      id: clients.id,
      name: clients.name,
      clientType: clients.clientType,
      redirectUris: clients.redirectUris,
      postLogoutRedirectUris: clients.postLogoutRedirectUris,
      allowedCorsOrigins: clients.allowedCorsOrigins,
      refreshTokenLifetime: clients.refreshTokenLifetime,
      tokenLifetime: clients.tokenLifetime,
      enabled: clients.enabled,
      requireDpop: clients.requireDpop,
      version: clients.version,
      createdAt: clients.createdAt,
      createdBy: clients.createdBy,
      updatedAt: clients.updatedAt,
      updatedBy: clients.updatedBy,
    })
    .from(clients)
    .where(and(eq(clients.id, clientId.toLowerCase()), eq(clients.tenantId, tenantId)));
  if (!c) return null;
  const [roleRows, secretRows] = await Promise.all([
    db
      .select({ id: roles.id, name: roles.name, roleType: roles.roleType, scope: roles.scope })
      .from(clientRoles)
      .innerJoin(roles, eq(roles.id, clientRoles.roleId))
      .where(eq(clientRoles.clientId, c.id))
      .orderBy(asc(roles.name)),
    listSecrets(db, c.id),
  ]);
  return { ...c, roles: roleRows, secrets: secretRows };
}

/** A client's secrets, newest first: description, hint, dates. The hash is never read here. */
export async function listSecrets(db: Db, clientId: string): Promise<ClientSecretRow[]> {
  return db
    .select({
      id: clientSecrets.id,
      description: clientSecrets.description,
      displayHint: clientSecrets.displayHint,
      expiresAt: clientSecrets.expiresAt,
      createdAt: clientSecrets.createdAt,
      createdBy: clientSecrets.createdBy,
      lastUsedAt: clientSecrets.lastUsedAt,
      revokedAt: clientSecrets.revokedAt,
    })
    .from(clientSecrets)
    .where(eq(clientSecrets.clientId, clientId))
    .orderBy(desc(clientSecrets.createdAt), desc(clientSecrets.id));
}

/** Names of clients by id, within the tenant (for the audit log). */
export async function clientNames(db: Db, tenantId: string, ids: string[]): Promise<Map<string, string>> {
  const valid = [...new Set(ids.filter(isGuid).map((id) => id.toLowerCase()))];
  if (!valid.length) return new Map();
  const rows = await db
    .select({ id: clients.id, name: clients.name })
    .from(clients)
    .where(and(eq(clients.tenantId, tenantId), inArray(clients.id, valid)));
  return new Map(rows.map((r) => [r.id, r.name]));
}
