import type { z } from 'zod';
import { MAX_CLIENTS_PER_TENANT, MAX_SECRETS_PER_CLIENT } from '../clients/limits';
import { clientCreatedResponse, clientCreateRequest } from './client-create-schemas';
import {
  createClientOp,
  createSecretOp,
  deleteClientOp,
  deleteSecretOp,
  getClientOp,
  getSecretOp,
  listClientsOp,
  listRolesOp,
  listSecretsOp,
  listTenantRolesOp,
  replaceRolesOp,
  updateClientOp,
  updateSecretOp,
} from './handlers';
import type { OperationSpec } from './operation-spec';
import {
  authorizationCodeClientCreateRequest,
  authorizationCodeClientResponse,
  authorizationCodeClientUpdateRequest,
  clientResponse,
  clientUpdateRequest,
  deviceCodeClientCreateRequest,
  deviceCodeClientResponse,
  deviceCodeClientUpdateRequest,
  hybridClientCreatedResponse,
  hybridClientCreateRequest,
  hybridClientResponse,
  hybridClientUpdateRequest,
  roleResponse,
  rolesUpdateRequest,
  secretCreatedResponse,
  secretCreateRequest,
  secretResponse,
  secretUpdateRequest,
  userClientRolesUpdateRequest,
} from './schemas';
import { authorizationCodeClientOps, deviceCodeClientOps, hybridClientOps } from './user-client-handlers';

/**
 * The client collections' operations (ClientCredentialClients with the tenant's Roles, and the user client
 * collections), each with its handler; lib/api/contract.ts lists them with the other areas'.
 */

export const API_BASE = '/api/v1';
/** Example dates that stay in the future: June 30 of next year. */
const NEXT_YEAR = `${new Date().getUTCFullYear() + 1}-06-30T00:00:00Z`;
const CLIENTS = '/api/v1/Tenants/{tenantId}/ClientCredentialClients';
const CLIENT = `${CLIENTS}/{clientId}`;

const BODY_ERRORS = [
  { status: 413, description: 'The body is larger than 32 KiB.' },
  { status: 415, description: 'The body is not application/json.' },
] as const;
const NOT_FOUND = { status: 404, description: 'No such client in this tenant (ids of other tenants alike).' } as const;
const SECRET_NOT_FOUND = { status: 404, description: 'No such client in this tenant, or no such secret of the client.' } as const;

type UserClientCollection = 'AuthorizationCodeClients' | 'HybridClients' | 'DeviceCodeClients';

/** What differs between the user client collections' documents: names, and the texts of Add Client and Edit. */
type UserClientDoc = {
  type: string;
  /** The client's response schema, and the collection's handlers. */
  response: z.ZodType;
  ops: typeof hybridClientOps;
  what: string;
  /** "an Authorization Code", for summaries such as "Add an Authorization Code client". */
  aWhat: string;
  create: { description: string; request: z.ZodType; example: unknown; success: OperationSpec['success']; invalid: string };
  getDescription: string;
  update: { description: string; request: z.ZodType; example: unknown };
  deleteDescription: string;
};

const perTenantLimit = `At most ${MAX_CLIENTS_PER_TENANT.toLocaleString('en-US')} clients per tenant.`;
const URLS_EXAMPLE = { RedirectUris: ['https://app.example.com/signin-oidc'], PostLogoutRedirectUris: ['https://app.example.com/signed-out'] };
const URL_UPDATE = {
  description:
    'Changes any of the name, Enabled, the token lifetimes, the URLs and the roles (fields left out stay as they are), in one ' +
    'transaction. Send If-Match with the ETag of a GET to refuse the change if someone else changed the client since (412).',
  example: { RedirectUris: ['https://app.example.com/signin-oidc', 'http://127.0.0.1:8080/callback'], Enabled: true },
};
const URL_INVALID = 'Invalid fields (such as a redirect URL that is not https), or the tenant has reached the client limit.';

