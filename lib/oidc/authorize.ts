import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { authorizationCodes, users } from '../db/schema';
import { isClientIdFormat, type AuthClient } from '../tokens/client-store';
import { resolveResource } from '../tokens/resource';
import type { BrowserSession } from './browser-session';
import { reauthMarker, REAUTH_PARAM, verifyReauthMarker } from './reauth';
import { CODE_LIFETIME_SECONDS, generateCode, hashOpaque, isS256Challenge } from './tokens';

/** Scopes an Authorization Code, Hybrid or Device Code client may ask for, besides the access-token scopes (TOKEN_SCOPES). */
export const OIDC_SCOPES = ['openid', 'profile', 'email', 'offline_access'] as const;
export const USER_CLIENT_TYPES = new Set(['authorization_code', 'hybrid']);
const MAX_PARAM_LENGTH = 2000;
/** max_age: a non-negative whole number of seconds (OpenID Connect Core 3.1.2.1). */
const MAX_AGE_RE = /^\d{1,10}$/;
const JKT_RE = /^[A-Za-z0-9_-]{43}$/;

export type AuthorizeOutcome =
  /** Never redirect: the client or its redirect URI could not be trusted (RFC 6749 4.1.2.1 first paragraph). */
  | { type: 'error_page'; status: number; error: string; description: string }
  /** To the client's registered redirect URI: a code, or an error per RFC 6749 4.1.2.1. */
  | { type: 'redirect'; location: string }
  /**
   * The same answer as `redirect` in response_mode=form_post (OAuth 2.0 Form Post Response Mode): the parameters are
   * POSTed to the redirect URI by an auto-submitting form instead of travelling in its query.
   */
  | { type: 'form_post'; action: string; params: Record<string, string> }
  /** To the console's sign-in page, which comes back here (a same-site relative path). */
  | { type: 'sign_in'; location: string };

export type AuthorizeDeps = {
  db: Db;
  getClient: (clientId: string) => Promise<AuthClient | null>;
  accessTokenScopes: string[];
  now: () => number;
};

export function supportedScopes(accessTokenScopes: string[]): string[] {
  return [...OIDC_SCOPES, ...accessTokenScopes.filter((s) => !(OIDC_SCOPES as readonly string[]).includes(s))];
}

/** The client of a redirect-based flow (authorize): an enabled Authorization Code or Hybrid client, else null (Device Code clients have no redirect URLs). */
export async function userFlowClient(getClient: AuthorizeDeps['getClient'], clientId: string | undefined) {
  if (!clientId || !isClientIdFormat(clientId)) return null;
  const client = await getClient(clientId.toLowerCase());
  return client && client.enabled && USER_CLIENT_TYPES.has(client.clientType) ? client : null;
}

/**
 * Whether `requested` may receive the answer: exactly one of the registered redirect URIs, byte for byte, except that
 * for an http loopback IP literal (127.0.0.1, [::1]) the port may differ (RFC 8252 7.3: a native app listens on
 * whatever port is free at the time). Everything else about such a URI must match exactly, and the requested URI
 * must be in the form the URL parser writes it, so nothing but the port can differ.
 */
export function redirectUriAllowed(registered: readonly string[], requested: string): boolean {
  if (registered.includes(requested)) return true;
  let req: URL;
  try {
    req = new URL(requested);
  } catch {
    return false;
  }
  if (req.protocol !== 'http:' || !LOOPBACK_IPS.has(req.hostname) || req.href !== requested) return false;
  req.port = '';
  return registered.some((value) => {
    let reg: URL;
    try {
      reg = new URL(value);
    } catch {
      return false;
    }
    if (reg.protocol !== 'http:' || !LOOPBACK_IPS.has(reg.hostname)) return false;
    reg.port = '';
    return reg.href === req.href;
  });
}
const LOOPBACK_IPS = new Set(['127.0.0.1', '[::1]']);

function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
  return url.toString();
}

