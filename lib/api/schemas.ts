import { z } from 'zod';
import { DEFAULT_TOKEN_LIFETIME, MAX_SECRETS_PER_CLIENT, MAX_TOKEN_LIFETIME, MIN_TOKEN_LIFETIME } from '../clients/limits';
import { addSecretSchema, updateSecretSchema } from '../clients/secret.schema';
import { updateClientSchema } from '../clients/update-client.schema';
import {
  createUserClientSchema,
  DEFAULT_REFRESH_TOKEN_LIFETIME,
  MAX_REFRESH_TOKEN_LIFETIME,
  MIN_REFRESH_TOKEN_LIFETIME,
  updateClientUrlsSchema,
} from '../clients/user-client.schema';
import { MAX_URIS } from '../oidc/uris';

/*
 * The REST API's bodies, in the product's field names. Every request field IS the console's zod field schema
 * (lib/clients/*.schema.ts), renamed: the handlers translate a body to the console's input and validate it with the
 * console's operation schema, and the OpenAPI document (lib/api/openapi.ts) is generated from these objects. So
 * the document, the API and the console cannot disagree about a rule. Only the API's own fields (Enabled, Expires,
 * paging) are defined here.
 */

/** Request bodies (documented with io: "input"). */
export const requestSchemas = z.registry<{ id: string; description?: string }>();
/** Response bodies (documented with io: "output"). */
export const responseSchemas = z.registry<{ id: string; description?: string }>();

const update = updateClientSchema.shape;
const addSecret = addSecretSchema.shape;
const editSecret = updateSecretSchema.shape;

export const lifetimeText = `Seconds an access token of this client is valid: ${MIN_TOKEN_LIFETIME} to ${MAX_TOKEN_LIFETIME}.`;
export const expirationText = 'An ISO 8601 date and time in the future, with its offset, e.g. 2027-01-31T12:00:00Z.';
const requireDpopText =
  'Require DPoP (RFC 9449): true refuses the client\'s token requests that carry no DPoP proof (invalid_dpop_proof), so every token it gets is bound to its key.';

export const enabledField = z.boolean({ error: 'Enabled must be true or false.' });
export const expiresField = z.boolean({ error: 'Expires must be true or false.' });

export const clientUpdateRequest = z
  .object({
    Name: update.name.meta({ description: 'The client\'s name. No control characters (tabs, line breaks).' }),
    Enabled: enabledField.optional().meta({ description: 'Enable or disable the client. Left out: unchanged.' }),
    RequireDpop: update.requireDpop.meta({ description: `${requireDpopText} Left out: unchanged.` }),
    AccessTokenLifetime: update.tokenLifetime
      .optional()
      .meta({ description: `${lifetimeText} Left out: unchanged. null or "": ${DEFAULT_TOKEN_LIFETIME}.` }),
    RoleIds: update.roleIds.optional().meta({
      description: 'Replaces the client\'s roles (Tenant Member is always kept). Left out: unchanged.',
      'x-unchanged-when-omitted': true,
      items: { type: 'string', format: 'uuid' },
    }),
  })
  .register(requestSchemas, { id: 'ClientCredentialClientUpdate', description: 'Edit a client.' });

/** PUT .../Roles: the complete new list, as role ids or as Role objects (only their Id is read). */
const rolesList = () => z.array(z.union([z.string().meta({ format: 'uuid' }), z.object({ Id: z.string().meta({ format: 'uuid' }) })]));
const rolesListText = 'The complete list of the client\'s roles: role ids, or Role objects of which only Id is read. Tenant Member is always kept.';
export const rolesUpdateRequest = rolesList().register(requestSchemas, { id: 'ClientCredentialClientRolesUpdate', description: rolesListText });
/** The same body for Authorization Code and Hybrid clients. */
export const userClientRolesUpdateRequest = rolesList().register(requestSchemas, { id: 'ClientRolesUpdate', description: rolesListText });

