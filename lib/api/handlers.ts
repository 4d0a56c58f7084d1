import { createClientSchema } from '../clients/create-client.schema';
import { createClient } from '../clients/create-client';
import { isGuid } from '../clients/fields.schema';
import { listSecrets } from '../clients/queries';
import { addSecretSchema, removeSecretSchema, updateSecretSchema } from '../clients/secret.schema';
import { addSecret, removeSecret, updateSecret } from '../clients/secrets';
import { removeClientSchema, updateClientSchema } from '../clients/update-client.schema';
import { removeClient, updateClient } from '../clients/update-client';
import { replaceClient } from '../clients/replace-client';
import { listCommunityRoles, listTenantRoles } from '../roles/queries';
import type { ApiCaller } from './authorize';
import { CLIENT_CREDENTIAL_CLIENTS, clientUrlOf, type ApiClientKind } from './client-kinds';
import { isPlainObject, readJsonBody } from './body';
import { apiError, failureResponse, json, noContent } from '../http/api-answers';
import { pageOf, readPaging, totalCount } from './paging';
import { getApiClient, listApiClientRoles, listApiClients } from './queries';
import { clientBody, roleBody, secretBody } from './serialize';
import type { SecretCreatedBody } from './schemas';
import type { ClientCreatedBody } from './client-create-schemas';
import { clientCredentialInput } from './client-credential-input';
import { expectedIssuer } from './authorize';
import { federatedBody } from './federated-handlers';
import { keyBody } from './key-handlers';
import { listFederatedCredentials } from '../clients/federated/credentials';
import { listKeys } from '../clients/keys';
import {
  createClientInput,
  ROLES_FIELDS,
  roleIdsFromBody,
  SECRET_FIELDS,
  secretInput,
  UPDATE_CLIENT_FIELDS,
  updateClientInput,
  validateWith,
} from './translate';

/**
 * The REST API's operations. Each one: read and translate the request, validate it with the console's schema, call
 * the same lib/clients function the console's server action calls (which enforces every rule, writes in one
 * transaction with its audit event, and records the actor: here `via: 'api'` and the calling client), and shape
 * the answer. The tenant is always the caller's (authorize.ts has checked it equals the path's).
 */
type TenantParams = { tenantId: string };
export type ClientParams = TenantParams & { clientId: string };
export type SecretParams = ClientParams & { secretId: string };

export const clientNotFound = () =>
  apiError(404, 'There is no client with this Client Id in this tenant.', { resolution: 'Check the Client Id and the tenant id.' });
const secretNotFound = () => apiError(404, 'The client has no secret with this id.');
export const mustBeObject = () => apiError(400, 'The request body must be a JSON object.');

export function clientUrl(tenantId: string, clientId: string) {
  return clientUrlOf(CLIENT_CREDENTIAL_CLIENTS, tenantId, clientId);
}

/**
 * The client of the path, in the caller's tenant and of the collection's type; null for unknown ids, other tenants'
 * ids and other types' ids alike.
 */
export async function findClient({ db, actor }: ApiCaller, clientId: string, kind: ApiClientKind = CLIENT_CREDENTIAL_CLIENTS) {
  return isGuid(clientId) ? getApiClient(db, actor.tenantId, clientId, kind.clientType) : null;
}

export const etag = (version: number) => `"${version}"`;

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

/**
 * Add a client, with its first secret, or with a federated credential or a public key instead (client-credential-input.ts).
 * `Enabled: false` adds it disabled, in the same transaction and audit event.
 */
