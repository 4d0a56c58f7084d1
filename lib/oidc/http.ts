import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../db';
import { parseForm } from '../tokens/http/form';
import { readBody } from '../tokens/http/body';
import { send, sendJson } from '../tokens/http/send';
import type { TokenService } from '../tokens/token-service';
import { authorize, supportedScopes } from './authorize';
import { endBrowserSession, readBrowserSession } from './browser-session';
import { CorsOrigins } from './cors';
import { endSession } from './end-session';
import { deleteExpiredGrants, revokeRefreshTokenOfClient, revokeSignIns } from './grant-store';
import { isWellFormedOpaque, REFRESH_TOKEN_PREFIX } from './tokens';
import { UserGrants } from './grants';
import { userinfo } from './userinfo';
import { OIDC_PATHS } from './paths';
import { DEVICE_CODE_GRANT_TYPE } from './device';
import { noteClientId } from '../http/request-info';
import { dpopChallenge } from '../tokens/dpop-resource';

export { OIDC_PATHS };

/** What the discovery document adds for the user-facing flows. */
export function oidcDiscovery(issuer: string, accessTokenScopes: string[]) {
  return {
    authorization_endpoint: issuer + OIDC_PATHS.authorize,
    userinfo_endpoint: issuer + OIDC_PATHS.userinfo,
    end_session_endpoint: issuer + OIDC_PATHS.endSession,
    // RFC 8628 4: Device Code clients (lib/oidc/device.ts).
    device_authorization_endpoint: issuer + OIDC_PATHS.deviceAuthorization,
    response_types_supported: ['code'],
    response_modes_supported: ['query', 'form_post'],
    grant_types_supported: ['client_credentials', 'authorization_code', 'refresh_token', DEVICE_CODE_GRANT_TYPE],
    code_challenge_methods_supported: ['S256'],
    subject_types_supported: ['public'],
    // private_key_jwt authenticates client-credentials clients (lib/tokens); 'none' is the PKCE public client.
    token_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    // RFC 7009 2.1: a public Authorization Code client revokes its own tokens by client_id alone.
    revocation_endpoint_auth_methods_supported: ['client_secret_basic', 'client_secret_post', 'private_key_jwt', 'none'],
    scopes_supported: supportedScopes(accessTokenScopes),
    // OpenID Connect Prompt Create 1.0 metadata: the prompt values authorize acts on (others are ignored).
    prompt_values_supported: ['none', 'login', 'consent', 'select_account'],
    claims_parameter_supported: false,
    request_parameter_supported: false,
    request_uri_parameter_supported: false,
    authorization_response_iss_parameter_supported: true,
    claims_supported: [
      'iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'auth_time', 'nonce', 'azp', 'at_hash', 'name', 'email',
      'client_id', 'tenant_id', 'role', 'role_ids', 'scope',
    ],
  };
}

const HTML_CSP = (formTarget: string | null, scriptNonce: string | null = null) =>
  `default-src 'none'; style-src 'unsafe-inline';${scriptNonce ? ` script-src 'nonce-${scriptNonce}';` : ''} frame-ancestors 'none'; base-uri 'none'; form-action 'self'${formTarget ? ' ' + formTarget : ''}`;
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
const FORM_TYPE = 'application/x-www-form-urlencoded';
const MAX_BODY = 16 * 1024;

