import { MAX_CLIENTS_PER_TENANT, MAX_SECRETS_PER_CLIENT } from '../clients/limits';
import { KEY_OPERATIONS } from './key-operations';
import { FEDERATED_OPERATIONS } from './federated-operations';
import { NOTIFICATION_OPERATIONS } from './notification-operations';
import { API_OPERATIONS, apiAccessOperations } from './apis-operations';
import { AUTHORIZATION_CODE_CLIENTS, CLIENT_CREDENTIAL_CLIENTS, DEVICE_CODE_CLIENTS, HYBRID_CLIENTS } from './client-kinds';
import './client-create-schemas';

/**
 * The REST API's operations as data: lib/api/openapi.ts builds the document from this table, and a test checks it
 * against the route modules under app/api/v1 (every documented operation exists, nothing undocumented answers).
 */
export type { HttpMethod, OperationSpec } from './operation-spec';
import type { OperationSpec } from './operation-spec';

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
  what: string;
  /** "an Authorization Code", for summaries such as "Add an Authorization Code client". */
  aWhat: string;
  create: { description: string; example: unknown; success: OperationSpec['success']; invalid: string };
  getDescription: string;
  update: { description: string; example: unknown };
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
    what: 'Authorization Code client',
    aWhat: 'an Authorization Code',
    create: {
      description:
        'Adds a public client that signs users in (browser and native apps: authorization code with PKCE S256, no secret), ' +
        `with Tenant Member plus the given roles. ${perTenantLimit}`,
      example: { Name: 'Operator app', ...URLS_EXAMPLE, AllowedCorsOrigins: ['https://app.example.com'], RefreshTokenLifetime: 2592000 },
      success: { status: 201, schema: 'AuthorizationCodeClient', description: 'The client.' },
      invalid: URL_INVALID,
    },
    getDescription: 'The client, with its role ids and sign-in settings. The ETag header holds its version, for If-Match on PUT.',
    update: URL_UPDATE,
    deleteDescription: 'Removes the client and its codes and refresh tokens. Users can no longer sign in to it.',
  },
  HybridClients: {
    type: 'HybridClient',
    what: 'Hybrid client',
    aWhat: 'a Hybrid',
    create: {
      description:
        'Adds a confidential client that signs users in (authorization code with PKCE, refresh tokens), with Tenant Member plus ' +
        `the given roles and its first secret. The answer holds the secret; it is shown only once. ${perTenantLimit}`,
      example: { Name: 'Plant portal', ...URLS_EXAMPLE, RefreshTokenLifetime: 2592000, SecretDescription: 'portal-01', SecretExpirationDate: NEXT_YEAR },
      success: { status: 201, schema: 'HybridClientCreateResponse', description: 'The client and its one-time secret.' },
      invalid: URL_INVALID,
    },
    getDescription: 'The client, with its role ids and sign-in settings. Never a secret. The ETag header holds its version, for If-Match on PUT.',
    update: URL_UPDATE,
    deleteDescription: 'Removes the client, its secrets and its codes and refresh tokens. Users can no longer sign in to it.',
  },
  DeviceCodeClients: {
    type: 'DeviceCodeClient',
    what: 'Device Code client',
    aWhat: 'a Device Code',
    create: {
      description:
        'Adds a Device Code client (RFC 8628): for TVs, devices and CLIs that have no browser or cannot type a password. The device ' +
        'gets a user code at /identity/connect/deviceauthorization, a user enters it at /device on another screen and allows the ' +
        'device, and the device polls the token endpoint (grant urn:ietf:params:oauth:grant-type:device_code). Public: no secret. ' +
        'No redirect URLs: RedirectUris, PostLogoutRedirectUris and AllowedCorsOrigins are ignored, like any field this API does not know. ' +
        `With Tenant Member plus the given roles. ${perTenantLimit}`,
      example: { Name: 'Lobby display', RefreshTokenLifetime: 2592000 },
      success: { status: 201, schema: 'DeviceCodeClient', description: 'The client (it has no secret).' },
      invalid: 'Invalid fields (such as a refresh token lifetime out of bounds), or the tenant has reached the client limit.',
    },
    getDescription: 'The client, with its role ids and refresh token lifetime. The ETag header holds its version, for If-Match on PUT.',
    update: {
      description:
        'Changes any of the name, Enabled, RequireDpop, the token lifetimes and the roles (fields left out stay as they are; URL fields ' +
        'are ignored: a Device Code client has none), in one transaction. Send If-Match with the ETag of a GET to refuse the change if ' +
        'someone else changed the client since (412).',
      example: { Name: 'Lobby display', RefreshTokenLifetime: 86400, Enabled: true },
    },
    deleteDescription: 'Removes the client, its pending device requests and its refresh tokens. Its devices can no longer get tokens.',
  },
};