const USER_CLIENT_DOCS: Record<UserClientCollection, UserClientDoc> = {
  AuthorizationCodeClients: {
    type: 'AuthorizationCodeClient',
    response: authorizationCodeClientResponse,
    ops: authorizationCodeClientOps,
    what: 'Authorization Code client',
    aWhat: 'an Authorization Code',
    create: {
      description:
        'Adds a public client that signs users in (browser and native apps: authorization code with PKCE S256, no secret), ' +
        `with Tenant Member plus the given roles. ${perTenantLimit}`,
      request: authorizationCodeClientCreateRequest,
      example: { Name: 'Operator app', ...URLS_EXAMPLE, AllowedCorsOrigins: ['https://app.example.com'], RefreshTokenLifetime: 2592000 },
      success: { status: 201, schema: authorizationCodeClientResponse, description: 'The client.' },
      invalid: URL_INVALID,
    },
    getDescription: 'The client, with its role ids and sign-in settings. The ETag header holds its version, for If-Match on PUT.',
    update: { ...URL_UPDATE, request: authorizationCodeClientUpdateRequest },
    deleteDescription: 'Removes the client and its codes and refresh tokens. Users can no longer sign in to it.',
  },
  HybridClients: {
    type: 'HybridClient',
    response: hybridClientResponse,
    ops: hybridClientOps,
    what: 'Hybrid client',
    aWhat: 'a Hybrid',
    create: {
      description:
        'Adds a confidential client that signs users in (authorization code with PKCE, refresh tokens), with Tenant Member plus ' +
        `the given roles and its first secret. The answer holds the secret; it is shown only once. ${perTenantLimit}`,
      request: hybridClientCreateRequest,
      example: { Name: 'Plant portal', ...URLS_EXAMPLE, RefreshTokenLifetime: 2592000, SecretDescription: 'portal-01', SecretExpirationDate: NEXT_YEAR },
      success: { status: 201, schema: hybridClientCreatedResponse, description: 'The client and its one-time secret.' },
      invalid: URL_INVALID,
    },
    getDescription: 'The client, with its role ids and sign-in settings. Never a secret. The ETag header holds its version, for If-Match on PUT.',
    update: { ...URL_UPDATE, request: hybridClientUpdateRequest },
    deleteDescription: 'Removes the client, its secrets and its codes and refresh tokens. Users can no longer sign in to it.',
  },
  DeviceCodeClients: {
    type: 'DeviceCodeClient',
    response: deviceCodeClientResponse,
    ops: deviceCodeClientOps,
    what: 'Device Code client',
    aWhat: 'a Device Code',
    create: {
      description:
        'Adds a Device Code client (RFC 8628): for TVs, devices and CLIs that have no browser or cannot type a password. The device ' +
        'gets a user code at /identity/connect/deviceauthorization, a user enters it at /device on another screen and allows the ' +
        'device, and the device polls the token endpoint (grant urn:ietf:params:oauth:grant-type:device_code). Public: no secret. ' +
        'No redirect URLs: RedirectUris, PostLogoutRedirectUris and AllowedCorsOrigins are ignored, like any field this API does not know. ' +
        `With Tenant Member plus the given roles. ${perTenantLimit}`,
      request: deviceCodeClientCreateRequest,
      example: { Name: 'Lobby display', RefreshTokenLifetime: 2592000 },
      success: { status: 201, schema: deviceCodeClientResponse, description: 'The client (it has no secret).' },
      invalid: 'Invalid fields (such as a refresh token lifetime out of bounds), or the tenant has reached the client limit.',
    },
    getDescription: 'The client, with its role ids and refresh token lifetime. The ETag header holds its version, for If-Match on PUT.',
    update: {
      description:
        'Changes any of the name, Enabled, RequireDpop, the token lifetimes and the roles (fields left out stay as they are; URL fields ' +
        'are ignored: a Device Code client has none), in one transaction. Send If-Match with the ETag of a GET to refuse the change if ' +
        'someone else changed the client since (412).',
      request: deviceCodeClientUpdateRequest,
      example: { Name: 'Lobby display', RefreshTokenLifetime: 86400, Enabled: true },
    },
    deleteDescription: 'Removes the client, its pending device requests and its refresh tokens. Its devices can no longer get tokens.',
  },
};

