import { createClientSchema } from '../clients/create-client.schema';
import { createClient } from '../clients/create-client';
import { isGuid } from '../clients/fields.schema';
import { listSecrets } from '../clients/queries';
import { listCommunityRoles, listTenantRoles } from '../roles/queries';
import type { ApiCaller } from './authorize';
import { isPlainObject, readJsonBody } from './body';
import { apiError, failureResponse, json } from './http';
import { pageOf, readPaging, totalCount } from './paging';
import { getApiClient, listApiClientRoles, listApiClients } from './queries';
import { clientBody, roleBody, secretBody } from './serialize';
import type { ClientCreatedBody } from './schemas';
import { CREATE_CLIENT_FIELDS, createClientInput, validateWith } from './translate';

/**
 * The REST API's operations. Each one: read and translate the request, validate it with the console's schema, call
 * the same lib/clients function the console's server action calls (which enforces every rule, writes in one
 * transaction with its audit event, and records the actor: here `via: 'api'` and the calling client), and shape
 * the answer. The tenant is always the caller's (authorize.ts has checked it equals the path's).
 */
type TenantParams = { tenantId: string };
type ClientParams = TenantParams & { clientId: string };
type SecretParams = ClientParams & { secretId: string };

const clientNotFound = () =>
  apiError(404, 'There is no client with this Client Id in this tenant.', { resolution: 'Check the Client Id and the tenant id.' });
const secretNotFound = () => apiError(404, 'The client has no secret with this id.');
const mustBeObject = () => apiError(400, 'The request body must be a JSON object.');

export function clientUrl(tenantId: string, clientId: string) {
  return `/api/v1/Tenants/${tenantId}/ClientCredentialClients/${clientId}`;
}

/** The client of the path, in the caller's tenant; null for unknown ids and other tenants' ids alike. */
async function findClient({ db, actor }: ApiCaller, clientId: string) {
  return isGuid(clientId) ? getApiClient(db, actor.tenantId, clientId) : null;
}

/** A secret id from the path: a positive 32-bit integer, else null (answered as not found). */
function secretIdOf(raw: string): number | null {
  if (!/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= 2 ** 31 - 1 ? n : null;
}

// ---- Clients ----

export async function listClientsOp(request: Request, caller: ApiCaller): Promise<Response> {
  const paging = readPaging(request);
  if (!paging.ok) return paging.response;
  const { total, rows } = await listApiClients(caller.db, caller.actor.tenantId, paging.page);
  return json(200, rows.map(clientBody), totalCount(total));
}

export async function createClientOp(request: Request, caller: ApiCaller): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  if (!isPlainObject(body.value)) return mustBeObject();
  const { input, errors } = createClientInput(body.value);
  const valid = validateWith(createClientSchema, input, CREATE_CLIENT_FIELDS, errors);
  if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });

  const created = await createClient(caller.db, caller.actor, valid.value);
  if (!created.ok) return failureResponse(created, CREATE_CLIENT_FIELDS);
  const { clientId, secret, secretId } = created.data;

  const [client, secrets] = await Promise.all([getApiClient(caller.db, caller.actor.tenantId, clientId), listSecrets(caller.db, clientId)]);
  const first = secrets.find((s) => s.id === secretId);
  if (!client || !first) return clientNotFound();
  const answer: ClientCreatedBody = {
    ...clientBody(client),
    ClientSecret: secret,
    SecretId: secretId,
    SecretDescription: first.description,
    SecretExpirationDate: first.expiresAt ? first.expiresAt.toISOString() : null,
  };
  return json(201, answer, { Location: clientUrl(caller.actor.tenantId, clientId) });
}

export async function getClientOp(_request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  return json(200, clientBody(client), { ETag: `"${client.version}"` });
}

// ---- Roles ----

/** The roles a client of this tenant can be given: the tenant's own, then its communities'. */
export async function listTenantRolesOp(request: Request, caller: ApiCaller): Promise<Response> {
  const paging = readPaging(request);
  if (!paging.ok) return paging.response;
  const [own, community] = await Promise.all([
    listTenantRoles(caller.db, caller.actor.tenantId),
    listCommunityRoles(caller.db, caller.actor.tenantId),
  ]);
  const all = [...own, ...community];
  return json(200, pageOf(all, paging.page).map(roleBody), totalCount(all.length));
}

export async function listRolesOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
  const paging = readPaging(request);
  if (!paging.ok) return paging.response;
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  const roles = await listApiClientRoles(caller.db, client.id);
  return json(200, pageOf(roles, paging.page).map(roleBody), totalCount(roles.length));
}

// ---- Secrets ----

export async function listSecretsOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
  const paging = readPaging(request);
  if (!paging.ok) return paging.response;
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  const secrets = await listSecrets(caller.db, client.id);
  return json(200, pageOf(secrets, paging.page).map(secretBody), totalCount(secrets.length));
}

export async function getSecretOp(_request: Request, caller: ApiCaller, params: SecretParams): Promise<Response> {
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  const id = secretIdOf(params.secretId);
  const secret = id === null ? undefined : (await listSecrets(caller.db, client.id)).find((s) => s.id === id);
  if (!secret) return secretNotFound();
  return json(200, secretBody(secret));
}
