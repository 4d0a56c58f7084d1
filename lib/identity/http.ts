import type { IncomingMessage, ServerResponse } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { DbHandle } from '../db';
import { onShutdown } from '../server/lifecycle';
import { createTokenService, type OAuthError, type TokenService, type TokenServiceOptions } from '../tokens/token-service';
import type { BasicCredentials } from '../tokens/client-auth';
import { dispatchGrant, type Grant } from '../tokens/grant';
import { clientCredentialsGrant } from '../tokens/grant-client-credentials';
import { introspect } from '../tokens/introspect';
import { revoke } from '../tokens/revoke';
import { PATHS } from '../tokens/paths';
import { parseBasicAuthorization, parseForm } from '../tokens/http/form';
import { readBody } from '../tokens/http/body';
import { JSON_NO_STORE as NO_STORE, send, sendError } from '../tokens/http/send';
import { OIDC_PATHS, OidcHttp, oidcDiscovery } from '../oidc/http';
import { tokenStats } from '../tokens/stats';
import { metrics } from '../metrics';
import { noteClientId } from '../http/request-info';
import { SECRET_REPORT_PATH, SecretReportHttp } from '../notifications/secret-report-http';

/**
 * The /identity fast path on node:http: discovery, JWKS, token and introspection, answered in the same process and
 * port as the console but without Next's request pipeline (which tops out near 1,000 requests/s here).
 * Nothing a client sends can make it answer 500: bad input is a 4xx OAuth error, and an unexpected failure (the
 * database is down) is a 503 the client may retry.
 */
const PREFIX = '/identity';
/** RFC 8414 section 3: metadata for issuer {origin}/identity is also at this path. */
const RFC8414_DISCOVERY = '/.well-known/oauth-authorization-server/identity';

