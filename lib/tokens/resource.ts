import type { OAuthError } from './oauth-error';

/**
 * RFC 8707 resource indicators at the token endpoint (and authorize, device authorization): a client asks for a
 * token for one of the tenant's APIs (lib/apis) by its identifier. The token's `aud` is then exactly that identifier
 * and its scope is limited to what the client was granted of the API's scopes. One resource per request: RFC 8707
 * 2 lets a server refuse several, and one audience per token is what resource servers check.
 */
export type ApiAccess = ReadonlyMap<string, readonly string[]>;
export type ApiAccessRow = { identifier: string; scopes: string[] | null; apiScopes: string[] };

/** The loaded grants of a client: identifier -> the scopes it may ask for (its grant within the API's current scopes). */
export function loadedApiAccess(rows: ApiAccessRow[]): ApiAccess {
  return new Map(rows.map((r) => [r.identifier, r.scopes === null ? r.apiScopes : r.scopes.filter((s) => r.apiScopes.includes(s))]));
}

const invalidTarget = (description: string): { ok: false; error: OAuthError } => ({ ok: false, error: { error: 'invalid_target', description } });

/**
 * The `resource` parameter (several arrive joined by spaces from parseForm, which no absolute URI can hold): the
 * API's grantable scopes, or invalid_target for several resources, a value that is not an absolute URI without a
 * fragment, or an API this client was not given (an unknown API is answered the same, so nothing about other
 * tenants' APIs can be learned).
 */
export function resolveResource(access: ApiAccess, resource: string): { ok: true; scopes: readonly string[] } | { ok: false; error: OAuthError } {
  if (resource.includes(' ')) return invalidTarget('Ask for one resource per request.');
  if (resource.includes('#') || !URL.canParse(resource)) return invalidTarget('The resource must be an absolute URI without a fragment.');
  const scopes = access.get(resource);
  if (!scopes) return invalidTarget('This client may not get tokens for that resource.');
  return { ok: true, scopes };
}

/**
 * The scope of a token for an API: the requested scopes, each granted (else invalid_scope), or all granted ones when
 * none are asked for. `requested` already split and deduplicated.
 */
export function apiScope(granted: readonly string[], requested: string[] | null): { ok: true; scope: string | undefined } | { ok: false; error: OAuthError } {
  if (requested === null) return { ok: true, scope: granted.length ? granted.join(' ') : undefined };
  const missing = requested.find((s) => !granted.includes(s));
  if (missing !== undefined || requested.length === 0) {
    return {
      ok: false,
      error: { error: 'invalid_scope', description: `The requested scope is not granted for this resource. Granted: ${granted.join(' ') || 'none'}.` },
    };
  }
  return { ok: true, scope: requested.join(' ') };
}