export const CLIENT_OPERATIONS: OperationSpec[] = [
  {
    method: 'get',
    path: CLIENTS,
    operationId: 'listClientCredentialClients',
    handler: listClientsOp,
    tag: 'Clients',
    summary: 'List clients',
    description: 'The tenant\'s client-credentials clients, oldest first. The total is in the Total-Count header.',
    paging: true,
    success: { status: 200, schema: clientResponse, array: true, description: 'The clients on this page.' },
    errors: [{ status: 400, description: 'skip or count is invalid.' }],
  },
  {
    method: 'post',
    path: CLIENTS,
    operationId: 'createClientCredentialClient',
    handler: createClientOp,
    tag: 'Clients',
    summary: 'Add a client',
    description:
      `Adds a client with Tenant Member plus the given roles and its first secret. The answer holds the secret; it is shown only once. ` +
      `Instead of a secret, give FederatedCredential (a platform token authenticates the client) or PublicKey (private_key_jwt): ` +
      `the client then has no secret, which a tenant whose policy forbids secrets requires. ` +
      `At most ${MAX_CLIENTS_PER_TENANT.toLocaleString('en-US')} clients per tenant.`,
    request: clientCreateRequest,
    example: { Name: 'Plant historian', AccessTokenLifetime: 3600, RoleIds: [], SecretDescription: 'historian-01', SecretExpirationDate: NEXT_YEAR },
    success: { status: 201, schema: clientCreatedResponse, description: 'The client and its one-time secret (or its federated credential or public key).' },
    errors: [
      { status: 400, description: 'Invalid fields (a secret when the tenant\'s policy forbids them), or the tenant has reached the client limit.' },
      { status: 409, description: 'A client with the given Id exists.' },
      ...BODY_ERRORS,
    ],
  },
  {
    method: 'get',
    path: CLIENT,
    operationId: 'getClientCredentialClient',
    handler: getClientOp,
    tag: 'Clients',
    summary: 'Get a client',
    description: 'The client, with its role ids. Never a secret. The ETag header holds its version, for If-Match on PUT.',
    etag: true,
    success: { status: 200, schema: clientResponse, description: 'The client.' },
    errors: [NOT_FOUND],
  },
  {
    method: 'put',
    path: CLIENT,
    operationId: 'updateClientCredentialClient',
    handler: updateClientOp,
    tag: 'Clients',
    summary: 'Edit a client',
    description:
      'Changes the name, and optionally Enabled, the token lifetime and the roles (fields left out stay as they are). ' +
      'Send If-Match with the ETag of a GET to refuse the change if someone else changed the client since (412).',
    request: clientUpdateRequest,
    etag: true,
    ifMatch: true,
    example: { Name: 'Plant historian', Enabled: false },
    success: { status: 200, schema: clientResponse, description: 'The client as saved.' },
    errors: [
      { status: 400, description: 'Invalid fields.' },
      NOT_FOUND,
      { status: 412, description: 'If-Match does not name the client\'s current version.' },
      ...BODY_ERRORS,
    ],
  },
  {
    method: 'delete',
    path: CLIENT,
    operationId: 'deleteClientCredentialClient',
    handler: deleteClientOp,
    tag: 'Clients',
    summary: 'Remove a client',
    description: 'Removes the client and its secrets. It gets no more tokens, and this API refuses the tokens it has at once.',
    success: { status: 204, description: 'Removed.' },
    errors: [NOT_FOUND],
  },
  {
    method: 'get',
    path: '/api/v1/Tenants/{tenantId}/Roles',
    operationId: 'listTenantRoles',
    handler: listTenantRolesOp,
    tag: 'Roles',
    summary: 'List the roles clients can be given',
    description:
      'The tenant\'s roles (built-in first, then custom ones) and the roles of its communities: the ids to use in RoleIds. ' +
      'The total is in the Total-Count header.',
    paging: true,
    success: { status: 200, schema: roleResponse, array: true, description: 'The roles on this page.' },
    errors: [{ status: 400, description: 'skip or count is invalid.' }],
  },
  {
    method: 'get',
    path: `${CLIENT}/Roles`,
    operationId: 'listClientCredentialClientRoles',
    handler: listRolesOp,
    tag: 'Roles',
    summary: 'List a client\'s roles',
    description: 'The tenant and community roles the client holds. The total is in the Total-Count header.',
    paging: true,
    success: { status: 200, schema: roleResponse, array: true, description: 'The roles on this page.' },
    errors: [{ status: 400, description: 'skip or count is invalid.' }, NOT_FOUND],
  },
  {
    method: 'put',
    path: `${CLIENT}/Roles`,
    operationId: 'replaceClientCredentialClientRoles',
    handler: replaceRolesOp,
    tag: 'Roles',
    summary: 'Replace a client\'s roles',
    description: 'Replaces the client\'s roles with the list sent. Tenant Member is always kept.',
    request: rolesUpdateRequest,
    example: ['00000000-0000-4000-8000-000000000000'],
    success: { status: 200, schema: roleResponse, array: true, description: 'The client\'s roles after the change.' },
    errors: [{ status: 400, description: 'An id is not a role of this tenant or its communities.' }, NOT_FOUND, ...BODY_ERRORS],
  },
  ...secretOperations({
    one: CLIENT,
    kind: 'ClientCredentialClient',
    tag: 'Secrets',
    handlers: { list: listSecretsOp, create: createSecretOp, get: getSecretOp, update: updateSecretOp, remove: deleteSecretOp },
    summaries: {
      list: 'List a client\'s secrets',
      create: 'Add a secret',
      get: 'Get a secret\'s information',
      update: 'Edit a secret',
      remove: 'Remove a secret',
    },
    removeDescription: 'Removes the secret; it gets no more tokens. Tokens it already got stay valid until they expire.',
    notFound: NOT_FOUND,
    secretNotFound: SECRET_NOT_FOUND,
  }),
];

