import { and, eq, sql } from 'drizzle-orm';
import { MFA_ENROLMENT_REQUIRED } from '../auth/mfa/requirement';
import type { Actor } from '../actions/actor';
import type { SessionUser } from '../auth/users';
import { getDbHandle, type Db } from '../db';
import { clientRoles, clients, roles } from '../db/schema';
import { tokenSettingsFromEnv, type TokenSettings } from '../tokens/config';
import { recordAssertionJti } from '../tokens/client-assertion';
import { dpopNonces } from '../tokens/dpop';
import { checkTokenBinding, dpopChallenge, parseAuthorization, type BindingFailure } from '../tokens/dpop-resource';
import { verifyBearerToken } from './bearer';
import { apiError } from '../http/api-answers';
import { firstValue, publicOrigin } from '../http/public-origin';

/**
 * Who may call the REST API, and as whom:
 * - a bearer access token from our token endpoint (signature, expiry, issuer, audience), whose client still exists,
 *   is enabled, and holds Tenant Administrator of the tenant in the path; or
 * - a signed-in Tenant Administrator's session, for same-origin calls from the console (cross-site requests are
 *   refused by an Origin check, since the browser attaches the session cookie on its own).
 * The tenant always comes from the credential and must equal the path's; another tenant's path is a 403.
 */
export type ApiCaller = { actor: Actor; db: Db; via: 'bearer' | 'session' };
export type AuthorizeResult = { ok: true; caller: ApiCaller } | { ok: false; response: Response };

const REALM = 'realm="api"';
const TENANT_ADMIN = 'tenant_administrator';
const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

type SettingsSlice = Pick<TokenSettings, 'publicUrl' | 'trustProxy' | 'audience'> & Partial<Pick<TokenSettings, 'dpopRequireNonce'>>;
let settingsCache: SettingsSlice | null = null;
function settings(): SettingsSlice {
  settingsCache ??= tokenSettingsFromEnv();
  return settingsCache;
}

/** Tests: read the token settings from the environment again. */
export function resetApiSettings() {
  settingsCache = null;
}

function quoted(text: string) {
  return `"${text.replace(/["\\]/g, '')}"`;
}

const RESOLUTION =
  'Get an access token from the token endpoint (client credentials) and send it as Authorization: Bearer <token>, or, for a DPoP-bound token, as Authorization: DPoP <token> with a DPoP proof.';

/** A refusal of the credentials. Without any, both schemes are offered (RFC 9449 7.1: Bearer and DPoP challenges). */
function unauthorized(reason: string, error?: 'invalid_token'): Response {
  const challenge = error ? `Bearer ${REALM}, error="${error}", error_description=${quoted(reason)}` : `Bearer ${REALM}, ${dpopChallenge(null, 'api')}`;
  return apiError(401, reason, { headers: { 'WWW-Authenticate': challenge }, resolution: RESOLUTION });
}

/** A DPoP refusal (RFC 9449 7.1): the DPoP challenge with its error, and DPoP-Nonce when a nonce is to be used. */
function dpopUnauthorized(failure: BindingFailure): Response {
  const headers: Record<string, string> = { 'WWW-Authenticate': dpopChallenge(failure, 'api') };
  if (failure.nonce) headers['DPoP-Nonce'] = failure.nonce;
  return apiError(401, failure.description, { headers, resolution: RESOLUTION });
}

function forbidden(reason: string, bearer: boolean): Response {
  return apiError(403, reason, {
    headers: bearer ? { 'WWW-Authenticate': `Bearer ${REALM}, error="insufficient_scope", error_description=${quoted(reason)}` } : {},
  });
}

/** The public origin as the token endpoint computes it (lib/identity/http.ts), so `iss` matches. */
export function requestOrigin(request: Request, s: SettingsSlice = settings()): string {
  return publicOrigin(request.headers, request.url, s);
}

export function expectedIssuer(request: Request, s: SettingsSlice = settings()) {
  const issuer = `${requestOrigin(request, s)}/identity`;
  return { issuer, audience: s.audience ?? `${issuer}/resources` };
}

/**
 * Same-origin check for cookie-authenticated calls: the Origin header must name this host (AUTH_URL's host, or the
 * Host / X-Forwarded-Host the request came with); a request without Origin is accepted only for safe methods.
 */
export function checkSameOrigin(request: Request, s: SettingsSlice = settings()): string | null {
  const site = request.headers.get('sec-fetch-site');
  if (site && site !== 'same-origin' && site !== 'none') return 'Cross-site requests cannot use the console session.';
  const origin = request.headers.get('origin');
  if (origin === null) {
    return UNSAFE.has(request.method.toUpperCase())
      ? 'A request that changes data with the console session must carry an Origin header.'
      : null;
  }
  let originHost: string;
  try {
    originHost = new URL(origin).host.toLowerCase();
  } catch {
    return 'Cross-site requests cannot use the console session.';
  }
  const hosts = new Set<string>();
  const host = request.headers.get('host');
  if (host) hosts.add(host.toLowerCase());
  if (s.trustProxy) {
    const fwd = firstValue(request.headers.get('x-forwarded-host'));
    if (fwd) hosts.add(fwd.toLowerCase());
  }
  if (s.publicUrl) hosts.add(new URL(s.publicUrl).host.toLowerCase());
  if (!host && !s.publicUrl) hosts.add(new URL(request.url).host.toLowerCase());
  return hosts.has(originHost) ? null : 'Cross-site requests cannot use the console session.';
}

