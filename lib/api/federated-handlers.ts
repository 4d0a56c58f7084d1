import { isGuid } from '../clients/fields.schema';
import { addFederatedCredential, listFederatedCredentials, removeFederatedCredential, type FederatedCredentialRow } from '../federation/credentials';
import { addFederatedCredentialSchema } from '../federation/federated-credential.schema';
import type { ApiCaller } from './authorize';
import { expectedIssuer } from './authorize';
import { isPlainObject, readJsonBody } from './body';
import type { FederatedBody } from './federated-schemas';
import { apiError, failureResponse, json, noContent } from './http';
import { pageOf, readPaging, totalCount } from './paging';
import { getApiClient } from './queries';
import { validateWith } from './translate';

/**
 * The REST API's FederatedCredentials operations: the same lib/federation functions (and zod schema) as the console's
 * Federated Credentials tab, with the product's field names.
 */
type ClientParams = { tenantId: string; clientId: string };
type ItemParams = ClientParams & { credentialId: string };

export const FEDERATED_FIELDS: Record<string, string> = {
  clientId: 'clientId',
  name: 'Name',
  preset: 'Preset',
  issuer: 'Issuer',
  audience: 'Audience',
  subject: 'Subject',
  subjectOperator: 'SubjectMatch',
  conditions: 'Conditions',
  keySource: 'Jwks',
  jwks: 'Jwks',
  maxTokenAgeMinutes: 'MaxTokenAgeMinutes',
  singleUse: 'SingleUse',
  neverExpires: 'Expires',
  expiresAt: 'Expiration',
};
const CONDITION_FIELDS: Record<string, string> = { claim: 'Claim', operator: 'Operator', value: 'Values' };
const OPERATOR_IN: Record<string, string> = { Equals: 'equals', Glob: 'glob', OneOf: 'one_of' };
const OPERATOR_OUT = { equals: 'Equals', glob: 'Glob', one_of: 'OneOf' } as const;

/** "Conditions[0].value" -> "Conditions[0].Values". */
function apiErrors(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [k.replace(/\.(claim|operator|value)$/, (_, f: string) => `.${CONDITION_FIELDS[f]}`), v]));
}

const clientNotFound = () =>
  apiError(404, 'There is no client with this Client Id in this tenant.', { resolution: 'Check the Client Id and the tenant id.' });
const itemNotFound = () => apiError(404, 'The client has no federated credential with this id.');

export function federatedBody(row: FederatedCredentialRow): FederatedBody {
  return {
    Id: row.id,
    Name: row.name,
    Preset: row.preset,
    Issuer: row.issuer,
    Audience: row.audience,
    Subject: row.subject,
    SubjectMatch: row.subjectOperator === 'glob' ? 'Glob' : 'Exact',
    Conditions: row.conditions.map((c) => ({ Claim: c.claim, Operator: OPERATOR_OUT[c.operator], Values: c.values })),
    KeySource: row.keySource === 'pasted' ? 'Pasted' : 'Discovery',
    KeyIds: row.keyIds,
    MaxTokenAgeMinutes: Math.round(row.maxTokenAgeSeconds / 60),
    SingleUse: row.singleUse,
    Expiration: row.expiresAt ? row.expiresAt.toISOString() : null,
    Expires: row.expiresAt !== null,
    CreatedDate: row.createdAt.toISOString(),
    CreatedBy: row.createdBy,
    LastUsedDate: row.lastUsedAt ? row.lastUsedAt.toISOString() : null,
    LastFailureDate: row.lastFailureAt ? row.lastFailureAt.toISOString() : null,
    LastFailureReason: row.lastFailureReason,
  };
}

async function findClient({ db, actor }: ApiCaller, clientId: string) {
  return isGuid(clientId) ? getApiClient(db, actor.tenantId, clientId) : null;
}

function idOf(raw: string): number | null {
  if (!/^\d{1,10}$/.test(raw)) return null;
  const n = Number(raw);
  return n >= 1 && n <= 2 ** 31 - 1 ? n : null;
}

export async function listFederatedOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
  const paging = readPaging(request);
  if (!paging.ok) return paging.response;
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  const rows = await listFederatedCredentials(caller.db, client.id);
  return json(200, pageOf(rows, paging.page).map(federatedBody), totalCount(rows.length));
}