export async function createClientOp(request: Request, caller: ApiCaller): Promise<Response> {
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  if (!isPlainObject(body.value)) return mustBeObject();
  const { input, enabled, errors } = createClientInput(body.value);
  const credential = clientCredentialInput(body.value, expectedIssuer(request).issuer);
  const valid = validateWith(createClientSchema, { ...input, ...credential.input }, credential.fieldName, { ...errors, ...credential.errors });
  if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });

  const created = await createClient(caller.db, caller.actor, valid.value, { enabled });
  if (!created.ok) {
    const fieldErrors = Object.fromEntries(Object.entries(created.fieldErrors ?? {}).map(([path, message]) => [credential.fieldName(path), message]));
    return failureResponse({ ...created, fieldErrors });
  }
  const { clientId, secret, secretId, keyId, federatedCredentialId } = created.data;

  const client = await getApiClient(caller.db, caller.actor.tenantId, clientId);
  if (!client) return clientNotFound();
  let answer: ClientCreatedBody;
  if (federatedCredentialId !== undefined) {
    const row = (await listFederatedCredentials(caller.db, clientId)).find((r) => r.id === federatedCredentialId);
    if (!row) return clientNotFound();
    answer = { ...clientBody(client), FederatedCredential: federatedBody(row) };
  } else if (keyId !== undefined) {
    const row = (await listKeys(caller.db, clientId)).find((k) => k.id === keyId);
    if (!row) return clientNotFound();
    answer = { ...clientBody(client), PublicKey: keyBody(row) };
  } else {
    const first = secretId === null ? undefined : (await listSecrets(caller.db, clientId)).find((s) => s.id === secretId);
    if (!first || secret === null) return clientNotFound();
    answer = {
      ...clientBody(client),
      ClientSecret: secret,
      SecretId: first.id,
      SecretDescription: first.description,
      SecretExpirationDate: first.expiresAt ? first.expiresAt.toISOString() : null,
    };
  }
  return json(201, answer, { Location: clientUrl(caller.actor.tenantId, clientId) });
}

export async function getClientOp(_request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  return json(200, clientBody(client), { ETag: etag(client.version) });
}

/** If-Match: "3", W/"3" or 3 -> 3; "*" or absent -> undefined; anything else -> NaN (matches no version). */
export function ifMatchVersion(request: Request): number | undefined {
  const header = request.headers.get('if-match')?.trim();
  if (!header || header === '*') return undefined;
  const m = /^(?:W\/)?"?(\d{1,9})"?$/.exec(header);
  return m ? Number(m[1]) : NaN;
}

export const preconditionFailed = () =>
  apiError(412, 'The client was changed after the version named in If-Match.', {
    resolution: 'GET the client again and send its current ETag.',
  });

/**
 * Edit a client: Edit Client (name, token lifetime, roles; the version it is based on) and, when Enabled changes,
 * Disable/Enable, in one transaction (replaceClient). Fields left out keep their values. If-Match names the version
 * the change is based on.
 */
export async function updateClientOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  if (!isPlainObject(body.value)) return mustBeObject();
  const ifMatch = ifMatchVersion(request);
  if (ifMatch !== undefined && ifMatch !== client.version) return preconditionFailed();

  const { input, enabled, errors } = updateClientInput(body.value, client);
  const valid = validateWith(updateClientSchema, input, UPDATE_CLIENT_FIELDS, errors);
  if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });

  const updated = await replaceClient(caller.db, caller.actor, {
    clientType: 'client_credentials',
    client: valid.value,
    enabled: enabled === client.enabled ? undefined : enabled,
  });
  if (!updated.ok) {
    return ifMatch !== undefined && updated.code === 'conflict' ? preconditionFailed() : failureResponse(updated, UPDATE_CLIENT_FIELDS);
  }
  const saved = await getApiClient(caller.db, caller.actor.tenantId, client.id);
  if (!saved) return clientNotFound();
  return json(200, clientBody(saved), { ETag: etag(saved.version) });
}