/*
 * Authorization Code clients (public: PKCE, no secret) and Hybrid clients (confidential: secrets). Their fields are
 * the console's Add Client (createUserClientSchema) and Edit Sign-In Settings (updateClientUrlsSchema) fields.
 */
const userCreate = createUserClientSchema.shape;
const urls = updateClientUrlsSchema.shape;
const refreshText = `Seconds a refresh token of this client is valid: ${MIN_REFRESH_TOKEN_LIFETIME} to ${MAX_REFRESH_TOKEN_LIFETIME} (90 days).`;
const urlRule =
  `Each an absolute URL, matched exactly (byte for byte); https only, except loopback (http://127.0.0.1, http://[::1], ` +
  `http://localhost) for native apps (RFC 8252); no fragment, no user name or password. At most ${MAX_URIS}; duplicates are dropped.`;
const redirectText = `The URLs the authorization endpoint may redirect to. ${urlRule}`;
const postLogoutText = `The URLs end-session may redirect to after sign-out (post_logout_redirect_uri). ${urlRule}`;
const corsText = `Origins (scheme, host and optional port) whose browser scripts may call the token endpoint. At most ${MAX_URIS}.`;
const unchanged = { 'x-unchanged-when-omitted': true } as const;

const userClientCreateFields = {
  Id: userCreate.clientId.meta({
    description: 'The Client Id (a GUID). Generated when left out; a 409 when a client with this Id exists.',
    format: 'uuid',
  }),
  Name: userCreate.name.meta({ description: 'The client\'s name, shown on the sign-in page. No control characters (tabs, line breaks).' }),
  Enabled: enabledField.optional().meta({ description: 'Whether users can sign in to the client. Default true.' }),
  AccessTokenLifetime: userCreate.tokenLifetime.meta({ description: `${lifetimeText} Default ${DEFAULT_TOKEN_LIFETIME}.` }),
  RefreshTokenLifetime: userCreate.refreshTokenLifetime.meta({ description: `${refreshText} Default ${DEFAULT_REFRESH_TOKEN_LIFETIME}.` }),
  RedirectUris: userCreate.redirectUris.meta({ description: `${redirectText} Required: at least one. An array, or one URL per line.` }),
  PostLogoutRedirectUris: userCreate.postLogoutRedirectUris.meta({ description: `${postLogoutText} An array, or one URL per line.` }),
  RoleIds: userCreate.roleIds.meta({
    description: 'Ids of tenant or community roles to give the client. Tenant Member is always added.',
    items: { type: 'string', format: 'uuid' },
  }),
};

export const authorizationCodeClientCreateRequest = z
  .object({
    ...userClientCreateFields,
    AllowedCorsOrigins: userCreate.allowedCorsOrigins.meta({ description: `${corsText} An array, or one origin per line.` }),
  })
  .register(requestSchemas, { id: 'AuthorizationCodeClientCreate', description: 'A new Authorization Code client (public: PKCE S256, no secret).' });

export const hybridClientCreateRequest = z
  .object({
    ...userClientCreateFields,
    SecretDescription: userCreate.description.meta({ description: 'Description of the first secret.' }),
    SecretExpirationDate: userCreate.expiresAt.meta({
      description: `When the first secret expires. ${expirationText} Left out: one year from now. null: the secret never expires.`,
    }),
  })
  .register(requestSchemas, { id: 'HybridClientCreate', description: 'A new Hybrid client (confidential) and its first secret.' });

