import type { z } from 'zod';
import type { UserClientType } from '../clients/client-types';
import { zodFieldErrors } from '../actions/result';
import { apiFieldName } from '../http/api-answers';
import { enabledField, expiresField } from './schemas';

/**
 * From the API's field names to the console's inputs (lib/clients/*.schema.ts), which then validate them: every rule
 * is the console's. Only what the API has and the console does not is checked here (Enabled, Expires, the
 * Expires/Expiration combinations of the product's secret body).
 */

/** lib field path -> API field name, per operation, for error messages. */
export const CREATE_CLIENT_FIELDS: Record<string, string> = {
  clientId: 'Id',
  name: 'Name',
  tokenLifetime: 'AccessTokenLifetime',
  roleIds: 'RoleIds',
  description: 'SecretDescription',
  expiresAt: 'SecretExpirationDate',
  neverExpires: 'SecretExpirationDate',
};

export const UPDATE_CLIENT_FIELDS: Record<string, string> = {
  clientId: 'clientId',
  name: 'Name',
  tokenLifetime: 'AccessTokenLifetime',
  roleIds: 'RoleIds',
  enabled: 'Enabled',
  requireDpop: 'RequireDpop',
  version: 'If-Match',
};

export const ROLES_FIELDS: Record<string, string> = { roleIds: 'RoleIds' };

export const SECRET_FIELDS: Record<string, string> = {
  clientId: 'clientId',
  secretId: 'secretId',
  description: 'Description',
  expiresAt: 'Expiration',
  neverExpires: 'Expires',
};

export type Translated<T> = { ok: true; value: T } | { ok: false; errors: Record<string, string> };

