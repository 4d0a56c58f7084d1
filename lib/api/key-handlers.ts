import { isGuid } from '../clients/fields.schema';
import { addKeySchema, removeKeySchema } from '../clients/key.schema';
import { addKey, keyAlgorithms, listKeys, removeKey, type ClientKeyRow } from '../clients/keys';
import type { ApiCaller } from './authorize';
import { isPlainObject, readJsonBody } from './body';
import { apiError, failureResponse, json, noContent } from '../http/api-answers';
import type { KeyBody } from './key-schemas';
import { pageOf, readPaging, totalCount } from './paging';
import { getApiClient } from './queries';
import { secretInput, validateWith } from './translate';

/**
 * The REST API's Keys operations: the same lib/clients/keys functions the console's Add Key and Remove Key call.
 * A key is never echoed back beyond its public facts (kid, algorithm, thumbprint).
 */
type ClientParams = { tenantId: string; clientId: string };
type KeyParams = ClientParams & { keyId: string };

export const KEY_FIELDS: Record<string, string> = {
  clientId: 'clientId',
  keyId: 'keyId',
  source: 'Key',
  publicKey: 'Key',
  jwksUrl: 'JwksUrl',
  description: 'Description',
  expiresAt: 'Expiration',
  neverExpires: 'Expires',
};

const clientNotFound = () =>
  apiError(404, 'There is no client with this Client Id in this tenant.', { resolution: 'Check the Client Id and the tenant id.' });
const keyNotFound = () => apiError(404, 'The client has no key with this id.');

const SOURCE = { pem: 'PEM', jwk: 'JWK', jwks_url: 'JwksUrl' } as const;

export function keyBody(row: ClientKeyRow): KeyBody {
  return {
    Id: row.id,
    Source: SOURCE[row.source],
    KeyId: row.kid,
    Algorithm: row.alg,
    Algorithms: keyAlgorithms(row),
    Thumbprint: row.thumbprint,
    JwksUrl: row.jwksUrl,
    Description: row.description,
    Expiration: row.expiresAt ? row.expiresAt.toISOString() : null,
    Expires: row.expiresAt !== null,
    CreatedDate: row.createdAt.toISOString(),
    CreatedBy: row.createdBy,
    LastUsedDate: row.lastUsedAt ? row.lastUsedAt.toISOString() : null,
    LastUsedAlgorithm: row.lastUsedAlg,
  };
}

async function findClient({ db, actor }: ApiCaller, clientId: string) {
  return isGuid(clientId) ? getApiClient(db, actor.tenantId, clientId) : null;
}

function keyIdOf(raw: string): number | null {
  if (!/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= 2 ** 31 - 1 ? n : null;
}

export async function listKeysOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
  const paging = readPaging(request);
  if (!paging.ok) return paging.response;
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  const keys = await listKeys(caller.db, client.id);
  return json(200, pageOf(keys, paging.page).map(keyBody), totalCount(keys.length));
}

export async function createKeyOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  if (!isPlainObject(body.value)) return apiError(400, 'The request body must be a JSON object.');
  const { input, errors } = secretInput(body.value);
  const { Key: key, JwksUrl: jwksUrl } = body.value;
  const hasKey = key !== undefined && key !== null;
  const hasUrl = jwksUrl !== undefined && jwksUrl !== null;
  if (hasKey === hasUrl) errors.Key = hasKey ? 'Give Key or JwksUrl, not both.' : 'Give the public key in Key, or a JwksUrl.';
  const publicKey = isPlainObject(key) ? JSON.stringify(key) : key;
  const valid = validateWith(
    addKeySchema,
    { ...input, clientId: client.id, source: hasUrl && !hasKey ? 'jwks_url' : 'key', publicKey: hasKey ? publicKey : '', jwksUrl: hasUrl ? jwksUrl : '' },
    KEY_FIELDS,
    errors,
  );
  if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: valid.errors });
  const added = await addKey(caller.db, caller.actor, valid.value);
  if (!added.ok) return failureResponse(added, KEY_FIELDS);
  const row = (await listKeys(caller.db, client.id)).find((k) => k.id === added.data.keyId);
  if (!row) return keyNotFound();
  return json(201, keyBody(row), { Location: `/api/v1/Tenants/${caller.actor.tenantId}/ClientCredentialClients/${client.id}/Keys/${row.id}` });
}

async function findKey(caller: ApiCaller, params: KeyParams) {
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  const id = keyIdOf(params.keyId);
  const key = id === null ? undefined : (await listKeys(caller.db, client.id)).find((k) => k.id === id);
  if (!key) return keyNotFound();
  return { client, key };
}

export async function getKeyOp(_request: Request, caller: ApiCaller, params: KeyParams): Promise<Response> {
  const found = await findKey(caller, params);
  if (found instanceof Response) return found;
  return json(200, keyBody(found.key));
}

export async function deleteKeyOp(_request: Request, caller: ApiCaller, params: KeyParams): Promise<Response> {
  const found = await findKey(caller, params);
  if (found instanceof Response) return found;
  const removed = await removeKey(caller.db, caller.actor, removeKeySchema.parse({ clientId: found.client.id, keyId: found.key.id }));
  return removed.ok ? noContent() : failureResponse(removed);
}