const userClientUpdateFields = {
  Name: update.name.optional().meta({ description: 'The client\'s name. Left out: unchanged.', ...unchanged }),
  Enabled: enabledField.optional().meta({ description: 'Enable or disable the client. Left out: unchanged.' }),
  RequireDpop: update.requireDpop.meta({ description: `${requireDpopText} Left out: unchanged.`, ...unchanged }),
  AccessTokenLifetime: update.tokenLifetime
    .optional()
    .meta({ description: `${lifetimeText} Left out: unchanged. null or "": ${DEFAULT_TOKEN_LIFETIME}.`, ...unchanged }),
  RefreshTokenLifetime: urls.refreshTokenLifetime.meta({
    description: `${refreshText} Left out: unchanged. null or "": ${DEFAULT_REFRESH_TOKEN_LIFETIME}.`,
    ...unchanged,
  }),
  RedirectUris: urls.redirectUris.meta({ description: `${redirectText} Replaces the list (at least one). Left out: unchanged.`, ...unchanged }),
  PostLogoutRedirectUris: urls.postLogoutRedirectUris.meta({ description: `${postLogoutText} Replaces the list. Left out: unchanged.`, ...unchanged }),
  RoleIds: update.roleIds.optional().meta({
    description: 'Replaces the client\'s roles (Tenant Member is always kept). Left out: unchanged.',
    ...unchanged,
    items: { type: 'string', format: 'uuid' },
  }),
};

export const authorizationCodeClientUpdateRequest = z
  .object({
    ...userClientUpdateFields,
    AllowedCorsOrigins: urls.allowedCorsOrigins.meta({ description: `${corsText} Replaces the list. Left out: unchanged.`, ...unchanged }),
  })
  .register(requestSchemas, { id: 'AuthorizationCodeClientUpdate', description: 'Edit an Authorization Code client.' });

export const hybridClientUpdateRequest = z
  .object(userClientUpdateFields)
  .register(requestSchemas, { id: 'HybridClientUpdate', description: 'Edit a Hybrid client.' });

/*
 * Device Code clients (RFC 8628: public, no secret, and no URLs: the user approves the device at /device on another
 * screen). Their fields are the Authorization Code client's minus RedirectUris, PostLogoutRedirectUris and
 * AllowedCorsOrigins; like any field this API does not know, those are ignored when sent (the client stores none).
 */
const deviceText = 'A Device Code client (RFC 8628: TVs, devices and CLIs; public: no secret; no redirect URLs: users approve it at /device).';

export const deviceCodeClientCreateRequest = z
  .object({
    Id: userClientCreateFields.Id,
    Name: userCreate.name.meta({ description: 'The client\'s name, shown where users approve the device (/device). No control characters (tabs, line breaks).' }),
    Enabled: enabledField.optional().meta({ description: 'Whether the client can start the device flow and get tokens. Default true.' }),
    AccessTokenLifetime: userClientCreateFields.AccessTokenLifetime,
    RefreshTokenLifetime: userClientCreateFields.RefreshTokenLifetime,
    RoleIds: userClientCreateFields.RoleIds,
  })
  .register(requestSchemas, { id: 'DeviceCodeClientCreate', description: `A new ${deviceText}` });

export const deviceCodeClientUpdateRequest = z
  .object({
    Name: userClientUpdateFields.Name,
    Enabled: userClientUpdateFields.Enabled,
    RequireDpop: userClientUpdateFields.RequireDpop,
    AccessTokenLifetime: userClientUpdateFields.AccessTokenLifetime,
    RefreshTokenLifetime: userClientUpdateFields.RefreshTokenLifetime,
    RoleIds: userClientUpdateFields.RoleIds,
  })
  .register(requestSchemas, { id: 'DeviceCodeClientUpdate', description: 'Edit a Device Code client.' });

export const secretCreateRequest = z
  .object({
    Description: addSecret.description.meta({ description: 'What the secret is for.' }),
    Expiration: addSecret.expiresAt.meta({ description: `${expirationText} Required when Expires is true.` }),
    Expires: expiresField.optional().meta({
      description: 'false: the secret never expires (leave Expiration out). Left out with no Expiration: expires one year from now.',
    }),
  })
  .register(requestSchemas, { id: 'ClientSecretCreate', description: `A new secret (at most ${MAX_SECRETS_PER_CLIENT} per client).` });