/** The client's state in one query: tenant, enabled, and whether it holds the given tenant's Tenant Administrator. */
async function loadClientAccess(db: Db, clientId: string, tenantId: string, jti: string | null) {
  const [row] = await db
    .select({
      // A revoked token (RFC 7009, lib/tokens/revocation.ts) is refused at once, on every instance: same query.
      revoked: jti === null ? sql<boolean>`false` : sql<boolean>`exists (select 1 from revoked_tokens where jti = ${jti})`.mapWith(Boolean),
      tenantId: clients.tenantId,
      enabled: clients.enabled,
      clientType: clients.clientType,
      isAdmin: sql<boolean>`exists (${db
        .select({ one: sql`1` })
        .from(clientRoles)
        .innerJoin(roles, eq(roles.id, clientRoles.roleId))
        .where(
          and(eq(clientRoles.clientId, clients.id), eq(roles.tenantId, tenantId), eq(roles.roleType, TENANT_ADMIN)),
        )})`.mapWith(Boolean),
    })
    .from(clients)
    .where(eq(clients.id, clientId));
  return row;
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function authorizeApi(
  request: Request,
  pathTenantId: string,
  deps: { getUser?: () => Promise<SessionUser | null>; now?: number } = {},
): Promise<AuthorizeResult> {
  const handle = await getDbHandle();
  const db = handle.db;
  const tenantId = pathTenantId.toLowerCase();
  const authorization = request.headers.get('authorization');

  if (authorization !== null) {
    const presented = parseAuthorization(authorization);
    if (!presented) return { ok: false, response: unauthorized('The Authorization header must be "Bearer <access token>" or "DPoP <access token>".', 'invalid_token') };
    const expected = expectedIssuer(request);
    const checked = await verifyBearerToken(presented.token, expected, { handle, now: deps.now });
    if (!checked.ok) {
      const failure = { error: 'invalid_token' as const, description: checked.reason };
      return { ok: false, response: presented.scheme === 'DPoP' ? dpopUnauthorized(failure) : unauthorized(checked.reason, 'invalid_token') };
    }
    // RFC 9449 section 7: a DPoP-bound token only with a proof of its key for this request (htu: the public URL
    // without query), its jti once on every instance (the replay store of lib/tokens/client-assertion.ts).
    const nowMs = deps.now ?? Date.now();
    const binding = await checkTokenBinding(
      presented,
      checked.token.claims,
      request.headers.get('dpop'),
      { htm: request.method.toUpperCase(), htu: requestOrigin(request) + new URL(request.url).pathname },
      { requireNonce: settings().dpopRequireNonce ?? false, nonces: dpopNonces(), nowMs },
      (key, jti, exp) => recordAssertionJti(db, key, jti, exp),
    );
    if (binding) return { ok: false, response: dpopUnauthorized(binding) };
    const { clientId, tenantId: tokenTenant } = checked.token;
    if (!GUID.test(clientId) || !GUID.test(tokenTenant)) {
      return { ok: false, response: unauthorized('The access token is invalid.', 'invalid_token') };
    }
    const jti = typeof checked.token.claims.jti === 'string' ? checked.token.claims.jti : null;
    const client = await loadClientAccess(db, clientId, GUID.test(tenantId) ? tenantId : tokenTenant, jti);
    if (client?.revoked) return { ok: false, response: unauthorized('The access token has been revoked.', 'invalid_token') };
    if (!client || !client.enabled || client.clientType !== 'client_credentials' || client.tenantId !== tokenTenant) {
      return { ok: false, response: unauthorized('The client of this access token is disabled or no longer exists.', 'invalid_token') };
    }
    if (client.tenantId !== tenantId) {
      return { ok: false, response: forbidden('This access token is for another tenant.', true) };
    }
    if (!client.isAdmin) {
      return { ok: false, response: forbidden('The client needs the Tenant Administrator role of this tenant.', true) };
    }
    return {
      ok: true,
      caller: {
        db,
        via: 'bearer',
        actor: { tenantId, type: 'client', id: clientId, label: `client:${clientId}`, via: 'api' },
      },
    };
  }

  // No cookie, no session: next-auth (loaded on demand) is needed only for cookie-authenticated calls.
  if (!deps.getUser && !request.headers.get('cookie')) return { ok: false, response: unauthorized('An access token is required.') };
  const getUser = deps.getUser ?? (await import('../auth/session')).getSessionUser;
  const user = await getUser();
  if (!user) return { ok: false, response: unauthorized('An access token is required.') };
  const crossSite = checkSameOrigin(request);
  if (crossSite) return { ok: false, response: forbidden(crossSite, false) };
  if (user.tenantId.toLowerCase() !== tenantId) {
    return { ok: false, response: forbidden('You can only manage your own tenant.', false) };
  }
  if (!user.roleTypes.includes(TENANT_ADMIN)) {
    return { ok: false, response: forbidden('You need the Tenant Administrator role to do this.', false) };
  }
  if (user.mfaEnrolmentRequired) return { ok: false, response: forbidden(MFA_ENROLMENT_REQUIRED, false) };
  return {
    ok: true,
    caller: { db, via: 'session', actor: { tenantId: user.tenantId, type: 'user', id: user.id, label: user.email, via: 'api' } },
  };
}