/**
 * The AuthorizationCodeClients, HybridClients and DeviceCodeClients collections: the same operations as
 * ClientCredentialClients (their own bodies), for clients of that type only; Hybrid clients also have secrets.
 * Listed under one tag per type.
 */
export function userClientOperations(collection: UserClientCollection): OperationSpec[] {
  const hybrid = collection === 'HybridClients';
  const { type, response, ops: handlers, what, aWhat, create, getDescription, update, deleteDescription } = USER_CLIENT_DOCS[collection];
  const list = `${API_BASE}/Tenants/{tenantId}/${collection}`;
  const one = `${list}/{clientId}`;
  const notFound = { status: 404, description: `No such ${what} in this tenant (ids of other tenants and of other client types alike).` } as const;
  const secretNotFound = { status: 404, description: `No such ${what} in this tenant, or no such secret of the client.` } as const;
  const tag = collection;
  const ops: OperationSpec[] = [
    {
      method: 'get',
      path: list,
      operationId: `list${type}s`,
      handler: handlers.listClientsOp,
      tag,
      summary: `List ${what}s`,
      description: `The tenant's ${what}s, oldest first. The total is in the Total-Count header.`,
      paging: true,
      success: { status: 200, schema: response, array: true, description: 'The clients on this page.' },
      errors: [{ status: 400, description: 'skip or count is invalid.' }],
    },
    {
      method: 'post',
      path: list,
      operationId: `create${type}`,
      handler: handlers.createClientOp,
      tag,
      summary: `Add ${aWhat} client`,
      description: create.description,
      request: create.request,
      example: create.example,
      success: create.success,
      errors: [
        { status: 400, description: create.invalid },
        { status: 409, description: 'A client with the given Id exists.' },
        ...BODY_ERRORS,
      ],
    },
    {
      method: 'get',
      path: one,
      operationId: `get${type}`,
      handler: handlers.getClientOp,
      tag,
      summary: `Get ${aWhat} client`,
      description: getDescription,
      etag: true,
      success: { status: 200, schema: response, description: 'The client.' },
      errors: [notFound],
    },
    {
      method: 'put',
      path: one,
      operationId: `update${type}`,
      handler: handlers.updateClientOp,
      tag,
      summary: `Edit ${aWhat} client`,
      description: update.description,
      request: update.request,
      etag: true,
      ifMatch: true,
      example: update.example,
      success: { status: 200, schema: response, description: 'The client as saved.' },
      errors: [
        { status: 400, description: 'Invalid fields.' },
        notFound,
        { status: 412, description: 'If-Match does not name the client\'s current version.' },
        ...BODY_ERRORS,
      ],
    },
    {
      method: 'delete',
      path: one,
      operationId: `delete${type}`,
      handler: handlers.deleteClientOp,
      tag,
      summary: `Remove ${aWhat} client`,
      description: deleteDescription,
      success: { status: 204, description: 'Removed.' },
      errors: [notFound],
    },
    {
      method: 'get',
      path: `${one}/Roles`,
      operationId: `list${type}Roles`,
      handler: handlers.listRolesOp,
      tag,
      summary: `List ${aWhat} client's roles`,
      description: 'The tenant and community roles the client holds (its tokens carry them). The total is in the Total-Count header.',
      paging: true,
      success: { status: 200, schema: roleResponse, array: true, description: 'The roles on this page.' },
      errors: [{ status: 400, description: 'skip or count is invalid.' }, notFound],
    },
    {
      method: 'put',
      path: `${one}/Roles`,
      operationId: `replace${type}Roles`,
      handler: handlers.replaceRolesOp,
      tag,
      summary: `Replace ${aWhat} client's roles`,
      description: 'Replaces the client\'s roles with the list sent. Tenant Member is always kept.',
      request: userClientRolesUpdateRequest,
      example: ['00000000-0000-4000-8000-000000000000'],
      success: { status: 200, schema: roleResponse, array: true, description: 'The client\'s roles after the change.' },
      errors: [{ status: 400, description: 'An id is not a role of this tenant or its communities.' }, notFound, ...BODY_ERRORS],
    },
  ];
  if (!hybrid) return ops;
  return [
    ...ops,
    ...secretOperations({
      one,
      kind: 'HybridClient',
      tag,
      handlers: {
        list: handlers.listSecretsOp,
        create: handlers.createSecretOp,
        get: handlers.getSecretOp,
        update: handlers.updateSecretOp,
        remove: handlers.deleteSecretOp,
      },
      summaries: {
        list: 'List a Hybrid client\'s secrets',
        create: 'Add a secret to a Hybrid client',
        get: 'Get a Hybrid client secret\'s information',
        update: 'Edit a Hybrid client\'s secret',
        remove: 'Remove a Hybrid client\'s secret',
      },
      removeDescription:
        'Removes the secret; it can no longer redeem codes or refresh tokens. Tokens it already got stay valid until they expire.',
      notFound,
      secretNotFound,
    }),
  ];
}