export const secretUpdateRequest = z
  .object({
    Description: editSecret.description.optional().meta({
      description: 'What the secret is for. Left out: unchanged.',
      'x-unchanged-when-omitted': true,
    }),
    Expiration: editSecret.expiresAt.meta({
      description: `${expirationText} The stored expiration may be sent back unchanged even if it has passed.`,
    }),
    Expires: expiresField.optional().meta({
      description: 'false: never expires (leave Expiration out). Expires and Expiration both left out: unchanged.',
    }),
  })
  .register(requestSchemas, { id: 'ClientSecretUpdate', description: 'Edit a secret\'s description and expiration.' });

/* ---- Responses ---- */

const dateTime = z.string().meta({ format: 'date-time' });
const uuid = z.string().meta({ format: 'uuid' });

export const clientResponse = z
  .object({
    Id: uuid.meta({ description: 'The Client Id.' }),
    Name: z.string(),
    Enabled: z.boolean().meta({ description: 'false: the client gets no tokens, and its tokens are refused here.' }),
    RequireDpop: z.boolean().meta({ description: requireDpopText }),
    AccessTokenLifetime: z.number().int().meta({ description: 'Seconds its access tokens are valid.' }),
    RoleIds: z.array(uuid).meta({ description: 'Its roles, Tenant Member included.' }),
    CreatedDate: dateTime,
    CreatedBy: z.string().meta({ description: 'Who added it: an email, or client:<Client Id> for a change through the API.' }),
    ModifiedDate: dateTime,
    ModifiedBy: z.string().meta({ description: 'Who changed it last, in the same form.' }),
  })
  .register(responseSchemas, { id: 'ClientCredentialClient', description: 'A client-credentials client. Never holds a secret.' });

const userClientResponseFields = {
  ...clientResponse.shape,
  Enabled: z.boolean().meta({ description: 'false: users cannot sign in to it, it gets no tokens, and its tokens are refused.' }),
  RefreshTokenLifetime: z.number().int().meta({ description: 'Seconds its refresh tokens are valid.' }),
  RedirectUris: z.array(z.string()).meta({ description: 'The registered redirect URLs (exact match).' }),
  PostLogoutRedirectUris: z.array(z.string()).meta({ description: 'The registered post-logout redirect URLs (exact match).' }),
};

export const authorizationCodeClientResponse = z
  .object({
    ...userClientResponseFields,
    AllowedCorsOrigins: z.array(z.string()).meta({ description: 'Origins whose browser scripts may call the token endpoint.' }),
  })
  .register(responseSchemas, { id: 'AuthorizationCodeClient', description: 'An Authorization Code client (public: PKCE, no secret).' });

export const hybridClientResponse = z
  .object(userClientResponseFields)
  .register(responseSchemas, { id: 'HybridClient', description: 'A Hybrid client (confidential). Never holds a secret.' });

export const deviceCodeClientResponse = z
  .object({
    ...clientResponse.shape,
    Enabled: z.boolean().meta({ description: 'false: no device can be approved for it, it gets no tokens, and its tokens are refused.' }),
    RefreshTokenLifetime: userClientResponseFields.RefreshTokenLifetime,
  })
  .register(responseSchemas, { id: 'DeviceCodeClient', description: `${deviceText} Never holds a secret.` });

export const hybridClientCreatedResponse = hybridClientResponse
  .extend({
    ClientSecret: z.string().meta({ description: 'The secret. Shown only in this answer: store it now; it cannot be read again.' }),
    SecretId: z.number().int().meta({ description: 'The id of the secret, for .../Secrets/{secretId}.' }),
    SecretDescription: z.string().meta({ description: 'The secret\'s description.' }),
    SecretExpirationDate: dateTime.nullable().meta({ description: 'null: the secret never expires.' }),
  })
  .register(responseSchemas, { id: 'HybridClientCreateResponse', description: 'The new Hybrid client with its one-time secret.' });