/** Discovery and JWKS are public documents that browser-based tools may read. */
const CORS = { 'Access-Control-Allow-Origin': '*' };
const NO_HEADERS: Record<string, string> = Object.freeze({}) as Record<string, string>;
const WWW_AUTHENTICATE = 'Basic realm="identity", charset="UTF-8"';
const FORM_TYPE = 'application/x-www-form-urlencoded';
/** Host header: a name or IP literal with an optional port; anything else cannot become part of the issuer. */
const HOST_RE = /^(?:[A-Za-z0-9](?:[A-Za-z0-9.-]{0,251}[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

type PostRoute = 'token' | 'introspection' | 'revocation' | 'device_authorization';

/**
 * How an endpoint answers OPTIONS: 'public' (discovery, JWKS: any origin may read them), 'browser_apps' (the Allowed
 * CORS Origins of Authorization Code clients: lib/oidc/cors.ts), 'plain' (Allow only), or null (405, like any other
 * method it does not take).
 */
type Preflight = 'public' | 'browser_apps' | 'plain' | null;

/**
 * One endpoint of the identity fast path: the methods it takes (its 405 and Allow follow from them), how it answers
 * OPTIONS, and what serves it once the method is right and the public origin known (`needsOrigin` false: serve
 * without one).
 */
type Route = {
  methods: readonly ('GET' | 'HEAD' | 'POST')[];
  preflight: Preflight;
  needsOrigin?: false;
  serve(req: IncomingMessage, res: ServerResponse, origin: string, issuer: string): Promise<void> | void;
};

function pathOf(url: string | undefined): string {
  if (!url) return '';
  const q = url.indexOf('?');
  return q === -1 ? url : url.slice(0, q);
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  const v = Array.isArray(value) ? value[0] : value;
  return v?.split(',')[0].trim() || undefined;
}

/** A client assertion's payload claims (unverified: for labels and the access log only), or null. */
function assertionClaims(assertion: string | undefined): { iss?: unknown; sub?: unknown } | null {
  if (!assertion) return null;
  const dot = assertion.indexOf('.');
  const end = assertion.indexOf('.', dot + 1);
  if (dot === -1 || end === -1 || end - dot > 4096) return null;
  try {
    return JSON.parse(Buffer.from(assertion.slice(dot + 1, end), 'base64url').toString('utf8')) as { iss?: unknown; sub?: unknown };
  } catch {
    return null;
  }
}

/**
 * The client authentication method a request used, for the tokens-issued metric (a fixed set of label values).
 * `credential`: what the token service says the client authenticated with, so an assertion is not decoded again.
 */
function authMethodOf(form: Map<string, string>, basic: BasicCredentials, credential?: string): string {
  if (basic) return 'client_secret_basic';
  if (credential === 'federated') return 'federated';
  if (credential === 'key') return 'private_key_jwt';
  const assertion = form.get('client_assertion');
  if (assertion !== undefined) {
    // private_key_jwt: the client signs it (iss = sub = its id); otherwise a platform's token (federated credential).
    const claims = assertionClaims(assertion);
    return claims && claims.iss === claims.sub ? 'private_key_jwt' : 'federated';
  }
  if (form.has('client_secret')) return 'client_secret_post';
  return 'none';
}

/** The client id a request names (HTTP Basic, client_id, or a client assertion's subject), for the access log. */
function presentedClientId(form: Map<string, string>, basic: BasicCredentials): string | undefined {
  if (basic && basic !== 'malformed') return basic.clientId;
  const id = form.get('client_id');
  if (id !== undefined) return id;
  const sub = assertionClaims(form.get('client_assertion'))?.sub;
  return typeof sub === 'string' ? sub : undefined;
}

function sendOAuthError(res: ServerResponse, err: OAuthError, cors: Record<string, string> = {}) {
  // RFC 6749 5.2: invalid_client is a 401, with WWW-Authenticate when the client used the Authorization header.
  // Not for credentials sent in the body: stock clients (openid-client) then report the invalid_client body itself.
  if (err.error === 'invalid_client') {
    sendError(res, 401, err.error, err.description, { ...cors, ...(err.challenge ? { 'WWW-Authenticate': WWW_AUTHENTICATE } : {}) });
  } else {
    // RFC 9449 8: use_dpop_nonce (and a refused proof) name the nonce to use in DPoP-Nonce.
    sendError(res, 400, err.error, err.description, err.dpopNonce ? { ...cors, 'DPoP-Nonce': err.dpopNonce } : cors);
  }
}

export type IdentityHandlerOptions = TokenServiceOptions & {
  /** Register the flush of pending "last used" stamps with lib/server/lifecycle (default true; tests say false). */
  registerShutdown?: boolean;
};

export class IdentityHttp {
  private inflight = 0;
  private drained: (() => void) | null = null;

  /** Authorization Code and Hybrid clients: authorize, userinfo, end-session and their token grants (lib/oidc). */
  readonly oidc: OidcHttp;
  /** Leaked-secret reports from secret scanners (lib/notifications/secret-report-http.ts). */
  readonly secretReports: SecretReportHttp;

  /** The token endpoint's grants by grant_type: client_credentials (lib/tokens) and the user grants (lib/oidc). */
  private readonly grants: ReadonlyMap<string, Grant>;
  /** Every endpoint under /identity (and RFC 8414's discovery path), by path. */
  private readonly routes: ReadonlyMap<string, Route>;

  constructor(
    readonly service: TokenService,
    db: DbHandle['db'],
  ) {
    this.oidc = new OidcHttp(service, db);
    this.secretReports = new SecretReportHttp(db);
    this.grants = new Map<string, Grant>([['client_credentials', (request) => clientCredentialsGrant(service, request)], ...this.oidc.grants.grants()]);
    const GET = ['GET', 'HEAD'] as const;
    const POST = ['POST'] as const;
    const GET_OR_POST = ['GET', 'POST'] as const;
    const post = (name: PostRoute): Route['serve'] => (req, res, origin, issuer) => this.post(name, req, res, issuer, origin);
    const discovery: Route = { methods: GET, preflight: 'public', serve: (req, res, _origin, issuer) => this.discovery(req, res, issuer) };
    this.routes = new Map<string, Route>([
      [PREFIX + PATHS.discovery, discovery],
      [RFC8414_DISCOVERY, discovery],
      [PREFIX + PATHS.jwks, { methods: GET, preflight: 'public', serve: (req, res) => this.jwks(req, res) }],
      // Browser apps (Allowed CORS Origins) call the token and revocation endpoints (oidc-client-ts revokeTokens()).
      [PREFIX + PATHS.token, { methods: POST, preflight: 'browser_apps', serve: post('token') }],
      [PREFIX + PATHS.introspection, { methods: POST, preflight: 'plain', serve: post('introspection') }],
      [PREFIX + PATHS.revocation, { methods: POST, preflight: 'browser_apps', serve: post('revocation') }],
      [PREFIX + OIDC_PATHS.deviceAuthorization, { methods: POST, preflight: 'plain', serve: post('device_authorization') }],
      [PREFIX + OIDC_PATHS.authorize, { methods: GET_OR_POST, preflight: null, serve: (req, res, _origin, issuer) => this.oidc.authorize(req, res, issuer) }],
      [PREFIX + OIDC_PATHS.userinfo, { methods: GET_OR_POST, preflight: 'browser_apps', serve: (req, res, _origin, issuer) => this.oidc.userinfo(req, res, issuer) }],
      [PREFIX + OIDC_PATHS.endSession, { methods: GET_OR_POST, preflight: null, serve: (req, res, origin, issuer) => this.oidc.endSession(req, res, origin, issuer) }],
      [SECRET_REPORT_PATH, { methods: POST, preflight: null, needsOrigin: false, serve: (req, res) => this.secretReports.handle(req, res, this.sourceAddress(req)) }],
    ]);
  }

  handles(req: IncomingMessage): boolean {
    const url = req.url ?? '';
    return (
      url.startsWith(PREFIX + '/') ||
      url === PREFIX ||
      url.startsWith(PREFIX + '?') ||
      url.startsWith(RFC8414_DISCOVERY)
    );
  }

  /** The public origin: AUTH_URL when set, else scheme and Host of the request (X-Forwarded-* behind TRUST_PROXY). */
  private origin(req: IncomingMessage): string | null {
    const settings = this.service.settings;
    if (settings.publicUrl) return settings.publicUrl;
    const forwardedProto = settings.trustProxy ? firstHeader(req.headers['x-forwarded-proto']) : undefined;
    const proto =
      forwardedProto === 'https' || forwardedProto === 'http'
        ? forwardedProto
        : (req.socket as TLSSocket).encrypted
          ? 'https'
          : 'http';
    const host = (settings.trustProxy && firstHeader(req.headers['x-forwarded-host'])) || req.headers.host;
    return host && HOST_RE.test(host) ? `${proto}://${host}` : null;
  }

  /** The caller's address: the socket peer, or the address our proxy saw (last X-Forwarded-For hop) behind TRUST_PROXY. */
  private sourceAddress(req: IncomingMessage): string {
    if (this.service.settings.trustProxy) {
      const xff = req.headers['x-forwarded-for'];
      const hops = (Array.isArray(xff) ? xff.join(',') : xff)?.split(',');
      const last = hops?.[hops.length - 1]?.trim();
      if (last) return last.slice(0, 64);
    }
    return req.socket.remoteAddress ?? 'unknown';
  }

  handle(req: IncomingMessage, res: ServerResponse) {
    this.inflight += 1;
    this.route(req, res)
      .catch((err) => {
        // The logger turns a database error into one line naming its cause (lib/log/console.ts).
        console.error('[tokens] request failed:', err);
        if (!res.headersSent) {
          sendError(res, 503, 'temporarily_unavailable', 'The token service is temporarily unavailable. Try again shortly.', {
            'Retry-After': '5',
          });
        } else {
          res.destroy();
        }
      })
      .finally(() => {
        // Every answer is written before route() settles: nothing is left to stamp after this.
        this.inflight -= 1;
        if (this.inflight === 0) this.drained?.();
      });
  }

  private async route(req: IncomingMessage, res: ServerResponse) {
    const route = this.routes.get(pathOf(req.url));
    if (!route) {
      sendError(res, 404, 'not_found', 'There is no such identity endpoint.');
      return;
    }
    const method = req.method ?? 'GET';
    const allow = route.preflight ? `${route.methods.join(', ')}, OPTIONS` : route.methods.join(', ');
    if (method === 'OPTIONS' && route.preflight) {
      const headers =
        route.preflight === 'public'
          ? CORS
          : route.preflight === 'browser_apps'
            ? await this.oidc.cors.headers(req.headers.origin, true)
            : NO_HEADERS;
      res.writeHead(204, { Allow: allow, ...headers }).end();
      return;
    }
    if (!(route.methods as readonly string[]).includes(method)) {
      const named = route.methods.filter((m) => m !== 'HEAD').join(' or ');
      sendError(res, 405, 'invalid_request', `Use ${named} for this endpoint.`, { Allow: allow });
      return;
    }
    if (route.needsOrigin === false) return route.serve(req, res, '', '');
    const origin = this.origin(req);
    if (!origin) {
      sendError(res, 400, 'invalid_request', 'The Host header is missing or invalid.');
      return;
    }
    return route.serve(req, res, origin, this.service.issuer(origin));
  }

  private discovery(req: IncomingMessage, res: ServerResponse, issuer: string) {
    const body = JSON.stringify({ ...this.service.discovery(issuer), ...oidcDiscovery(issuer, this.service.settings.scopes) });
    send(res, 200, { 'Content-Type': 'application/json', 'Cache-Control': 'public, max-age=300', ...CORS }, body, req.method === 'HEAD');
  }

  private jwks(req: IncomingMessage, res: ServerResponse) {
    // Shorter than the publish delay of a rotated key, so resource servers see a new key before it signs.
    const maxAge = Math.min(60, this.service.settings.keyPublishDelaySeconds);
    send(
      res,
      200,
      { 'Content-Type': 'application/jwk-set+json', 'Cache-Control': maxAge > 0 ? `public, max-age=${maxAge}` : 'no-cache', ...CORS },
      this.service.jwksJson(),
      req.method === 'HEAD',
    );
  }

  private async post(route: PostRoute, req: IncomingMessage, res: ServerResponse, issuer: string, origin: string) {
    const startedAt = performance.now();
    const body = await readBody(req, this.service.settings.maxBodyBytes);
    if (!body.ok) {
      if (body.reason === 'too_large') {
        // Stop reading a body we will not use: close the connection after answering.
        sendError(res, 413, 'invalid_request', `The request body is larger than ${this.service.settings.maxBodyBytes} bytes.`, {
          Connection: 'close',
        });
      } else {
        res.destroy();
      }
      return;
    }
    const contentType = req.headers['content-type']?.split(';')[0].trim().toLowerCase();
    if (contentType !== FORM_TYPE) {
      sendError(res, 400, 'invalid_request', `Send the parameters form-encoded (Content-Type: ${FORM_TYPE}).`);
      return;
    }
    const parsed = parseForm(body.text);
    if (!parsed.ok) {
      sendError(res, 400, 'invalid_request', parsed.description);
      return;
    }
    const basic = parseBasicAuthorization(req.headers.authorization);
    noteClientId(req, presentedClientId(parsed.form, basic));
    const source = this.sourceAddress(req);
    tokenStats?.record('parse', startedAt);
    const grantType = parsed.form.get('grant_type');
    // RFC 9449: a DPoP proof binds the token to the client's key (several DPoP headers arrive joined by commas: refused).
    const dpop = req.headers.dpop;
    const result =
      route === 'token'
        ? await dispatchGrant(this.grants, { form: parsed.form, basic, sourceAddress: source, issuer, dpopHeader: dpop })
        : route === 'introspection'
          ? await introspect(this.service, { form: parsed.form, basic, sourceAddress: source, issuer })
          : route === 'revocation'
            ? await revoke(this.service, { form: parsed.form, basic, sourceAddress: source, issuer })
            : await this.oidc.grants.deviceAuthorization(parsed.form, basic, source, origin);
    const writeAt = tokenStats ? performance.now() : 0;
    // Browser apps (Allowed CORS Origins of Authorization Code clients) may read token and revocation answers.
    // No Origin header (not a browser): nothing to look up.
    const browserOrigin = req.headers.origin;
    const cors =
      browserOrigin !== undefined && (route === 'token' || route === 'revocation') ? await this.oidc.cors.headers(browserOrigin) : NO_HEADERS;
    if (result.ok) {
      const nonce = (result as { dpopNonce?: string }).dpopNonce;
      send(res, 200, nonce ? { ...NO_STORE, ...cors, 'DPoP-Nonce': nonce } : { ...NO_STORE, ...cors }, JSON.stringify(result.body));
    } else {
      sendOAuthError(res, result.error, cors);
    }
    metrics.identityRequestSeconds.observe({ endpoint: route }, (performance.now() - startedAt) / 1000);
    if (route === 'token') {
      if (result.ok) metrics.tokensIssued.inc({ grant_type: grantType, auth_method: authMethodOf(parsed.form, basic, (result as { credential?: string }).credential) });
    } else if (route === 'device_authorization') {
      // Counted by identityRequestSeconds only: a device code is not a token.
    } else if (route === 'introspection') {
      metrics.introspections.inc({ result: !result.ok ? 'refused' : (result.body as { active?: boolean }).active ? 'active' : 'inactive' });
    } else {
      metrics.revocations.inc({ result: result.ok ? 'done' : 'refused' });
    }
    if (tokenStats) {
      tokenStats.record('write', writeAt);
      tokenStats.record('total', startedAt);
    }
  }

  /** Let requests in progress finish (at most `timeoutMs`), then stop timers and write pending "last used" stamps. */
  async shutdown(timeoutMs = 3000) {
    if (this.inflight > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, timeoutMs);
        this.drained = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
    await this.service.stop();
  }
}

/** The /identity fast path (discovery, JWKS, token, introspection); server.ts routes to it before Next. */
export async function createIdentityHandler(handle: DbHandle, options: IdentityHandlerOptions = {}) {
  const { registerShutdown = true, ...serviceOptions } = options;
  const service = await createTokenService(handle, serviceOptions);
  const http = new IdentityHttp(service, handle.db);
  if (registerShutdown) onShutdown(() => http.shutdown());
  return {
    service,
    handles: (req: IncomingMessage) => http.handles(req),
    handle: (req: IncomingMessage, res: ServerResponse) => http.handle(req, res),
    shutdown: () => http.shutdown(),
  };
}