type SecretHandlers = Record<'list' | 'create' | 'get' | 'update' | 'remove', OperationSpec['handler']>;
type NotFound = { readonly status: 404; readonly description: string };

/** The five Secrets operations of a collection whose clients have secrets (ClientCredentialClients, HybridClients). */
function secretOperations(o: {
  one: string;
  kind: 'ClientCredentialClient' | 'HybridClient';
  tag: OperationSpec['tag'];
  handlers: SecretHandlers;
  summaries: Record<keyof SecretHandlers, string>;
  removeDescription: string;
  notFound: NotFound;
  secretNotFound: NotFound;
}): OperationSpec[] {
  return [
    {
      method: 'get',
      path: `${o.one}/Secrets`,
      operationId: `list${o.kind}Secrets`,
      handler: o.handlers.list,
      tag: o.tag,
      summary: o.summaries.list,
      description: 'Information about the client\'s secrets, newest first; never the secrets themselves. The total is in the Total-Count header.',
      paging: true,
      success: { status: 200, schema: secretResponse, array: true, description: 'The secrets on this page.' },
      errors: [{ status: 400, description: 'skip or count is invalid.' }, o.notFound],
    },
    {
      method: 'post',
      path: `${o.one}/Secrets`,
      operationId: `create${o.kind}Secret`,
      handler: o.handlers.create,
      tag: o.tag,
      summary: o.summaries.create,
      description: `Adds a secret to the client (at most ${MAX_SECRETS_PER_CLIENT}). The answer holds the secret; it is shown only once.`,
      request: secretCreateRequest,
      example: { Description: 'rotation', Expiration: NEXT_YEAR, Expires: true },
      success: { status: 201, schema: secretCreatedResponse, description: 'The secret, shown once.' },
      errors: [
        { status: 400, description: `Invalid fields, or the client already has ${MAX_SECRETS_PER_CLIENT} secrets.` },
        o.notFound,
        ...BODY_ERRORS,
      ],
    },
    {
      method: 'get',
      path: `${o.one}/Secrets/{secretId}`,
      operationId: `get${o.kind}Secret`,
      handler: o.handlers.get,
      tag: o.tag,
      summary: o.summaries.get,
      description: 'Description, expiration and dates of one secret; never the secret itself.',
      success: { status: 200, schema: secretResponse, description: 'The secret\'s information.' },
      errors: [o.secretNotFound],
    },
    {
      method: 'put',
      path: `${o.one}/Secrets/{secretId}`,
      operationId: `update${o.kind}Secret`,
      handler: o.handlers.update,
      tag: o.tag,
      summary: o.summaries.update,
      description: 'Changes a secret\'s description and expiration.',
      request: secretUpdateRequest,
      example: { Description: 'rotation', Expires: false },
      success: { status: 200, schema: secretResponse, description: 'The secret\'s information as saved.' },
      errors: [{ status: 400, description: 'Invalid fields.' }, o.secretNotFound, ...BODY_ERRORS],
    },
    {
      method: 'delete',
      path: `${o.one}/Secrets/{secretId}`,
      operationId: `delete${o.kind}Secret`,
      handler: o.handlers.remove,
      tag: o.tag,
      summary: o.summaries.remove,
      description: o.removeDescription,
      success: { status: 204, description: 'Removed.' },
      errors: [o.secretNotFound],
    },
  ];
}