function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function html(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>${escapeHtml(title)}</title>
<style>body{font-family:system-ui,sans-serif;background:#f8fafc;color:#0f172a;margin:0}main{max-width:28rem;margin:4rem auto;background:#fff;border:1px solid #e2e8f0;border-radius:.75rem;padding:2rem}h1{font-size:1.5rem;margin:.25rem 0 1rem}p{line-height:1.5}code{background:#f1f5f9;padding:0 .25rem}button{background:#1d4ed8;color:#fff;border:0;border-radius:.375rem;padding:.5rem 1rem;font-size:1rem;cursor:pointer}a{color:#1d4ed8}</style></head>
<body><main><p style="font-size:.75rem;font-weight:600;text-transform:uppercase;letter-spacing:.05em;color:#1e40af;margin:0">Tenant Security Console</p>${body}</main></body></html>`;
}

function sendHtml(
  res: ServerResponse,
  status: number,
  page: string,
  formTarget: string | null = null,
  headers: Record<string, string | string[]> = {},
  scriptNonce: string | null = null,
) {
  send(res, status, { ...NO_STORE, ...headers, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': HTML_CSP(formTarget, scriptNonce) }, page);
}

function sendErrorPage(res: ServerResponse, status: number, error: string, description: string) {
  sendHtml(
    res,
    status,
    html(
      'Sign-in error',
      `<h1>The application sent an invalid request</h1><p>${escapeHtml(description)}</p><p>Error: <code>${escapeHtml(error)}</code></p><p><a href="/">Go to the console</a></p>`,
    ),
  );
}

/**
 * response_mode=form_post: a page that POSTs the authorization response to the client's redirect URI at once (a
 * script allowed by this answer's CSP nonce only), with a Continue button for a browser without JavaScript. The code
 * is in the page body, never in a URL; the page is not cached (NO_STORE).
 */
function sendFormPost(res: ServerResponse, action: string, params: Record<string, string>) {
  const nonce = randomBytes(16).toString('base64');
  const hidden = Object.entries(params)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('');
  sendHtml(
    res,
    200,
    html(
      'Signing in',
      `<h1>Signing you in</h1><form method="post" action="${escapeHtml(action)}">${hidden}<noscript><p>JavaScript is off: continue to the application.</p></noscript><button type="submit">Continue</button></form><script nonce="${nonce}">document.forms[0].submit()</script>`,
    ),
    new URL(action).origin,
    {},
    nonce,
  );
}

/** Query parameters (GET) or the form body (POST), repeated parameters refused (RFC 6749 3.1). */
async function requestParams(
  req: IncomingMessage,
): Promise<{ ok: true; params: Map<string, string> } | { ok: false; status: number; description: string } | { ok: false; aborted: true }> {
  if (req.method === 'POST') {
    const type = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
    if (type !== FORM_TYPE) return { ok: false, status: 400, description: `Send the parameters form-encoded (Content-Type: ${FORM_TYPE}).` };
    const body = await readBody(req, MAX_BODY);
    if (!body.ok) {
      // A request that went away before its body ended: nobody is left to answer.
      if (body.reason === 'aborted') return { ok: false, aborted: true };
      return { ok: false, status: 413, description: `The request body is larger than ${MAX_BODY} bytes.` };
    }
    const parsed = parseForm(body.text);
    return parsed.ok ? { ok: true, params: parsed.form } : { ok: false, status: 400, description: parsed.description };
  }
  const url = req.url ?? '';
  const q = url.indexOf('?');
  const parsed = parseForm(q === -1 ? '' : url.slice(q + 1));
  return parsed.ok ? { ok: true, params: parsed.form } : { ok: false, status: 400, description: parsed.description };
}

/**
 * The user-facing OpenID Connect endpoints on the /identity fast path: authorize and end-session (browser pages that
 * read the console's session cookie), userinfo, and the authorization_code / refresh_token grants of the token endpoint.
 */
export class OidcHttp {
  readonly grants: UserGrants;
  readonly cors: CorsOrigins;

  constructor(
    private readonly service: TokenService,
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.grants = new UserGrants(service, db, now);
    this.cors = new CorsOrigins(db);
    // Refresh tokens at the revocation endpoint (RFC 7009) and expired codes and refresh tokens in the cleanup: the
    // token service (lib/tokens, the layer below) knows them only through this.
    service.extend({
      refreshTokens: {
        recognizes: (token) => isWellFormedOpaque(token, REFRESH_TOKEN_PREFIX),
        revoke: (token, clientId, nowMs) => revokeRefreshTokenOfClient(db, token, clientId, nowMs),
      },
      cleanup: () => deleteExpiredGrants(db),
    });
  }

  /**
   * The parameters (query or form body), with the client named in the access log, and the browser's console session;
   * null when the answer was already sent (an error page) or nobody is left to answer.
   */
  private async browserRequest(req: IncomingMessage, res: ServerResponse) {
    const parsed = await requestParams(req);
    if (!parsed.ok) {
      if ('aborted' in parsed) res.destroy();
      else sendErrorPage(res, parsed.status, 'invalid_request', parsed.description);
      return null;
    }
    // The access log names the client (the parameter itself, like the rest of the query, is never logged).
    noteClientId(req, parsed.params.get('client_id'));
    return { params: parsed.params, session: await readBrowserSession(req, this.db) };
  }

  /** GET or POST /connect/authorize (lib/oidc/authorize.ts): a redirect, a form_post page, or an error page. */
  async authorize(req: IncomingMessage, res: ServerResponse, issuer: string) {
    const request = await this.browserRequest(req, res);
    if (!request) return;
    const authorizePath = `${new URL(issuer).pathname}${OIDC_PATHS.authorize}`;
    const outcome = await authorize(request.params, request.session, issuer, authorizePath, {
      db: this.db,
      getClient: (id) => this.service.clients.get(id),
      accessTokenScopes: this.service.settings.scopes,
      now: this.now,
    });
    if (outcome.type === 'error_page') sendErrorPage(res, outcome.status, outcome.error, outcome.description);
    else if (outcome.type === 'form_post') sendFormPost(res, outcome.action, outcome.params);
    else res.writeHead(302, { ...NO_STORE, Location: outcome.location }).end();
  }

  /** GET or POST /connect/endsession (lib/oidc/end-session.ts): a confirmation page, or the sign-out and its redirect. */
  async endSession(req: IncomingMessage, res: ServerResponse, origin: string, issuer: string) {
    const request = await this.browserRequest(req, res);
    if (!request) return;
    const { params, session } = request;
    const sameOriginPost = req.method === 'POST' && req.headers.origin === origin;
    const outcome = await endSession(params, session, issuer, sameOriginPost, {
      getClient: (id) => this.service.clients.get(id),
      keyFor: (kid) => this.service.keys.verificationKey(kid),
    });
    if (outcome.type === 'error_page') {
      sendErrorPage(res, outcome.status, outcome.error, outcome.description);
    } else if (outcome.type === 'confirm') {
      const hidden = Object.entries({ ...outcome.params, confirm: '1' })
        .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
        .join('');
      const target = outcome.postLogoutRedirectUri ? new URL(outcome.postLogoutRedirectUri).origin : null;
      sendHtml(
        res,
        200,
        html(
          'Sign out',
          `<h1>Sign out?</h1><p>An application asked to sign you out of the Tenant Security Console.</p><form method="post" action="${escapeHtml(new URL(issuer).pathname + OIDC_PATHS.endSession)}">${hidden}<button type="submit">Sign out</button></form>`,
        ),
        target,
      );
    } else {
      await revokeSignIns(this.db, outcome.signIns, this.now());
      const cookies = await endBrowserSession(req, this.db, session);
      const headers: Record<string, string[]> = cookies.length ? { 'Set-Cookie': cookies } : {};
      if (outcome.location) {
        res.writeHead(302, { ...NO_STORE, ...headers, Location: outcome.location }).end();
      } else {
        sendHtml(res, 200, html('Signed out', '<h1>You are signed out</h1><p><a href="/sign-in">Sign in again</a></p>'), null, headers);
      }
    }
  }

  /** GET or POST /connect/userinfo (lib/oidc/userinfo.ts), with a Bearer or DPoP access token. */
  async userinfo(req: IncomingMessage, res: ServerResponse, issuer: string) {
    const cors = await this.cors.headers(req.headers.origin);
    if (req.method === 'POST') await readBody(req, MAX_BODY);
    const result = await userinfo(req.headers.authorization, this.service, this.db, issuer, this.now(), {
      header: req.headers.dpop,
      method: req.method ?? 'GET',
    });
    if (result.ok) {
      sendJson(res, 200, result.body, cors);
    } else {
      // RFC 9449 7.1: a DPoP request (or a DPoP-bound token sent as Bearer) is answered with the DPoP challenge; a
      // request without credentials learns both schemes.
      const challenge =
        result.error === 'invalid_request'
          ? ['Bearer realm="identity"', dpopChallenge(null, 'identity')]
          : result.scheme === 'DPoP'
            ? dpopChallenge(result, 'identity')
            : `Bearer realm="identity", error="${result.error}"`;
      const headers: Record<string, string | string[]> = { ...cors, 'WWW-Authenticate': challenge };
      if (result.nonce) headers['DPoP-Nonce'] = result.nonce;
      sendJson(res, result.status, { error: result.error, error_description: result.description }, headers);
    }
  }
}
