import { listSecrets } from '../clients/queries';
import { createUserClient } from '../clients/create-user-client';
import { removeClientSchema, updateClientSchema } from '../clients/update-client.schema';
import { removeClient } from '../clients/update-client';
import { replaceClient } from '../clients/replace-client';
import { createUserClientSchema, updateClientUrlsSchema } from '../clients/user-client.schema';
import type { ApiCaller } from './authorize';
import { isPlainObject, readJsonBody } from './body';
import { AUTHORIZATION_CODE_CLIENTS, clientUrlOf, DEVICE_CODE_CLIENTS, HYBRID_CLIENTS } from './client-kinds';
import { clientNotFound, clientResourceOps, etag, findClient, ifMatchVersion, mustBeObject, preconditionFailed, type ClientParams } from './handlers';
import { failureResponse, json, noContent } from '../http/api-answers';
import { readPaging, totalCount } from './paging';
import { getApiClient, listApiClients, type ApiClientRow } from './queries';
import type { HybridClientCreatedBody } from './schemas';
import { authorizationCodeClientBody, deviceCodeClientBody, hybridClientBody } from './serialize';
import { CREATE_USER_CLIENT_FIELDS, createUserClientInput, UPDATE_USER_CLIENT_FIELDS, updateUserClientInput, validateWith } from './translate';

/**
 * The REST API's AuthorizationCodeClients, HybridClients and DeviceCodeClients collections: the console's Add Client
 * (createUserClient), Edit Client + Edit Sign-In Settings + Disable/Enable (replaceClient, one transaction) and
 * Remove Client, validated with the console's schemas (https-only redirect URLs except loopback, lifetime bounds).
 * Each collection answers only for clients of its type. Roles (all three) and secrets (Hybrid) are the
 * ClientCredentialClients operations bound to the collection (handlers.ts clientResourceOps).
 */
type UserClientKind = typeof AUTHORIZATION_CODE_CLIENTS | typeof HYBRID_CLIENTS | typeof DEVICE_CODE_CLIENTS;

const BODIES: Record<UserClientKind['clientType'], (row: ApiClientRow) => object> = {
  authorization_code: authorizationCodeClientBody,
  hybrid: hybridClientBody,
  device_code: deviceCodeClientBody,
};

function userClientOps(kind: UserClientKind) {
  const hybrid = kind.clientType === 'hybrid';
  const bodyOf = BODIES[kind.clientType];

  async function listClientsOp(request: Request, caller: ApiCaller): Promise<Response> {
    const paging = readPaging(request);
    if (!paging.ok) return paging.response;
    const { total, rows } = await listApiClients(caller.db, caller.actor.tenantId, paging.page, kind.clientType);
    return json(200, rows.map(bodyOf), totalCount(total));
  }

  /** Add a client (Enabled: false adds it disabled, in the same transaction). A Hybrid client's answer holds its one-time secret. */
  async function createClientOp(request: Request, caller: ApiCaller): Promise<Response> {
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    if (!isPlainObject(body.value)) return mustBeObject();
    const { input, enabled, errors } = createUserClientInput(body.value, kind.clientType);
    const valid = validateWith(createUserClientSchema, input, CREATE_USER_CLIENT_FIELDS, errors);
    if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });

    const created = await createUserClient(caller.db, caller.actor, valid.value, { enabled });
    if (!created.ok) return failureResponse(created, CREATE_USER_CLIENT_FIELDS);
    const { clientId, secret, secretId } = created.data;
    const client = await getApiClient(caller.db, caller.actor.tenantId, clientId, kind.clientType);
    if (!client) return clientNotFound();
    const headers = { Location: clientUrlOf(kind, caller.actor.tenantId, clientId) };
    if (!hybrid) return json(201, bodyOf(client), headers);

    const first = secretId === null ? undefined : (await listSecrets(caller.db, clientId)).find((s) => s.id === secretId);
    if (secret === null || !first) return clientNotFound();
    const answer: HybridClientCreatedBody = {
      ...hybridClientBody(client),
      ClientSecret: secret,
      SecretId: first.id,
      SecretDescription: first.description,
      SecretExpirationDate: first.expiresAt ? first.expiresAt.toISOString() : null,
    };
    return json(201, answer, headers);
  }

  async function getClientOp(_request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
    const client = await findClient(caller, params.clientId, kind);
    if (!client) return clientNotFound();
    return json(200, bodyOf(client), { ETag: etag(client.version) });
  }

  /** Edit a client: fields left out keep their values; If-Match names the version the change is based on. */
  async function updateClientOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
    const client = await findClient(caller, params.clientId, kind);
    if (!client) return clientNotFound();
    const body = await readJsonBody(request);
    if (!body.ok) return body.response;
    if (!isPlainObject(body.value)) return mustBeObject();
    const ifMatch = ifMatchVersion(request);
    if (ifMatch !== undefined && ifMatch !== client.version) return preconditionFailed();

    const { input, urls, enabled, errors } = updateUserClientInput(body.value, client, kind.clientType);
    // Both parts are validated before anything is written, so every bad field is reported at once.
    const details = validateWith(updateClientSchema, input, UPDATE_USER_CLIENT_FIELDS, errors);
    const settings = validateWith(updateClientUrlsSchema, urls, UPDATE_USER_CLIENT_FIELDS);
    if (!details.ok || !settings.ok) {
      const fieldErrors = { ...(settings.ok ? {} : settings.errors), ...(details.ok ? {} : details.errors) };
      return failureResponse({ ok: false, code: 'invalid', fieldErrors });
    }

    const updated = await replaceClient(caller.db, caller.actor, {
      clientType: kind.clientType,
      client: details.value,
      urls: settings.value,
      enabled: enabled === client.enabled ? undefined : enabled,
    });
    if (!updated.ok) {
      return ifMatch !== undefined && updated.code === 'conflict' ? preconditionFailed() : failureResponse(updated, UPDATE_USER_CLIENT_FIELDS);
    }
    const saved = await getApiClient(caller.db, caller.actor.tenantId, client.id, kind.clientType);
    if (!saved) return clientNotFound();
    return json(200, bodyOf(saved), { ETag: etag(saved.version) });
  }

  async function deleteClientOp(_request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
    const client = await findClient(caller, params.clientId, kind);
    if (!client) return clientNotFound();
    const removed = await removeClient(caller.db, caller.actor, removeClientSchema.parse({ clientId: client.id }));
    return removed.ok ? noContent() : failureResponse(removed);
  }

  return { listClientsOp, createClientOp, getClientOp, updateClientOp, deleteClientOp, ...clientResourceOps(kind) };
}

export const authorizationCodeClientOps = userClientOps(AUTHORIZATION_CODE_CLIENTS);
export const hybridClientOps = userClientOps(HYBRID_CLIENTS);
export const deviceCodeClientOps = userClientOps(DEVICE_CODE_CLIENTS);
