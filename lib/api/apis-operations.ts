import { MAX_APIS_PER_TENANT } from '../apis/apis.schema';
import type { ApiClientKind } from './client-kinds';
import { apiAccessOps, createApiOp, deleteApiOp, getApiOp, listApisOp, updateApiOp } from './apis-handlers';
import { apiAccessResponse, apiAccessUpdateRequest, apiCreateRequest, apiResponse, apiUpdateRequest } from './apis-schemas';
import type { OperationSpec } from './operation-spec';

const APIS = '/api/v1/Tenants/{tenantId}/Apis';
const NOT_FOUND = { status: 404, description: 'No such API in this tenant (ids of other tenants alike).' } as const;
const BODY_ERRORS = [
  { status: 413, description: 'The body is larger than 32 KiB.' },
  { status: 415, description: 'The body is not application/json.' },
] as const;

/** What the Apis tag says (the console's API Reference shows it above the operations). */
export const APIS_TAG_DESCRIPTION =
  'APIs (resource servers) of the tenant, and which clients may get tokens for them: RFC 8707 resource indicators. ' +
  'A client with API access asks the token endpoint (or the authorization or device authorization request) with ' +
  'resource=<Identifier>: the access token\'s aud is then exactly that Identifier, and its scope is the client\'s granted ' +
  'scopes of the API (or those of them it asked for). An API the client was not given, another tenant\'s or an unknown ' +
  'one is answered invalid_target. Without resource=, tokens have the default audience, the only one this REST API accepts: ' +
  'a token for an API cannot be used here. A client\'s API access is under each client collection: .../{clientId}/ApiAccess.';

/** The Apis operations (Security > APIs), listed in the contract (lib/api/contract.ts). */
export const API_OPERATIONS: OperationSpec[] = [
  {
    method: 'get',
    path: APIS,
    operationId: 'listApis',
    handler: listApisOp,
    tag: 'Apis',
    summary: 'List APIs',
    description: 'The tenant\'s APIs, by name. The total is in the Total-Count header.',
    paging: true,
    success: { status: 200, schema: apiResponse, array: true, description: 'The APIs on this page.' },
    errors: [{ status: 400, description: 'skip or count is invalid.' }],
  },
  {
    method: 'post',
    path: APIS,
    operationId: 'createApi',
    handler: createApiOp,
    tag: 'Apis',
    summary: 'Add an API',
    description:
      'Adds an API with its Identifier (fixed from now on: resource servers check it in every token\'s aud) and scopes. ' +
      `No client may get tokens for it until given access (.../ApiAccess). At most ${MAX_APIS_PER_TENANT} APIs per tenant.`,
    request: apiCreateRequest,
    example: { Name: 'Orders', Identifier: 'https://orders.example.com', Scopes: ['orders:read', 'orders:write'] },
    success: { status: 201, schema: apiResponse, description: 'The API.' },
    errors: [
      { status: 400, description: 'Invalid fields (an Identifier that is not an absolute URI, an OpenID Connect scope), or the tenant has reached the limit.' },
      { status: 409, description: 'Another API (of any tenant: identifiers are unique, as they are the tokens\' aud) has this Identifier (Errors.Identifier).' },
      ...BODY_ERRORS,
    ],
  },
  {
    method: 'get',
    path: `${APIS}/{apiId}`,
    operationId: 'getApi',
    handler: getApiOp,
    tag: 'Apis',
    summary: 'Get an API',
    description: 'The API. The ETag header holds its version, for If-Match on PUT.',
    etag: true,
    success: { status: 200, schema: apiResponse, description: 'The API.' },
    errors: [NOT_FOUND],
  },
  {
    method: 'put',
    path: `${APIS}/{apiId}`,
    operationId: 'updateApi',
    handler: updateApiOp,
    tag: 'Apis',
    summary: 'Edit an API',
    description:
      'Changes the name and the scopes (fields left out stay as they are). The Identifier cannot change: sending another one ' +
      'is a 400. Scopes removed are no longer granted to any client at once. Send If-Match with the ETag of a GET to refuse ' +
      'the change if someone else changed the API since (412).',
    request: apiUpdateRequest,
    etag: true,
    ifMatch: true,
    example: { Name: 'Orders', Scopes: ['orders:read', 'orders:write', 'orders:admin'] },
    success: { status: 200, schema: apiResponse, description: 'The API as saved.' },
    errors: [
      { status: 400, description: 'Invalid fields, or another Identifier.' },
      NOT_FOUND,
      { status: 409, description: 'The API was changed meanwhile (without If-Match).' },
      { status: 412, description: 'If-Match does not name the API\'s current version.' },
      ...BODY_ERRORS,
    ],
  },
  {
    method: 'delete',
    path: `${APIS}/{apiId}`,
    operationId: 'deleteApi',
    handler: deleteApiOp,
    tag: 'Apis',
    summary: 'Remove an API',
    description: 'Removes the API and every client\'s access to it: no client gets tokens for it any more (invalid_target).',
    success: { status: 204, description: 'Removed.' },
    errors: [NOT_FOUND],
  },
];

/**
 * GET / PUT .../{Collection}/{clientId}/ApiAccess for one client collection; `type` names its operations and `aWhat`
 * the client ("an Authorization Code", for "an Authorization Code client").
 */
export function apiAccessOperations(kind: ApiClientKind, type: string, aWhat: string): OperationSpec[] {
  const path = `/api/v1/Tenants/{tenantId}/${kind.collection}/{clientId}/ApiAccess`;
  const what = aWhat.replace(/^an? /, '');
  const notFound = { status: 404, description: `No such ${what} client in this tenant (ids of other tenants and of other client types alike).` } as const;
  const { getApiAccessOp, replaceApiAccessOp } = apiAccessOps(kind);
  return [
    {
      method: 'get',
      path,
      operationId: `get${type}ApiAccess`,
      handler: getApiAccessOp,
      tag: 'Apis',
      summary: `List the APIs ${aWhat} client may get tokens for`,
      description: 'The APIs the client may ask tokens for with resource=<Identifier>, by name, each with the scopes granted (null: all).',
      success: { status: 200, schema: apiAccessResponse, array: true, description: 'The client\'s API access.' },
      errors: [notFound],
    },
    {
      method: 'put',
      path,
      operationId: `replace${type}ApiAccess`,
      handler: replaceApiAccessOp,
      tag: 'Apis',
      summary: `Replace the APIs ${aWhat} client may get tokens for`,
      description:
        'Replaces the client\'s API access with the list sent (an empty list withdraws all), in one transaction. Each API must be ' +
        'one of this tenant\'s, chosen once, and each scope one of the API\'s. Withdrawn access ends new tokens for that API at once, ' +
        'refresh tokens included.',
      request: apiAccessUpdateRequest,
      example: [{ ApiId: '00000000-0000-4000-8000-000000000000', Scopes: ['orders:read'] }],
      success: { status: 200, schema: apiAccessResponse, array: true, description: 'The client\'s API access after the change.' },
      errors: [
        { status: 400, description: 'Not an array, an API that is not this tenant\'s (Errors.ApiAccess), or a scope the API does not have.' },
        notFound,
        ...BODY_ERRORS,
      ],
    },
  ];
}