export async function deleteClientOp(_request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  const removed = await removeClient(caller.db, caller.actor, removeClientSchema.parse({ clientId: client.id }));
  return removed.ok ? noContent() : failureResponse(removed);
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

/**
 * The operations on one client's roles and secrets, for a collection (ClientCredentialClients, HybridClients; the
 * roles also for AuthorizationCodeClients and DeviceCodeClients, which have no secrets). The path's client must be of
 * the collection's type.
 */
export function clientResourceOps(kind: ApiClientKind) {
  async function listRolesOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
    const paging = readPaging(request);
    if (!paging.ok) return paging.response;
    const client = await findClient(caller, params.clientId, kind);
    if (!client) return clientNotFound();
    const roles = await listApiClientRoles(caller.db, client.id);
    return json(200, pageOf(roles, paging.page).map(roleBody), totalCount(roles.length));
  }

  /** Replace the client's roles: the console's Edit Client (updateClient) with the name and token lifetime unchanged. */
  async function replaceRolesOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
    const client = await findClient(caller, params.clientId, kind);
    if (!client) return clientNotFound();
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    const roleIds = roleIdsFromBody(body.value);
    if (!roleIds.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: roleIds.errors });
    const valid = validateWith(
      updateClientSchema,
      { clientId: client.id, version: client.version, name: client.name, tokenLifetime: client.tokenLifetime, roleIds: roleIds.value },
      ROLES_FIELDS,
    );
    if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });
    const updated = await updateClient(caller.db, caller.actor, valid.value);
    if (!updated.ok) return failureResponse(updated, ROLES_FIELDS);
    const roles = await listApiClientRoles(caller.db, client.id);
    return json(200, roles.map(roleBody), totalCount(roles.length));
  }

  // Secrets

  async function listSecretsOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
    const paging = readPaging(request);
    if (!paging.ok) return paging.response;
    const client = await findClient(caller, params.clientId, kind);
    if (!client) return clientNotFound();
    const secrets = await listSecrets(caller.db, client.id);
    return json(200, pageOf(secrets, paging.page).map(secretBody), totalCount(secrets.length));
  }

  async function createSecretOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
    const client = await findClient(caller, params.clientId, kind);
    if (!client) return clientNotFound();
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    if (!isPlainObject(body.value)) return mustBeObject();
    const { input, errors } = secretInput(body.value);
    const valid = validateWith(addSecretSchema, { ...input, clientId: client.id }, SECRET_FIELDS, errors);
    if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });

    const added = await addSecret(caller.db, caller.actor, valid.value);
    if (!added.ok) return failureResponse(added, SECRET_FIELDS);
    const row = (await listSecrets(caller.db, client.id)).find((s) => s.id === added.data.secretId);
    if (!row) return secretNotFound();
    const answer: SecretCreatedBody = { ...secretBody(row), ClientSecret: added.data.secret };
    return json(201, answer, { Location: `${clientUrlOf(kind, caller.actor.tenantId, client.id)}/Secrets/${row.id}` });
  }

  /** The client and one of its secrets from the path, or the 404 to answer. */
  async function findSecret(caller: ApiCaller, params: SecretParams) {
    const client = await findClient(caller, params.clientId, kind);
    if (!client) return clientNotFound();
    const id = secretIdOf(params.secretId);
    const secret = id === null ? undefined : (await listSecrets(caller.db, client.id)).find((s) => s.id === id);
    if (!secret) return secretNotFound();
    return { client, secret };
  }

  async function getSecretOp(_request: Request, caller: ApiCaller, params: SecretParams): Promise<Response> {
    const found = await findSecret(caller, params);
    if (found instanceof Response) return found;
    return json(200, secretBody(found.secret));
  }

  async function updateSecretOp(request: Request, caller: ApiCaller, params: SecretParams): Promise<Response> {
    const found = await findSecret(caller, params);
    if (found instanceof Response) return found;
    const { client, secret } = found;
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    if (!isPlainObject(body.value)) return mustBeObject();
    const { input, errors } = secretInput(body.value, secret);
    const valid = validateWith(
      updateSecretSchema,
      { ...input, clientId: client.id, secretId: secret.id, currentExpiresAt: secret.expiresAt?.toISOString() ?? null },
      SECRET_FIELDS,
      errors,
    );
    if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });
    const updated = await updateSecret(caller.db, caller.actor, valid.value);
    if (!updated.ok) return failureResponse(updated, SECRET_FIELDS);
    const row = (await listSecrets(caller.db, client.id)).find((s) => s.id === secret.id);
    return row ? json(200, secretBody(row)) : secretNotFound();
  }

  async function deleteSecretOp(_request: Request, caller: ApiCaller, params: SecretParams): Promise<Response> {
    const found = await findSecret(caller, params);
    if (found instanceof Response) return found;
    const removed = await removeSecret(
      caller.db,
      caller.actor,
      removeSecretSchema.parse({ clientId: found.client.id, secretId: found.secret.id }),
    );
    return removed.ok ? noContent() : failureResponse(removed);
  }

  return { listRolesOp, replaceRolesOp, listSecretsOp, createSecretOp, getSecretOp, updateSecretOp, deleteSecretOp };
}

export const { listRolesOp, replaceRolesOp, listSecretsOp, createSecretOp, getSecretOp, updateSecretOp, deleteSecretOp } = clientResourceOps(CLIENT_CREDENTIAL_CLIENTS);