const has = (o: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(o, key);

/** The same date one year later (the console's default expiration), as an ISO string. */
export function oneYearFrom(now: Date): string {
  const d = new Date(now);
  d.setUTCFullYear(d.getUTCFullYear() + 1);
  return d.toISOString();
}

function checkBoolean(schema: z.ZodType, value: unknown, field: string, errors: Record<string, string>) {
  if (value === undefined) return undefined;
  const r = schema.safeParse(value);
  if (!r.success) {
    errors[field] = r.error.issues[0]?.message ?? `${field} must be true or false.`;
    return undefined;
  }
  return r.data as boolean;
}

/** Validate `input` with a console schema, reporting errors under the API's field names. */
export function validateWith<S extends z.ZodType>(
  schema: S,
  input: unknown,
  fieldNames: Record<string, string> | ((path: string) => string),
  extraErrors: Record<string, string> = {},
): Translated<z.output<S>> {
  const parsed = schema.safeParse(input);
  const errors: Record<string, string> = { ...extraErrors };
  const nameOf = typeof fieldNames === 'function' ? fieldNames : (path: string) => apiFieldName(path, fieldNames);
  if (!parsed.success) {
    for (const [path, message] of Object.entries(zodFieldErrors(parsed.error))) {
      errors[nameOf(path)] ??= message;
    }
  }
  if (Object.keys(errors).length || !parsed.success) return { ok: false, errors };
  return { ok: true, value: parsed.data };
}

/** POST ClientCredentialClients body -> createClientSchema input, plus Enabled. */
export function createClientInput(body: Record<string, unknown>, now = new Date()) {
  const errors: Record<string, string> = {};
  const enabled = checkBoolean(enabledField, body.Enabled, 'Enabled', errors) ?? true;
  const expiration = body.SecretExpirationDate;
  const input: Record<string, unknown> = {
    name: body.Name,
    tokenLifetime: body.AccessTokenLifetime,
    roleIds: body.RoleIds,
    description: body.SecretDescription ?? '',
    neverExpires: expiration === null,
    expiresAt: has(body, 'SecretExpirationDate') ? expiration : oneYearFrom(now),
  };
  if (body.Id !== undefined && body.Id !== null) input.clientId = body.Id;
  return { input, enabled, errors };
}

/** PUT ClientCredentialClients/{id} body -> updateClientSchema input; fields left out keep the current values. */
export function updateClientInput(
  body: Record<string, unknown>,
  current: { id: string; version: number; name: string; tokenLifetime: number; roleIds: string[]; enabled: boolean; requireDpop: boolean },
) {
  const errors: Record<string, string> = {};
  const enabled = checkBoolean(enabledField, body.Enabled, 'Enabled', errors) ?? current.enabled;
  const input = {
    clientId: current.id,
    version: current.version,
    name: has(body, 'Name') ? body.Name : current.name,
    tokenLifetime: has(body, 'AccessTokenLifetime') ? body.AccessTokenLifetime : current.tokenLifetime,
    roleIds: has(body, 'RoleIds') ? body.RoleIds : current.roleIds,
    requireDpop: has(body, 'RequireDpop') ? body.RequireDpop : current.requireDpop,
  };
  return { input, enabled, errors };
}

/** PUT .../Roles body: ["<id>", ...] or [{ "Id": "<id>", ... }, ...] -> role ids (validated by the console's schema). */
export function roleIdsFromBody(body: unknown): Translated<unknown[]> {
  if (!Array.isArray(body)) return { ok: false, errors: { RoleIds: 'Send a JSON array of role ids or of Role objects.' } };
  const ids: unknown[] = [];
  for (const item of body) {
    if (typeof item === 'object' && item !== null && !Array.isArray(item)) ids.push((item as Record<string, unknown>).Id);
    else ids.push(item);
  }
  return { ok: true, value: ids };
}

/**
 * The product's secret body {Description, Expiration, Expires} -> the console's {description, neverExpires, expiresAt}.
 * Expires true needs an Expiration; Expires false must come without one. `current` (an edit) keeps the stored
 * values for fields left out; a new secret left without both expires one year from now.
 */
export function secretInput(
  body: Record<string, unknown>,
  current?: { description: string; expiresAt: Date | null },
  now = new Date(),
) {
  const errors: Record<string, string> = {};
  const expires = checkBoolean(expiresField, body.Expires, 'Expires', errors);
  const hasExpiration = body.Expiration !== undefined && body.Expiration !== null;
  if (expires === true && !hasExpiration) errors.Expiration = 'Give an Expiration when Expires is true.';
  if (expires === false && hasExpiration) errors.Expiration = 'Leave Expiration out when Expires is false: the secret never expires.';

  let neverExpires: boolean;
  let expiresAt: unknown;
  if (expires === false || (expires === undefined && body.Expiration === null)) {
    neverExpires = true;
    expiresAt = null;
  } else if (hasExpiration) {
    neverExpires = false;
    expiresAt = body.Expiration;
  } else if (current) {
    neverExpires = current.expiresAt === null;
    expiresAt = current.expiresAt?.toISOString() ?? null;
  } else {
    neverExpires = false;
    expiresAt = oneYearFrom(now);
  }
  const description = body.Description === undefined ? (current?.description ?? '') : body.Description;
  return { input: { description, neverExpires, expiresAt }, errors };
}

/* ---- Authorization Code and Hybrid clients ---- */

const URL_FIELDS: Record<string, string> = {
  redirectUris: 'RedirectUris',
  postLogoutRedirectUris: 'PostLogoutRedirectUris',
  allowedCorsOrigins: 'AllowedCorsOrigins',
  refreshTokenLifetime: 'RefreshTokenLifetime',
};
export const CREATE_USER_CLIENT_FIELDS: Record<string, string> = { ...CREATE_CLIENT_FIELDS, ...URL_FIELDS, clientType: 'clientType' };
export const UPDATE_USER_CLIENT_FIELDS: Record<string, string> = { ...UPDATE_CLIENT_FIELDS, ...URL_FIELDS };

/**
 * POST AuthorizationCodeClients / HybridClients / DeviceCodeClients body -> createUserClientSchema input, plus
 * Enabled. A Hybrid client takes its first secret's fields as POST ClientCredentialClients does; Authorization Code
 * and Device Code clients have no secret (those fields are ignored, as AllowedCorsOrigins is for a Hybrid client and
 * every URL field for a Device Code client: the console stores none for them).
 */
export function createUserClientInput(body: Record<string, unknown>, clientType: UserClientType, now = new Date()) {
  const { input, enabled, errors } = createClientInput(body, now);
  const urls = {
    redirectUris: body.RedirectUris,
    postLogoutRedirectUris: body.PostLogoutRedirectUris,
    refreshTokenLifetime: body.RefreshTokenLifetime,
  };
  if (clientType === 'hybrid') return { input: { ...input, ...urls, clientType }, enabled, errors };
  const publicClient = { ...input, description: '', neverExpires: false, expiresAt: null };
  if (clientType === 'device_code') {
    const noUrls = { redirectUris: [], postLogoutRedirectUris: [], allowedCorsOrigins: [] };
    return { input: { ...publicClient, ...noUrls, refreshTokenLifetime: body.RefreshTokenLifetime, clientType }, enabled, errors };
  }
  return { input: { ...publicClient, ...urls, allowedCorsOrigins: body.AllowedCorsOrigins, clientType }, enabled, errors };
}

/**
 * PUT AuthorizationCodeClients/{id} / HybridClients/{id} / DeviceCodeClients/{id} body -> updateClientSchema input
 * (name, token lifetime, roles) and updateClientUrlsSchema input (sign-in settings), both based on the current
 * version; fields left out keep their current values. A Device Code client's only sign-in setting is its refresh
 * token lifetime: URL fields sent for it are ignored, as in POST.
 */
export function updateUserClientInput(
  body: Record<string, unknown>,
  current: Parameters<typeof updateClientInput>[1] & {
    redirectUris: string[];
    postLogoutRedirectUris: string[];
    allowedCorsOrigins: string[];
    refreshTokenLifetime: number;
  },
  clientType: UserClientType,
) {
  const { input, enabled, errors } = updateClientInput(body, current);
  const keep = (field: string, value: unknown) => (has(body, field) ? body[field] : value);
  const device = clientType === 'device_code';
  const urls = {
    clientId: current.id,
    version: current.version,
    // Names the type to the schema, which requires a Redirect URL of every type but Device Code.
    clientType,
    redirectUris: device ? [] : keep('RedirectUris', current.redirectUris),
    postLogoutRedirectUris: device ? [] : keep('PostLogoutRedirectUris', current.postLogoutRedirectUris),
    // A Hybrid client has none (ignored, as in POST); nor has a Device Code client.
    allowedCorsOrigins: clientType === 'authorization_code' ? keep('AllowedCorsOrigins', current.allowedCorsOrigins) : [],
    refreshTokenLifetime: keep('RefreshTokenLifetime', current.refreshTokenLifetime),
  };
  return { input, urls, enabled, errors };
}