/** The API body as the console form's input; what only the API can get wrong goes into `errors`. */
function federatedInput(body: Record<string, unknown>, clientId: string, defaultAudience: string) {
  const errors: Record<string, string> = {};
  const match = body.SubjectMatch;
  if (match !== undefined && match !== 'Exact' && match !== 'Glob') errors.SubjectMatch = 'SubjectMatch must be Exact or Glob.';
  if (body.Expires !== undefined && typeof body.Expires !== 'boolean') errors.Expires = 'Expires must be true or false.';
  const hasExpiration = body.Expiration !== undefined && body.Expiration !== null;
  if (body.Expires === true && !hasExpiration) errors.Expiration = 'Give an Expiration when Expires is true.';
  if (body.Expires === false && hasExpiration) errors.Expiration = 'Leave Expiration out when Expires is false: the credential never expires.';
  let conditions: unknown = body.Conditions ?? [];
  if (Array.isArray(conditions)) {
    conditions = conditions.map((c) =>
      isPlainObject(c)
        ? { claim: c.Claim, operator: typeof c.Operator === 'string' ? (OPERATOR_IN[c.Operator] ?? c.Operator) : c.Operator, value: c.Values }
        : c,
    );
  }
  const hasJwks = body.Jwks !== undefined && body.Jwks !== null;
  return {
    errors,
    input: {
      clientId,
      name: body.Name,
      preset: body.Preset ?? 'oidc',
      issuer: body.Issuer,
      audience: body.Audience ?? defaultAudience,
      subjectOperator: match === 'Glob' ? 'glob' : 'equals',
      subject: body.Subject,
      conditions,
      keySource: hasJwks ? 'pasted' : 'discovery',
      jwks: hasJwks ? (isPlainObject(body.Jwks) ? JSON.stringify(body.Jwks) : body.Jwks) : '',
      maxTokenAgeMinutes: body.MaxTokenAgeMinutes,
      singleUse: body.SingleUse ?? true,
      neverExpires: !hasExpiration,
      expiresAt: hasExpiration ? body.Expiration : null,
    },
  };
}

export async function createFederatedOp(request: Request, caller: ApiCaller, params: ClientParams): Promise<Response> {
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  if (!isPlainObject(body.value)) return apiError(400, 'The request body must be a JSON object.');
  const { input, errors } = federatedInput(body.value, client.id, expectedIssuer(request).issuer);
  const valid = validateWith(addFederatedCredentialSchema, input, FEDERATED_FIELDS, errors);
  if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: apiErrors(valid.errors) });
  const added = await addFederatedCredential(caller.db, caller.actor, valid.value);
  if (!added.ok) return failureResponse({ ...added, fieldErrors: added.fieldErrors }, FEDERATED_FIELDS);
  const row = (await listFederatedCredentials(caller.db, client.id)).find((r) => r.id === added.data.credentialId);
  if (!row) return itemNotFound();
  return json(201, federatedBody(row), {
    Location: `/api/v1/Tenants/${caller.actor.tenantId}/ClientCredentialClients/${client.id}/FederatedCredentials/${row.id}`,
  });
}

async function findItem(caller: ApiCaller, params: ItemParams) {
  const client = await findClient(caller, params.clientId);
  if (!client) return clientNotFound();
  const id = idOf(params.credentialId);
  const row = id === null ? undefined : (await listFederatedCredentials(caller.db, client.id)).find((r) => r.id === id);
  if (!row) return itemNotFound();
  return { client, row };
}

export async function getFederatedOp(_request: Request, caller: ApiCaller, params: ItemParams): Promise<Response> {
  const found = await findItem(caller, params);
  if (found instanceof Response) return found;
  return json(200, federatedBody(found.row));
}

export async function deleteFederatedOp(_request: Request, caller: ApiCaller, params: ItemParams): Promise<Response> {
  const found = await findItem(caller, params);
  if (found instanceof Response) return found;
  const removed = await removeFederatedCredential(caller.db, caller.actor, { clientId: found.client.id, credentialId: found.row.id });
  return removed.ok ? noContent() : failureResponse(removed);
}