export const OPERATIONS: OperationSpec[] = [
  {
    method: 'get',
    path: CLIENTS,
    operationId: 'listClientCredentialClients',
    tag: 'Clients',
    summary: 'List clients',
    description: 'The tenant\'s client-credentials clients, oldest first. The total is in the Total-Count header.',
    paging: true,
    success: { status: 200, schema: 'ClientCredentialClient', array: true, description: 'The clients on this page.' },
    errors: [{ status: 400, description: 'skip or count is invalid.' }],
  },
  {
    method: 'post',
    path: CLIENTS,
    operationId: 'createClientCredentialClient',
    tag: 'Clients',
    summary: 'Add a client',
    description:
      `Adds a client with Tenant Member plus the given roles and its first secret. The answer holds the secret; it is shown only once. ` +
      `Instead of a secret, give FederatedCredential (a platform token authenticates the client) or PublicKey (private_key_jwt): ` +
      `the client then has no secret, which a tenant whose policy forbids secrets requires. ` +
      `At most ${MAX_CLIENTS_PER_TENANT.toLocaleString('en-US')} clients per tenant.`,
    request: 'ClientCredentialClientCreate',
    example: { Name: 'Plant historian', AccessTokenLifetime: 3600, RoleIds: [], SecretDescription: 'historian-01', SecretExpirationDate: NEXT_YEAR },
    success: { status: 201, schema: 'ClientCredentialClientCreateResponse', description: 'The client and its one-time secret (or its federated credential or public key).' },
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
    tag: 'Clients',
    summary: 'Get a client',
    description: 'The client, with its role ids. Never a secret. The ETag header holds its version, for If-Match on PUT.',
    etag: true,
    success: { status: 200, schema: 'ClientCredentialClient', description: 'The client.' },
    errors: [NOT_FOUND],
  },
  {
    method: 'put',
    path: CLIENT,
    operationId: 'updateClientCredentialClient',
    tag: 'Clients',
    summary: 'Edit a client',
    description:
      'Changes the name, and optionally Enabled, the token lifetime and the roles (fields left out stay as they are). ' +
      'Send If-Match with the ETag of a GET to refuse the change if someone else changed the client since (412).',
    request: 'ClientCredentialClientUpdate',
    etag: true,
    ifMatch: true,
    example: { Name: 'Plant historian', Enabled: false },
    success: { status: 200, schema: 'ClientCredentialClient', description: 'The client as saved.' },
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
    tag: 'Roles',
    summary: 'List the roles clients can be given',
    description:
      'The tenant\'s roles (built-in first, then custom ones) and the roles of its communities: the ids to use in RoleIds. ' +
      'The total is in the Total-Count header.',
    paging: true,
    success: { status: 200, schema: 'Role', array: true, description: 'The roles on this page.' },
    errors: [{ status: 400, description: 'skip or count is invalid.' }],
  },
  {
    method: 'get',
    path: `${CLIENT}/Roles`,
    operationId: 'listClientCredentialClientRoles',
    tag: 'Roles',
    summary: 'List a client\'s roles',
    description: 'The tenant and community roles the client holds. The total is in the Total-Count header.',
    paging: true,
    success: { status: 200, schema: 'Role', array: true, description: 'The roles on this page.' },
    errors: [{ status: 400, description: 'skip or count is invalid.' }, NOT_FOUND],
  },
  {
    method: 'put',
    path: `${CLIENT}/Roles`,
    operationId: 'replaceClientCredentialClientRoles',
    tag: 'Roles',
    summary: 'Replace a client\'s roles',
    description: 'Replaces the client\'s roles with the list sent. Tenant Member is always kept.',
    request: 'ClientCredentialClientRolesUpdate',
    example: ['00000000-0000-4000-8000-000000000000'],
    success: { status: 200, schema: 'Role', array: true, description: 'The client\'s roles after the change.' },
    errors: [{ status: 400, description: 'An id is not a role of this tenant or its communities.' }, NOT_FOUND, ...BODY_ERRORS],
  },
  {
    method: 'get',
    path: `${CLIENT}/Secrets`,
    operationId: 'listClientCredentialClientSecrets',
    tag: 'Secrets',
    summary: 'List a client\'s secrets',
    description: 'Information about the client\'s secrets, newest first; never the secrets themselves. The total is in the Total-Count header.',
    paging: true,
    success: { status: 200, schema: 'ClientSecret', array: true, description: 'The secrets on this page.' },
    errors: [{ status: 400, description: 'skip or count is invalid.' }, NOT_FOUND],
  },
  {
    method: 'post',
    path: `${CLIENT}/Secrets`,
    operationId: 'createClientCredentialClientSecret',
    tag: 'Secrets',
    summary: 'Add a secret',
    description: `Adds a secret to the client (at most ${MAX_SECRETS_PER_CLIENT}). The answer holds the secret; it is shown only once.`,
    request: 'ClientSecretCreate',
    example: { Description: 'rotation', Expiration: NEXT_YEAR, Expires: true },
    success: { status: 201, schema: 'ClientSecretCreateResponse', description: 'The secret, shown once.' },
    errors: [
      { status: 400, description: `Invalid fields, or the client already has ${MAX_SECRETS_PER_CLIENT} secrets.` },
      NOT_FOUND,
      ...BODY_ERRORS,
    ],
  },
  {
    method: 'get',
    path: `${CLIENT}/Secrets/{secretId}`,
    operationId: 'getClientCredentialClientSecret',
    tag: 'Secrets',
    summary: 'Get a secret\'s information',
    description: 'Description, expiration and dates of one secret; never the secret itself.',
    success: { status: 200, schema: 'ClientSecret', description: 'The secret\'s information.' },
    errors: [SECRET_NOT_FOUND],
  },
  {
    method: 'put',
    path: `${CLIENT}/Secrets/{secretId}`,
    operationId: 'updateClientCredentialClientSecret',
    tag: 'Secrets',
    summary: 'Edit a secret',
    description: 'Changes a secret\'s description and expiration.',
    request: 'ClientSecretUpdate',
    example: { Description: 'rotation', Expires: false },
    success: { status: 200, schema: 'ClientSecret', description: 'The secret\'s information as saved.' },
    errors: [{ status: 400, description: 'Invalid fields.' }, SECRET_NOT_FOUND, ...BODY_ERRORS],
  },
  {
    method: 'delete',
    path: `${CLIENT}/Secrets/{secretId}`,
    operationId: 'deleteClientCredentialClientSecret',
    tag: 'Secrets',
    summary: 'Remove a secret',
    description: 'Removes the secret; it gets no more tokens. Tokens it already got stay valid until they expire.',
    success: { status: 204, description: 'Removed.' },
    errors: [SECRET_NOT_FOUND],
  },
  ...KEY_OPERATIONS,
  ...FEDERATED_OPERATIONS,
  ...NOTIFICATION_OPERATIONS,
  ...userClientOperations('AuthorizationCodeClients'),
  ...userClientOperations('HybridClients'),
  ...userClientOperations('DeviceCodeClients'),
  ...API_OPERATIONS,
  ...apiAccessOperations(CLIENT_CREDENTIAL_CLIENTS, 'ClientCredentialClient', 'a client-credentials'),
  ...apiAccessOperations(AUTHORIZATION_CODE_CLIENTS, 'AuthorizationCodeClient', 'an Authorization Code'),
  ...apiAccessOperations(HYBRID_CLIENTS, 'HybridClient', 'a Hybrid'),
  ...apiAccessOperations(DEVICE_CODE_CLIENTS, 'DeviceCodeClient', 'a Device Code'),
];

