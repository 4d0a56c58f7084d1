import { createApi, getApi, listApis, removeApi, updateApi, type ApiRow } from '../apis/apis';
import { listClientApiAccess, setClientApiAccess, type ClientApiAccess } from '../clients/api-access';
import { createApiSchema, updateApiSchema } from '../apis/apis.schema';
import { clientApiAccessSchema } from '../clients/api-access.schema';
import { isGuid } from '../clients/fields.schema';
import type { ApiAccessBody, ApiBody } from './apis-schemas';
import type { ApiCaller } from './authorize';
import { isPlainObject, readJsonBody } from './body';
import type { ApiClientKind } from './client-kinds';
import { clientNotFound, etag, findClient, ifMatchVersion, mustBeObject, type ClientParams } from './handlers';
import { apiError, failureResponse, json, noContent } from '../http/api-answers';
import { pageOf, readPaging, totalCount } from './paging';
import { validateWith } from './translate';

/**
 * The REST API's Apis collection and every client collection's ApiAccess: the same lib/apis functions as Security >
 * APIs and a client's API Access in the console (one transaction each, audited with `via: 'api'`). The Identifier of
 * an API never changes, since resource servers check it in every token's aud: an edit that sends another one is
 * refused at the field rather than silently ignored.
 */
type TenantParams = { tenantId: string };
type ApiParams = TenantParams & { apiId: string };

/** lib field path -> API field name. */
export const API_FIELDS: Record<string, string> = { id: 'Id', name: 'Name', identifier: 'Identifier', scopes: 'Scopes', version: 'If-Match' };

/** "access" -> "ApiAccess", "access.2.apiId" -> "ApiAccess[2].ApiId", "access.0.scopes.3" -> "ApiAccess[0].Scopes[3]". */
export function apiAccessFieldName(path: string): string {
  const [head, ...rest] = path.split('.');
  if (head !== 'access') return head === 'clientId' ? 'clientId' : path;
  const fields: Record<string, string> = { apiId: 'ApiId', scopes: 'Scopes' };
  return `ApiAccess${rest.map((p) => (/^\d+$/.test(p) ? `[${p}]` : `.${fields[p] ?? p}`)).join('')}`;
}

const IDENTIFIER_FIXED = 'The identifier cannot be changed: resource servers check it in every token. Add another API for a new identifier.';

const apiNotFound = () =>
  apiError(404, 'There is no API with this id in this tenant.', { resolution: 'Check the API\'s id and the tenant id.' });
const preconditionFailed = () =>
  apiError(412, 'The API was changed after the version named in If-Match.', { resolution: 'GET the API again and send its current ETag.' });

const has = (o: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(o, key);

export function apiBody(row: ApiRow): ApiBody {
  return {
    Id: row.id,
    Name: row.name,
    Identifier: row.identifier,
    Scopes: row.scopes,
    ClientCount: row.clientCount,
    CreatedDate: row.createdAt.toISOString(),
    CreatedBy: row.createdBy,
    ModifiedDate: row.updatedAt.toISOString(),
    ModifiedBy: row.updatedBy,
  };
}

export function apiAccessBody(row: ClientApiAccess): ApiAccessBody {
  return { ApiId: row.apiId, Identifier: row.identifier, Name: row.name, Scopes: row.scopes };
}

export const apiUrl = (tenantId: string, apiId: string) => `/api/v1/Tenants/${tenantId}/Apis/${apiId}`;

async function findApi({ db, actor }: ApiCaller, apiId: string) {
  return isGuid(apiId) ? getApi(db, actor.tenantId, apiId.toLowerCase()) : null;
}

async function readObject(request: Request): Promise<Record<string, unknown> | Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  return isPlainObject(body.value) ? body.value : mustBeObject();
}

// ---- Apis ----

export async function listApisOp(request: Request, caller: ApiCaller): Promise<Response> {
  const paging = readPaging(request);
  if (!paging.ok) return paging.response;
  const apis = await listApis(caller.db, caller.actor.tenantId);
  return json(200, pageOf(apis, paging.page).map(apiBody), totalCount(apis.length));
}