export const roleResponse = z
  .object({
    Id: uuid.meta({ description: 'The id to use in RoleIds.' }),
    Name: z.string(),
    Description: z.string(),
    RoleScope: z.enum(['Tenant', 'Community']).meta({ description: 'A role of the tenant, or of a community it belongs to.' }),
    RoleType: z.string().meta({ description: 'tenant_administrator, tenant_contributor, tenant_member, tenant_viewer, tenant_data_steward, community_member or custom.' }),
  })
  .register(responseSchemas, { id: 'Role', description: 'A tenant or community role.' });

export const secretResponse = z
  .object({
    Id: z.number().int().meta({ description: 'The secret\'s id.' }),
    Description: z.string(),
    Expiration: dateTime.nullable().meta({ description: 'null when the secret never expires.' }),
    Expires: z.boolean().meta({ description: 'false when the secret never expires.' }),
    DisplayHint: z.string().meta({ description: 'The beginning of the secret, to tell secrets apart.' }),
    CreatedDate: dateTime,
    CreatedBy: z.string().meta({ description: 'Who added it: an email, or client:<Client Id> for the API.' }),
    LastUsedDate: dateTime.nullable().meta({ description: 'When the secret last got a token (updated every few seconds).' }),
    Revoked: z.boolean().meta({ description: 'true when the secret was revoked after a leaked-secret report: the token endpoint refuses it.' }),
    RevokedDate: dateTime.nullable().meta({ description: 'When the secret was revoked; null when it is not.' }),
  })
  .register(responseSchemas, { id: 'ClientSecret', description: 'A secret\'s information. Never the secret itself.' });

export const secretCreatedResponse = secretResponse
  .extend({
    ClientSecret: z.string().meta({ description: 'The secret. Shown only in this answer: store it now; it cannot be read again.' }),
  })
  .register(responseSchemas, { id: 'ClientSecretCreateResponse', description: 'The new secret, shown once.' });

export const errorResponse = z
  .object({
    OperationId: z.string().meta({ description: 'Quote it when reporting a problem.' }),
    Error: z.string().meta({ description: 'What kind of error: the HTTP status in words.' }),
    Reason: z.string().meta({ description: 'What was wrong with this request.' }),
    Resolution: z.string().optional().meta({ description: 'What to do about it, when there is something to say.' }),
    Errors: z.record(z.string(), z.string()).optional().meta({ description: 'One message per invalid request field.' }),
  })
  .register(responseSchemas, { id: 'ErrorResponse', description: 'Every error answer.' });

export type ClientBody = z.output<typeof clientResponse>;
export type AuthorizationCodeClientBody = z.output<typeof authorizationCodeClientResponse>;
export type HybridClientBody = z.output<typeof hybridClientResponse>;
export type DeviceCodeClientBody = z.output<typeof deviceCodeClientResponse>;
export type HybridClientCreatedBody = z.output<typeof hybridClientCreatedResponse>;
export type RoleBody = z.output<typeof roleResponse>;
export type SecretBody = z.output<typeof secretResponse>;
export type SecretCreatedBody = z.output<typeof secretCreatedResponse>;

/* ---- Paging ---- */

export const DEFAULT_COUNT = 100;
export const MAX_COUNT = 1000;

export const pagingQuery = z.object({
  skip: z.coerce
    .number({ error: 'skip must be a whole number of 0 or more.' })
    .int('skip must be a whole number of 0 or more.')
    .min(0, 'skip must be a whole number of 0 or more.')
    .max(2 ** 31 - 1, 'skip is too large.')
    .default(0)
    .meta({ description: 'Zero-based offset of the first item. Default 0.' }),
  count: z.coerce
    .number({ error: `count must be a whole number from 1 to ${MAX_COUNT}.` })
    .int(`count must be a whole number from 1 to ${MAX_COUNT}.`)
    .min(1, `count must be a whole number from 1 to ${MAX_COUNT}.`)
    .max(MAX_COUNT, `count must be a whole number from 1 to ${MAX_COUNT}.`)
    .default(DEFAULT_COUNT)
    .meta({ description: `Most items to return, 1 to ${MAX_COUNT}. Default ${DEFAULT_COUNT}.` }),
});