/**
 * The AuthorizationCodeClients, HybridClients and DeviceCodeClients collections: the same operations as
 * ClientCredentialClients (their own bodies), for clients of that type only; Hybrid clients also have secrets.
 * Listed under one tag per type.
 */
function userClientOperations(collection: UserClientCollection): OperationSpec[] {
  const hybrid = collection === 'HybridClients';
  const { type, what, aWhat, create, getDescription, update, deleteDescription } = USER_CLIENT_DOCS[collection];
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
      tag,
      summary: `List ${what}s`,
      description: `The tenant's ${what}s, oldest first. The total is in the Total-Count header.`,
      paging: true,
      success: { status: 200, schema: type, array: true, description: 'The clients on this page.' },
      errors: [{ status: 400, description: 'skip or count is invalid.' }],
    },
    {
      method: 'post',
      path: list,
      operationId: `create${type}`,
      tag,
      summary: `Add ${aWhat} client`,
      description: create.description,
      request: `${type}Create`,
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
      tag,
      summary: `Get ${aWhat} client`,
      description: getDescription,
      etag: true,
      success: { status: 200, schema: type, description: 'The client.' },
      errors: [notFound],
    },
    {
      method: 'put',
      path: one,
      operationId: `update${type}`,
      tag,
      summary: `Edit ${aWhat} client`,
      description: update.description,
      request: `${type}Update`,
      etag: true,
      ifMatch: true,
      example: update.example,
      success: { status: 200, schema: type, description: 'The client as saved.' },
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
      tag,
      summary: `List ${aWhat} client's roles`,
      description: 'The tenant and community roles the client holds (its tokens carry them). The total is in the Total-Count header.',
      paging: true,
      success: { status: 200, schema: 'Role', array: true, description: 'The roles on this page.' },
      errors: [{ status: 400, description: 'skip or count is invalid.' }, notFound],
    },
    {
      method: 'put',
      path: `${one}/Roles`,
      operationId: `replace${type}Roles`,
      tag,
      summary: `Replace ${aWhat} client's roles`,
      description: 'Replaces the client\'s roles with the list sent. Tenant Member is always kept.',
      request: 'ClientRolesUpdate',
      example: ['00000000-0000-4000-8000-000000000000'],
      success: { status: 200, schema: 'Role', array: true, description: 'The client\'s roles after the change.' },
      errors: [{ status: 400, description: 'An id is not a role of this tenant or its communities.' }, notFound, ...BODY_ERRORS],
    },
  ];
  if (!hybrid) return ops;
  return [
    ...ops,
    {
      method: 'get',
      path: `${one}/Secrets`,
      operationId: 'listHybridClientSecrets',
      tag,
      summary: 'List a Hybrid client\'s secrets',
      description: 'Information about the client\'s secrets, newest first; never the secrets themselves. The total is in the Total-Count header.',
      paging: true,
      success: { status: 200, schema: 'ClientSecret', array: true, description: 'The secrets on this page.' },
      errors: [{ status: 400, description: 'skip or count is invalid.' }, notFound],
    },
    {
      method: 'post',
      path: `${one}/Secrets`,
      operationId: 'createHybridClientSecret',
      tag,
      summary: 'Add a secret to a Hybrid client',
      description: `Adds a secret to the client (at most ${MAX_SECRETS_PER_CLIENT}). The answer holds the secret; it is shown only once.`,
      request: 'ClientSecretCreate',
      example: { Description: 'rotation', Expiration: NEXT_YEAR, Expires: true },
      success: { status: 201, schema: 'ClientSecretCreateResponse', description: 'The secret, shown once.' },
      errors: [
        { status: 400, description: `Invalid fields, or the client already has ${MAX_SECRETS_PER_CLIENT} secrets.` },
        notFound,
        ...BODY_ERRORS,
      ],
    },
    {
      method: 'get',
      path: `${one}/Secrets/{secretId}`,
      operationId: 'getHybridClientSecret',
      tag,
      summary: 'Get a Hybrid client secret\'s information',
      description: 'Description, expiration and dates of one secret; never the secret itself.',
      success: { status: 200, schema: 'ClientSecret', description: 'The secret\'s information.' },
      errors: [secretNotFound],
    },
    {
      method: 'put',
      path: `${one}/Secrets/{secretId}`,
      operationId: 'updateHybridClientSecret',
      tag,
      summary: 'Edit a Hybrid client\'s secret',
      description: 'Changes a secret\'s description and expiration.',
      request: 'ClientSecretUpdate',
      example: { Description: 'rotation', Expires: false },
      success: { status: 200, schema: 'ClientSecret', description: 'The secret\'s information as saved.' },
      errors: [{ status: 400, description: 'Invalid fields.' }, secretNotFound, ...BODY_ERRORS],
    },
    {
      method: 'delete',
      path: `${one}/Secrets/{secretId}`,
      operationId: 'deleteHybridClientSecret',
      tag,
      summary: 'Remove a Hybrid client\'s secret',
      description: 'Removes the secret; it can no longer redeem codes or refresh tokens. Tokens it already got stay valid until they expire.',
      success: { status: 204, description: 'Removed.' },
      errors: [secretNotFound],
    },
  ];
}