export async function createApiOp(request: Request, caller: ApiCaller): Promise<Response> {
  const body = await readObject(request);
  if (body instanceof Response) return body;
  const valid = validateWith(createApiSchema, { name: body.Name, identifier: body.Identifier, scopes: body.Scopes }, API_FIELDS);
  if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });
  const created = await createApi(caller.db, caller.actor, valid.value);
  if (!created.ok) return failureResponse(created, API_FIELDS);
  const api = await getApi(caller.db, caller.actor.tenantId, created.data.id);
  if (!api) return apiNotFound();
  return json(201, apiBody(api), { Location: apiUrl(caller.actor.tenantId, api.id) });
}

export async function getApiOp(_request: Request, caller: ApiCaller, params: ApiParams): Promise<Response> {
  const api = await findApi(caller, params.apiId);
  return api ? json(200, apiBody(api), { ETag: etag(api.version) }) : apiNotFound();
}

/** Edit an API: Name and Scopes (left out: unchanged). If-Match names the version the change is based on. */
export async function updateApiOp(request: Request, caller: ApiCaller, params: ApiParams): Promise<Response> {
  const api = await findApi(caller, params.apiId);
  if (!api) return apiNotFound();
  const body = await readObject(request);
  if (body instanceof Response) return body;
  const ifMatch = ifMatchVersion(request);
  if (ifMatch !== undefined && ifMatch !== api.version) return preconditionFailed();

  const errors: Record<string, string> = {};
  if (has(body, 'Identifier') && body.Identifier !== api.identifier) errors.Identifier = IDENTIFIER_FIXED;
  const input = {
    id: api.id,
    version: api.version,
    name: has(body, 'Name') ? body.Name : api.name,
    scopes: has(body, 'Scopes') ? body.Scopes : api.scopes,
  };
  const valid = validateWith(updateApiSchema, input, API_FIELDS, errors);
  if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });
  const updated = await updateApi(caller.db, caller.actor, valid.value);
  if (!updated.ok) {
    return ifMatch !== undefined && updated.code === 'conflict' ? preconditionFailed() : failureResponse(updated, API_FIELDS);
  }
  const saved = await getApi(caller.db, caller.actor.tenantId, api.id);
  if (!saved) return apiNotFound();
  return json(200, apiBody(saved), { ETag: etag(saved.version) });
}

export async function deleteApiOp(_request: Request, caller: ApiCaller, params: ApiParams): Promise<Response> {
  const api = await findApi(caller, params.apiId);
  if (!api) return apiNotFound();
  const removed = await removeApi(caller.db, caller.actor, { id: api.id });
  return removed.ok ? noContent() : failureResponse(removed, API_FIELDS);
}

// ---- A client's ApiAccess, in every client collection ----

/** GET / PUT .../{Collection}/{clientId}/ApiAccess; a client of another type in the collection is not found. */
export function apiAccessOps(kind: ApiClientKind) {
  async function getApiAccessOp(_request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
    const client = await findClient(caller, params.clientId, kind);
    if (!client) return clientNotFound();
    const rows = await listClientApiAccess(caller.db, caller.actor.tenantId, client.id);
    return json(200, rows.map(apiAccessBody));
  }

  /** Replace the list (setClientApiAccess: the client's version goes up, one client.updated event). */
  async function replaceApiAccessOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
    const client = await findClient(caller, params.clientId, kind);
    if (!client) return clientNotFound();
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    if (!Array.isArray(body.value)) {
      return failureResponse({ ok: false, code: 'invalid', fieldErrors: { ApiAccess: 'Send a JSON array of {"ApiId", "Scopes"} objects.' } });
    }
    // Anything but an object is passed on as it is, for the schema to refuse at its index. Ids in lower case:
    // setClientApiAccess matches the ids it was given against the stored ones as text (an upper-case GUID was a 500).
    const lower = (v: unknown) => (typeof v === 'string' ? v.toLowerCase() : v);
    const access = body.value.map((item: unknown) => (isPlainObject(item) ? { apiId: lower(item.ApiId), scopes: item.Scopes } : item));
    const valid = validateWith(clientApiAccessSchema, { clientId: client.id, access }, apiAccessFieldName);
    if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });
    const saved = await setClientApiAccess(caller.db, caller.actor, valid.value);
    if (!saved.ok) return failureResponse(saved, { access: 'ApiAccess' });
    const rows = await listClientApiAccess(caller.db, caller.actor.tenantId, client.id);
    return json(200, rows.map(apiAccessBody));
  }

  return { getApiAccessOp, replaceApiAccessOp };
}
