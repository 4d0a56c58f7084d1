import { z } from 'zod';
import { idField, nameField } from '../roles/names.schema';

/**
 * APIs (RFC 8707 resource indicators) and which of them a client may get tokens for. No Node imports: the console's
 * forms validate with these schemas too.
 */
export const API_NAME_MAX = 100;
export const API_IDENTIFIER_MAX = 200;
export const MAX_API_SCOPES = 50;
export const API_SCOPE_MAX = 100;
export const MAX_APIS_PER_TENANT = 100;
/** OpenID Connect's own scopes: about the user, never an API's. */
export const RESERVED_SCOPES = ['openid', 'profile', 'email', 'offline_access'];

const IDENTIFIER_SCHEMES = new Set(['https:', 'http:', 'urn:']);

/** Why `value` cannot be an API identifier (RFC 8707 2: an absolute URI without a fragment), or null when it can. */
export function apiIdentifierProblem(value: string): string | null {
  if (value.length > API_IDENTIFIER_MAX) return `Use at most ${API_IDENTIFIER_MAX} characters.`;
  if (/[\s\p{Cc}\p{Cf}\p{Cs}]/u.test(value)) return 'An identifier cannot contain spaces or invisible characters.';
  if (value.includes('#')) return 'An identifier cannot have a fragment (#).';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Enter an absolute URI such as https://api.example.com.';
  }
  if (!IDENTIFIER_SCHEMES.has(url.protocol)) return 'Use an https, http or urn identifier, such as https://api.example.com.';
  if (url.username || url.password) return 'An identifier cannot contain a user name or password.';
  return null;
}

/** RFC 6749 3.3 scope-token: printable ASCII except space, " and \. */
const SCOPE_TOKEN = /^[\x21\x23-\x5b\x5d-\x7e]+$/;

export const apiIdentifierField = z
  .string({ error: 'Enter the identifier.' })
  .trim()
  .min(1, 'Enter the identifier, such as https://api.example.com.')
  .superRefine((v, ctx) => {
    const problem = v === '' ? null : apiIdentifierProblem(v);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

/** Scopes as typed (space- or line-separated) or as a list (the REST API): trimmed, unique, valid scope tokens. */
export const apiScopesField = z
  .union([z.string(), z.array(z.string())], { error: 'Enter the scopes, separated by spaces.' })
  .optional()
  .transform((v, ctx) => {
    const items = (Array.isArray(v) ? v : (v ?? '').split(/\s+/)).map((s) => s.trim()).filter(Boolean);
    const unique = [...new Set(items)];
    if (unique.length > MAX_API_SCOPES) {
      ctx.addIssue({ code: 'custom', message: `Enter at most ${MAX_API_SCOPES} scopes.` });
      return z.NEVER;
    }
    for (const s of unique) {
      if (s.length > API_SCOPE_MAX || !SCOPE_TOKEN.test(s)) {
        ctx.addIssue({ code: 'custom', message: `${s.slice(0, 40)}: a scope is 1 to ${API_SCOPE_MAX} printable characters without spaces, quotes or backslashes.` });
        return z.NEVER;
      }
      if (RESERVED_SCOPES.includes(s)) {
        ctx.addIssue({ code: 'custom', message: `${s} is an OpenID Connect scope, not an API's.` });
        return z.NEVER;
      }
    }
    return unique;
  });

/** Add API. The identifier cannot change later: resource servers check it in every token's aud. */
export const createApiSchema = z.object({
  name: nameField(API_NAME_MAX),
  identifier: apiIdentifierField,
  scopes: apiScopesField,
});
export type CreateApiInput = z.input<typeof createApiSchema>;

/** Edit API: the name and the scopes. */
export const updateApiSchema = z.object({
  id: idField('API'),
  version: z.coerce.number({ error: 'Reload the API and try again.' }).int().min(1),
  name: nameField(API_NAME_MAX),
  scopes: apiScopesField,
});
export type UpdateApiInput = z.input<typeof updateApiSchema>;

export const removeApiSchema = z.object({ id: idField('API') });
export type RemoveApiInput = z.input<typeof removeApiSchema>;
