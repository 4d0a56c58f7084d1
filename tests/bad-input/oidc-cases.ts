import { randomUUID } from 'node:crypto';
import type { ActionResult } from '@/lib/actions/result';
import type { SessionUser } from '@/lib/auth/users';
import { clientAdminActions } from '@/lib/clients/admin-actions';
import { newClientInput } from '@/lib/clients/test-helpers';
import { AUTH_CODE_REDIRECT, type Ctx } from './fixtures';
import { form, HUGE, hs256WithKey, send, SQLI, XSS, type Case, type Category, type Expectation, type HttpAnswer, type Surface } from './support';

/*
 * Bad input to what Authorization Code and Hybrid clients use (lib/oidc): the authorize and end-session browser
 * endpoints (an HTML error page, or an RFC 6749 4.1.2.1 error redirect to the registered URI only), userinfo, the
 * authorization_code and refresh_token grants, and the console's Add Client / Edit Sign-In Settings actions.
 * No case has a console session, so none may write a code or a token.
 */
const AUTHORIZE = '/identity/connect/authorize';
const USERINFO = '/identity/connect/userinfo';
const END_SESSION = '/identity/connect/endsession';
const TOKEN = '/identity/connect/token';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

export function oidcCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const add = (surface: Surface, category: Category, name: string, run: (ctx: Ctx) => Promise<HttpAnswer>, expect?: Expectation) =>
    cases.push({ surface, category, name, expect, run: async (ctx) => ({ kind: 'http', answer: await run(ctx) }) });
  const get = (ctx: Ctx, path: string, headers: Record<string, string> = {}) => send(ctx.identity + path, { redirect: 'manual', headers });
  const qs = (params: Record<string, string>) => `?${new URLSearchParams(params)}`;

  /* ---- authorize: untrusted client or redirect URI -> an error page, never a redirect ---- */
  const valid = (ctx: Ctx) => ({
    client_id: ctx.clients.authCode.clientId,
    redirect_uri: AUTH_CODE_REDIRECT,
    response_type: 'code',
    code_challenge: CHALLENGE,
    code_challenge_method: 'S256',
    state: 'st',
  });
  const page = { page: true } as const;
  const authorizePage = (category: Category, name: string, query: (ctx: Ctx) => string) =>
    add('authorize', category, name, (ctx) => get(ctx, AUTHORIZE + query(ctx)), page);
  authorizePage('missing field', 'no parameters', () => '');
  authorizePage('missing field', 'no client_id', (ctx) => qs({ ...valid(ctx), client_id: '' }));
  authorizePage('non-guid id', 'client_id not a GUID', (ctx) => qs({ ...valid(ctx), client_id: 'my-app' }));
  authorizePage('non-guid id', 'an unknown client_id', (ctx) => qs({ ...valid(ctx), client_id: randomUUID() }));
  authorizePage('rule', 'a client-credentials client', (ctx) => qs({ ...valid(ctx), client_id: ctx.clients.good.clientId }));
  authorizePage('rule', 'a disabled client', (ctx) => qs({ ...valid(ctx), client_id: ctx.clients.disabled.clientId }));
  authorizePage('other tenant', 'a client of another tenant with our redirect URI', (ctx) => qs({ ...valid(ctx), client_id: ctx.clients.clientB.clientId }));
  authorizePage('missing field', 'no redirect_uri', (ctx) => qs({ ...valid(ctx), redirect_uri: '' }));
  authorizePage('rule', 'an unregistered redirect_uri', (ctx) => qs({ ...valid(ctx), redirect_uri: 'https://evil.example/callback' }));
  authorizePage('rule', 'the registered redirect_uri with a trailing slash', (ctx) => qs({ ...valid(ctx), redirect_uri: AUTH_CODE_REDIRECT + '/' }));
  authorizePage('rule', 'the registered redirect_uri with an extra query', (ctx) => qs({ ...valid(ctx), redirect_uri: AUTH_CODE_REDIRECT + '?next=https://evil.example' }));
  authorizePage('rule', 'the registered redirect_uri in upper case', (ctx) => qs({ ...valid(ctx), redirect_uri: AUTH_CODE_REDIRECT.toUpperCase() }));
  authorizePage('sql/html metacharacters', 'redirect_uri with a script', (ctx) => qs({ ...valid(ctx), redirect_uri: `javascript:${XSS}` }));
  authorizePage('sql/html metacharacters', 'client_id with SQL', (ctx) => qs({ ...valid(ctx), client_id: SQLI }));
  authorizePage('huge string', 'a state of 3000 characters', (ctx) => qs({ ...valid(ctx), state: 'x'.repeat(3000) }));
  authorizePage('duplicated field', 'client_id twice', (ctx) => `${qs(valid(ctx))}&client_id=${ctx.clients.authCode.clientId}`);
  authorizePage('duplicated field', 'redirect_uri twice', (ctx) => `${qs(valid(ctx))}&redirect_uri=https%3A%2F%2Fevil.example%2F`);
  authorizePage('invalid encoding', 'a broken %-escape', () => '?client_id=%E0%A4%A');
  add('authorize', 'content type', 'POST with a JSON body', (ctx) =>
    send(ctx.identity + AUTHORIZE, { method: 'POST', redirect: 'manual', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(valid(ctx)) }), page);
  add('authorize', 'oversized body', 'POST of 1 MB', (ctx) =>
    send(ctx.identity + AUTHORIZE, { method: 'POST', redirect: 'manual', headers: FORM, body: form({ ...valid(ctx), pad: HUGE }) }), page);
  add('authorize', 'method', 'PUT', (ctx) => send(ctx.identity + AUTHORIZE + qs(valid(ctx)), { method: 'PUT', redirect: 'manual' }), { status: 405 });

  /* ---- authorize: trusted client and redirect URI -> the error goes back to the client (RFC 6749 4.1.2.1) ---- */
  const authorizeRedirect = (category: Category, name: string, change: Record<string, string>, error: string) =>
    add('authorize', category, name, (ctx) => get(ctx, AUTHORIZE + qs({ ...valid(ctx), ...change })), { redirectError: { to: AUTH_CODE_REDIRECT, error } });
  authorizeRedirect('missing field', 'no response_type', { response_type: '' }, 'invalid_request');
  authorizeRedirect('wrong type', 'response_type=token (implicit)', { response_type: 'token' }, 'unsupported_response_type');
  authorizeRedirect('wrong type', 'response_type=code id_token (hybrid flow)', { response_type: 'code id_token' }, 'unsupported_response_type');
  authorizeRedirect('missing field', 'no code_challenge (PKCE missing)', { code_challenge: '' }, 'invalid_request');
  authorizeRedirect('missing field', 'no code_challenge_method', { code_challenge_method: '' }, 'invalid_request');
  authorizeRedirect('wrong type', 'code_challenge_method=plain', { code_challenge_method: 'plain' }, 'invalid_request');
  authorizeRedirect('huge string', 'a code_challenge of 128 characters', { code_challenge: 'a'.repeat(128) }, 'invalid_request');
  authorizeRedirect('sql/html metacharacters', 'a scope with a script', { scope: `openid ${XSS}` }, 'invalid_scope');
  authorizeRedirect('wrong type', 'response_mode=fragment', { response_mode: 'fragment' }, 'invalid_request');
  authorizeRedirect('rule', 'a request object', { request: 'eyJhbGciOiJub25lIn0.e30.' }, 'request_not_supported');
  authorizeRedirect('rule', 'a request_uri', { request_uri: 'https://evil.example/req' }, 'request_uri_not_supported');
  authorizeRedirect('rule', 'prompt=none without a session', { prompt: 'none' }, 'login_required');

  /* ---- userinfo: a valid user access token only ---- */
  const userinfo = (category: Category, name: string, headers: (ctx: Ctx) => Record<string, string>) =>
    add('userinfo', category, name, (ctx) => get(ctx, USERINFO, headers(ctx)), { status: 401 });
  userinfo('missing field', 'no Authorization header', () => ({}));
  userinfo('basic header', 'HTTP Basic instead of a Bearer token', (ctx) => ({ Authorization: `Basic ${Buffer.from(`${ctx.clients.good.clientId}:${ctx.clients.good.secret}`).toString('base64')}` }));
  userinfo('bearer token', 'a Bearer token that is not a JWT', () => ({ Authorization: 'Bearer not-a-token' }));
  userinfo('bearer token', 'a Bearer token with a script', () => ({ Authorization: `Bearer ${encodeURIComponent(XSS)}` }));
  userinfo('bearer token', 'a client-credentials access token (no user)', (ctx) => ({ Authorization: `Bearer ${ctx.tokens.introA}` }));
  userinfo('bearer token', 'an access token re-signed with HS256 and the public key', (ctx) => ({ Authorization: `Bearer ${hs256WithKey(ctx.tokens.introA, JSON.stringify(ctx.publicJwk))}` }));
  userinfo('huge string', 'a Bearer token of 7 KB', () => ({ Authorization: `Bearer ${'a'.repeat(7000)}` }));
  add('userinfo', 'method', 'DELETE', (ctx) => send(ctx.identity + USERINFO, { method: 'DELETE' }), { status: 405 });

  /* ---- end-session ---- */
  const endSession = (category: Category, name: string, query: (ctx: Ctx) => string) =>
    add('end_session', category, name, (ctx) => get(ctx, END_SESSION + query(ctx)), page);
  endSession('bearer token', 'an id_token_hint that is not a JWT', () => qs({ id_token_hint: 'garbage' }));
  endSession('bearer token', 'an access token as id_token_hint', (ctx) => qs({ id_token_hint: ctx.tokens.introA }));
  endSession('rule', 'an unregistered post_logout_redirect_uri', (ctx) => qs({ client_id: ctx.clients.authCode.clientId, post_logout_redirect_uri: 'https://evil.example/' }));
  endSession('missing field', 'a post_logout_redirect_uri without a client', () => qs({ post_logout_redirect_uri: AUTH_CODE_REDIRECT }));
  endSession('non-guid id', 'client_id not a GUID with a post_logout_redirect_uri', () => qs({ client_id: SQLI, post_logout_redirect_uri: AUTH_CODE_REDIRECT }));
  endSession('duplicated field', 'post_logout_redirect_uri twice', (ctx) => `${qs({ client_id: ctx.clients.authCode.clientId, post_logout_redirect_uri: AUTH_CODE_REDIRECT })}&post_logout_redirect_uri=x`);

  /* ---- token endpoint: the authorization_code and refresh_token grants ---- */
  // A wrong code counts against the (client, address) throttle: after enough of them the answer becomes invalid_client.
  const grant = { status: [400, 401] };
  const token = (category: Category, name: string, params: (ctx: Ctx) => Record<string, string>, expect: Expectation = grant) =>
    add('token', category, name, (ctx) => send(ctx.identity + TOKEN, { method: 'POST', headers: FORM, body: form(params(ctx)) }), expect);
  const ac = (ctx: Ctx) => ({ grant_type: 'authorization_code', client_id: ctx.clients.authCode.clientId, redirect_uri: AUTH_CODE_REDIRECT, code_verifier: 'v'.repeat(43) });
  token('missing field', 'authorization_code without a code', (ctx) => ac(ctx));
  token('missing field', 'authorization_code without a code_verifier', (ctx) => ({ ...ac(ctx), code: 'tsac_' + 'A'.repeat(43), code_verifier: '' }));
  token('missing field', 'authorization_code without a redirect_uri', (ctx) => ({ ...ac(ctx), code: 'tsac_' + 'A'.repeat(43), redirect_uri: '' }));
  token('rule', 'an authorization code that was never issued', (ctx) => ({ ...ac(ctx), code: 'tsac_' + 'A'.repeat(43) }));
  token('sql/html metacharacters', 'a code with SQL', (ctx) => ({ ...ac(ctx), code: SQLI }));
  token('huge string', 'a code_verifier of 129 characters', (ctx) => ({ ...ac(ctx), code: 'tsac_' + 'B'.repeat(43), code_verifier: 'v'.repeat(129) }));
  token('rule', 'a public client sending a client_secret', (ctx) => ({ ...ac(ctx), code: 'tsac_' + 'C'.repeat(43), client_secret: ctx.clients.authCode.secret }));
  token('rule', 'a client-credentials client asking for authorization_code', (ctx) => ({ ...ac(ctx), client_id: ctx.clients.good.clientId, client_secret: ctx.clients.good.secret, code: 'tsac_' + 'D'.repeat(43) }), { status: 400 });
  token('rule', 'a disabled client without a secret', (ctx) => ({ ...ac(ctx), client_id: ctx.clients.disabled.clientId, code: 'tsac_' + 'E'.repeat(43) }), { status: 401 });
  token('missing field', 'refresh_token grant without a refresh_token', (ctx) => ({ grant_type: 'refresh_token', client_id: ctx.clients.authCode.clientId }));
  token('rule', 'a refresh token that was never issued', (ctx) => ({ grant_type: 'refresh_token', client_id: ctx.clients.authCode.clientId, refresh_token: 'tsrt_' + 'A'.repeat(43) }));
  token('sql/html metacharacters', 'a refresh token with a script', (ctx) => ({ grant_type: 'refresh_token', client_id: ctx.clients.authCode.clientId, refresh_token: XSS }));

  /* ---- console actions: Add Client (Authorization Code / Hybrid) and Edit Sign-In Settings ---- */
  const userOf = (ctx: Ctx, who: 'admin' | 'member' | 'anonymous'): SessionUser | null =>
    who === 'admin' ? ctx.a.admin : who === 'member' ? ctx.a.member : null;
  const action = (
    category: Category,
    name: string,
    op: 'createUserClient' | 'updateClientUrls',
    input: (ctx: Ctx) => unknown,
    expect?: Expectation,
    who: 'admin' | 'member' | 'anonymous' = 'admin',
  ) =>
    cases.push({
      surface: 'action',
      category,
      name: `${op}: ${name}`,
      expect,
      run: async (ctx) => {
        const fn = clientAdminActions(async () => userOf(ctx, who))[op] as (raw: unknown) => Promise<ActionResult<unknown>>;
        return { kind: 'action', result: await fn(input(ctx)) };
      },
    });
  const userClient = (change: Record<string, unknown> = {}) =>
    newClientInput({ clientType: 'authorization_code', redirectUris: 'https://app.example.test/cb', ...change });
  const create = (category: Category, name: string, change: Record<string, unknown>, field?: string) =>
    action(category, name, 'createUserClient', () => userClient(change), field ? { field } : undefined);
  create('missing field', 'no client type', { clientType: undefined }, 'clientType');
  create('wrong type', 'client type client_credentials', { clientType: 'client_credentials' }, 'clientType');
  create('wrong type', 'client type a number', { clientType: 3 }, 'clientType');
  create('missing field', 'no redirect URL', { redirectUris: '' }, 'redirectUris');
  create('wrong type', 'redirect URLs a number', { redirectUris: 42 }, 'redirectUris');
  create('wrong type', 'redirect URLs an object', { redirectUris: { a: 1 } }, 'redirectUris');
  create('array for object', 'redirect URLs an array of numbers', { redirectUris: [1, 2] }, 'redirectUris');
  create('rule', 'an http redirect URL that is not loopback', { redirectUris: 'http://app.example.test/cb' }, 'redirectUris');
  create('rule', 'a javascript: redirect URL', { redirectUris: `javascript:${XSS}` }, 'redirectUris');
  create('rule', 'a relative redirect URL', { redirectUris: '/callback' }, 'redirectUris');
  create('rule', 'a redirect URL with a fragment', { redirectUris: 'https://app.example.test/cb#frag' }, 'redirectUris');
  create('rule', '21 redirect URLs', { redirectUris: Array.from({ length: 21 }, (_, i) => `https://app.example.test/${i}`) }, 'redirectUris');
  create('huge string', 'a redirect URL of 1 MB', { redirectUris: `https://app.example.test/${HUGE}` }, 'redirectUris');
  create('control character', 'a redirect URL with a null character', { redirectUris: 'https://app.example.test/a\u0000b' }, 'redirectUris');
  create('rule', 'a post logout URL over http', { postLogoutRedirectUris: 'http://app.example.test/' }, 'postLogoutRedirectUris');
  create('rule', 'a CORS origin with a path', { allowedCorsOrigins: 'https://app.example.test/path' }, 'allowedCorsOrigins');
  create('rule', 'a CORS origin that is a wildcard', { allowedCorsOrigins: '*' }, 'allowedCorsOrigins');
  create('bad number', 'refresh token lifetime 299', { refreshTokenLifetime: '299' }, 'refreshTokenLifetime');
  create('bad number', 'refresh token lifetime 91 days', { refreshTokenLifetime: String(91 * 86400) }, 'refreshTokenLifetime');
  create('bad number', 'refresh token lifetime -1', { refreshTokenLifetime: -1 }, 'refreshTokenLifetime');
  create('bad number', 'refresh token lifetime 1e9', { refreshTokenLifetime: '1e9' }, 'refreshTokenLifetime');
  create('wrong type', 'refresh token lifetime an object', { refreshTokenLifetime: { n: 1 } }, 'refreshTokenLifetime');
  create('rule', 'a Hybrid client with an expiration in the past', { clientType: 'hybrid', expiresAt: new Date(Date.now() - 86_400_000).toISOString() }, 'expiresAt');
  action('not allowed', 'a Tenant Member', 'createUserClient', () => userClient(), { code: 'forbidden' }, 'member');
  action('not allowed', 'signed out', 'createUserClient', () => userClient(), { code: 'unauthenticated' }, 'anonymous');
  const urls = (ctx: Ctx, change: Record<string, unknown> = {}) => ({
    clientId: ctx.clients.authCode.clientId,
    version: 1,
    redirectUris: 'https://app.example.test/new',
    ...change,
  });
  action('non-guid id', 'an unknown client', 'updateClientUrls', (ctx) => urls(ctx, { clientId: randomUUID() }), { code: 'not_found' });
  action('other tenant', 'a client of another tenant', 'updateClientUrls', (ctx) => urls(ctx, { clientId: ctx.clients.clientB.clientId }), { code: 'not_found' });
  action('rule', 'a client-credentials client', 'updateClientUrls', (ctx) => urls(ctx, { clientId: ctx.clients.good.clientId }), { code: 'not_found' });
  action('bad number', 'version not a number', 'updateClientUrls', (ctx) => urls(ctx, { version: 'x' }), { field: 'version' });
  action('rule', 'an older version', 'updateClientUrls', (ctx) => urls(ctx, { version: 0 }));
  action('rule', 'an unregistrable redirect URL', 'updateClientUrls', (ctx) => urls(ctx, { redirectUris: 'ftp://x' }), { field: 'redirectUris' });
  action('not allowed', 'a Tenant Member', 'updateClientUrls', (ctx) => urls(ctx), { code: 'forbidden' }, 'member');
  return cases;
}