/**
 * GET or POST /connect/authorize (RFC 6749 4.1.1, OpenID Connect Core 3.1.2), response_type=code with PKCE S256.
 * `params` must come from a parser that refuses repeated parameters. `authorizePath` is this endpoint's path: the
 * sign-in page comes back to it with the same parameters (as a GET).
 *
 * prompt (Core 3.1.2.1): `none` never shows a page (login_required when a sign-in is needed, and cannot be combined
 * with other values); `login` asks for a fresh sign-in even with a session, and so does `select_account` (signing in
 * again is how a user picks another account here); `consent` needs nothing, since there is no consent screen for
 * first-party applications of the user's own tenant; other values are ignored (Core errata set 2: an OP may ignore
 * values it does not understand). max_age: a session signed in longer ago than that many seconds signs in again.
 * Either way the sign-in page returns here with a REAUTH_PARAM marker (lib/oidc/reauth.ts), so the second pass
 * accepts the session signed in after the first and cannot loop.
 */
export async function authorize(
  params: Map<string, string>,
  session: BrowserSession | null,
  issuer: string,
  authorizePath: string,
  deps: AuthorizeDeps,
): Promise<AuthorizeOutcome> {
  const page = (error: string, description: string, status = 400): AuthorizeOutcome => ({
    type: 'error_page',
    status,
    error,
    description,
  });
  for (const v of params.values()) {
    if (v.length > MAX_PARAM_LENGTH) return page('invalid_request', 'A parameter is too long.');
  }
  const clientId = params.get('client_id');
  if (!clientId) return page('invalid_request', 'The client_id parameter is missing.');
  const client = await userFlowClient(deps.getClient, clientId);
  // Unknown, removed, disabled, or a client-credentials client: the same answer, and no redirect.
  if (!client) return page('invalid_client', 'The application is unknown or is not allowed to sign users in.');
  const redirectUri = params.get('redirect_uri');
  if (!redirectUri) return page('invalid_request', 'The redirect_uri parameter is missing.');
  // Exact string match against the registered list (loopback ports aside): nothing else may receive a code or an error.
  if (!redirectUriAllowed(client.redirectUris, redirectUri)) {
    return page('invalid_request', 'The redirect_uri is not registered for this application.');
  }

  const state = params.get('state');
  // Errors about response_mode itself go back in the query, the one mode every client reads.
  const responseMode = params.get('response_mode');
  const formPost = responseMode === 'form_post';
  const answer = (fields: Record<string, string | undefined>): AuthorizeOutcome => {
    if (!formPost) return { type: 'redirect', location: withParams(redirectUri, fields) };
    const defined = Object.fromEntries(Object.entries(fields).filter((e): e is [string, string] => e[1] !== undefined));
    return { type: 'form_post', action: redirectUri, params: defined };
  };
  const fail = (error: string, description: string): AuthorizeOutcome =>
    answer({ error, error_description: description, state, iss: issuer });
  if (params.has('request')) return fail('request_not_supported', 'Request objects are not supported.');
  if (params.has('request_uri')) return fail('request_uri_not_supported', 'The request_uri parameter is not supported.');
  const responseType = params.get('response_type');
  if (!responseType) return fail('invalid_request', 'The response_type parameter is missing.');
  if (responseType !== 'code') return fail('unsupported_response_type', 'Only response_type=code is supported.');
  if (responseMode !== undefined && responseMode !== 'query' && !formPost) {
    return fail('invalid_request', 'Only response_mode=query and response_mode=form_post are supported.');
  }
  const challenge = params.get('code_challenge');
  const method = params.get('code_challenge_method');
  if (!challenge) return fail('invalid_request', 'PKCE is required: send code_challenge and code_challenge_method=S256.');
  if (method !== 'S256') return fail('invalid_request', 'Only code_challenge_method=S256 is supported.');
  if (!isS256Challenge(challenge)) return fail('invalid_request', 'The code_challenge is not a valid S256 challenge.');

  // RFC 9449 section 10: bind the code to the client's DPoP key (a SHA-256 JWK thumbprint, RFC 7638).
  const dpopJkt = params.get('dpop_jkt');
  if (dpopJkt !== undefined && !JKT_RE.test(dpopJkt)) {
    return fail('invalid_request', 'The dpop_jkt parameter must be the SHA-256 JWK thumbprint of the DPoP key (43 base64url characters).');
  }

  // RFC 8707: a token for one of the tenant's APIs, asked for here and carried through the code and refresh tokens.
  const resource = params.get('resource');
  let allowed = supportedScopes(deps.accessTokenScopes);
  if (resource !== undefined) {
    const target = resolveResource(client.apis, resource);
    if (!target.ok) return fail(target.error.error, target.error.description);
    allowed = [...OIDC_SCOPES, ...target.scopes];
  }
  const scopes = [...new Set((params.get('scope') ?? '').split(' ').filter(Boolean))];
  if (scopes.some((s) => !allowed.includes(s))) {
    return fail('invalid_scope', `The requested scope is not available. Available: ${allowed.join(' ')}.`);
  }
  const prompt = new Set((params.get('prompt') ?? '').split(' ').filter(Boolean));
  if (prompt.has('none') && prompt.size > 1) return fail('invalid_request', 'prompt=none cannot be combined with other values.');
  const maxAgeParam = params.get('max_age');
  if (maxAgeParam !== undefined && !MAX_AGE_RE.test(maxAgeParam)) {
    return fail('invalid_request', 'The max_age parameter must be a whole number of seconds.');
  }
  const maxAge = maxAgeParam === undefined ? undefined : Number(maxAgeParam);
  const forceLogin = prompt.has('login') || prompt.has('select_account');
  const nowSeconds = Math.floor(deps.now() / 1000);
  const signedInAfter = verifyReauthMarker(params.get(REAUTH_PARAM), client.id, nowSeconds);

  const user = session
    ? (await deps.db.select({ id: users.id, tenantId: users.tenantId }).from(users).where(eq(users.id, session.userId)).limit(1))[0]
    : undefined;
  const needsFreshSignIn = session && (forceLogin || (maxAge !== undefined && nowSeconds - session.authTime > maxAge));
  const freshEnough = !needsFreshSignIn || (signedInAfter !== null && session.authTime >= signedInAfter);
  if (!session || !user || !freshEnough) {
    if (prompt.has('none')) return fail('login_required', session && user ? 'The user must sign in again.' : 'The user is not signed in.');
    // Back here with the same parameters; when a fresh sign-in is asked for, with a marker of when the user was sent
    // to sign in (kept while valid), which the sign-in page also reads as "show the form even with a session".
    const back = new URLSearchParams([...params].filter(([k]) => k !== REAUTH_PARAM));
    if (forceLogin || maxAge !== undefined) {
      const marker = signedInAfter !== null ? params.get(REAUTH_PARAM) : reauthMarker(client.id, nowSeconds);
      if (marker) back.set(REAUTH_PARAM, marker);
    }
    return { type: 'sign_in', location: `/sign-in?callbackUrl=${encodeURIComponent(`${authorizePath}?${back}`)}` };
  }
  // First-party clients of a tenant sign in that tenant's users only.
  if (user.tenantId !== client.tenantId) return fail('access_denied', 'This account cannot sign in to this application.');

  const code = generateCode();
  const now = deps.now();
  await deps.db.insert(authorizationCodes).values({
    codeHash: hashOpaque(code),
    clientId: client.id,
    userId: user.id,
    redirectUri,
    codeChallenge: challenge,
    scope: scopes.join(' '),
    nonce: params.get('nonce') ?? null,
    authTime: new Date(session.authTime * 1000),
    dpopJkt: dpopJkt ?? null,
    resource: resource ?? null,
    expiresAt: new Date(now + CODE_LIFETIME_SECONDS * 1000),
  });
  return answer({ code, state, iss: issuer });
}
