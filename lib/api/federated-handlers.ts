import { isGuid } from '../clients/fields.schema';
import { addFederatedCredential, listFederatedCredentials, removeFederatedCredential, updateFederatedCredential, type FederatedCredentialRow } from '../clients/federated/credentials';
import { addFederatedCredentialSchema, updateFederatedCredentialSchema } from '../clients/federated/federated-credential.schema';
import type { ApiCaller } from './authorize';
import { expectedIssuer } from './authorize';
import { isPlainObject, readJsonBody } from './body';
import type { FederatedBody } from './federated-schemas';
import { apiError, apiFieldName, failureResponse, json, noContent } from '../http/api-answers';
import { pageOf, readPaging, totalCount } from './paging';
import { getApiClient } from './queries';
import { validateWith } from './translate';

/**
 * The REST API's FederatedCredentials operations: the same lib/clients/federated functions (and zod schema) as the console's
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
  enabled: 'Enabled',
  credentialId: 'credentialId',
};
const CONDITION_FIELDS: Record<string, string> = { claim: 'Claim', operator: 'Operator', value: 'Values' };
const OPERATOR_IN: Record<string, string> = { Equals: 'equals', Glob: 'glob', OneOf: 'one_of' };
const OPERATOR_OUT = { equals: 'Equals', glob: 'Glob', one_of: 'OneOf' } as const;

/** "Conditions[0].value" -> "Conditions[0].Values". */
function apiErrors(errors: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(errors).map(([k, v]) => [conditionFieldName(k), v]));
}
const conditionFieldName = (apiPath: string) => apiPath.replace(/\.(claim|operator|value)$/, (_, f: string) => `.${CONDITION_FIELDS[f]}`);

/** A lib path of the credential's fields ("conditions.0.value") -> its API name ("Conditions[0].Values"). */
export function federatedFieldName(path: string): string {
  return conditionFieldName(apiFieldName(path, FEDERATED_FIELDS));
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
    Enabled: row.enabled,
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
export function federatedInput(body: Record<string, unknown>, clientId: string, defaultAudience: string) {
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

/**
 * PUT: Edit Federated Credential. Fields left out keep their stored values (Jwks left out keeps a pasted JWK Set;
 * Jwks null switches to OIDC discovery); then the same schema and lib function as the console's Edit pane.
 */
export async function updateFederatedOp(request: Request, caller: ApiCaller, params: ItemParams): Promise<Response> {
  const found = await findItem(caller, params);
  if (found instanceof Response) return found;
  const { client, row } = found;
  const body = await readJsonBody(request);
  if (!body.ok) return body.response;
  if (!isPlainObject(body.value)) return apiError(400, 'The request body must be a JSON object.');
  const merged: Record<string, unknown> = { ...storedBody(row), ...body.value };
  // Expires or Expiration sent alone: the other follows it (Expires false clears the date; a date means it expires).
  if (body.value.Expires === false && !('Expiration' in body.value)) merged.Expiration = null;
  if (body.value.Expiration !== undefined && body.value.Expiration !== null && !('Expires' in body.value)) merged.Expires = true;
  if (body.value.Expiration === null && !('Expires' in body.value)) merged.Expires = false;
  const { input, errors } = federatedInput(merged, client.id, row.audience);
  if (body.value.Enabled !== undefined && typeof body.value.Enabled !== 'boolean') errors.Enabled = 'Enabled must be true or false.';
  const valid = validateWith(
    updateFederatedCredentialSchema,
    { ...input, credentialId: row.id, enabled: merged.Enabled, currentExpiresAt: row.expiresAt?.toISOString() ?? null },
    FEDERATED_FIELDS,
    errors,
  );
  if (!valid.ok) return failureResponse({ ok: false, code: 'invalid', fieldErrors: apiErrors(valid.errors) });
  const updated = await updateFederatedCredential(caller.db, caller.actor, valid.value);
  if (!updated.ok) return failureResponse({ ...updated, fieldErrors: Object.fromEntries(Object.entries(updated.fieldErrors ?? {}).map(([k, v]) => [federatedFieldName(k), v])) });
  const saved = (await listFederatedCredentials(caller.db, client.id)).find((r) => r.id === row.id);
  return saved ? json(200, federatedBody(saved)) : itemNotFound();
}

/** The stored credential as a request body (the PUT's fields left out keep these). */
function storedBody(row: FederatedCredentialRow): Record<string, unknown> {
  const body = federatedBody(row);
  return {
    Name: body.Name,
    Preset: body.Preset,
    Issuer: body.Issuer,
    Audience: body.Audience,
    Subject: body.Subject,
    SubjectMatch: body.SubjectMatch,
    Conditions: body.Conditions,
    Jwks: row.keySource === 'pasted' ? row.jwksText : null,
    MaxTokenAgeMinutes: body.MaxTokenAgeMinutes,
    SingleUse: body.SingleUse,
    Enabled: body.Enabled,
    Expiration: body.Expiration,
    Expires: body.Expires,
  };
}

export async function deleteFederatedOp(_request: Request, caller: ApiCaller, params: ItemParams): Promise<Response> {
  const found = await findItem(caller, params);
  if (found instanceof Response) return found;
  const removed = await removeFederatedCredential(caller.db, caller.actor, { clientId: found.client.id, credentialId: found.row.id });
  return removed.ok ? noContent() : failureResponse(removed);
}
