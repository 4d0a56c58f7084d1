import { randomUUID } from 'node:crypto';
import { generateSecret } from '@/lib/secrets/secret';
import type { Ctx } from './fixtures';
import {
  b64,
  basic,
  form,
  head,
  hs256WithKey,
  MB,
  rawHttp,
  send,
  SQLI,
  TRAVERSAL,
  withHeader,
  withPayload,
  XSS,
  type Case,
  type Category,
  type Expectation,
  type HttpAnswer,
  type Surface,
} from './support';

/*
 * Bad input to the token service's fast path (lib/identity/http.ts) on a real node:http server:
 * the token endpoint, introspection, discovery and JWKS. `victim` takes every wrong secret: after 10 failures it is
 * throttled, and the throttle writes its one audit event (the only write a refused request may cause).
 */

const TOKEN = '/identity/connect/token';
const INTROSPECT = '/identity/connect/introspect';
const DISCOVERY = '/identity/.well-known/openid-configuration';
const JWKS = '/identity/.well-known/openid-configuration/jwks';
const FORM_TYPE = 'application/x-www-form-urlencoded';
const FORM = { 'Content-Type': FORM_TYPE };

const hostOf = (origin: string) => new URL(origin).host;

export function identityCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const add = (surface: Surface, category: Category, name: string, run: (ctx: Ctx) => Promise<HttpAnswer>, expect?: Expectation) =>
    cases.push({ surface, category, name, expect, run: async (ctx) => ({ kind: 'http', answer: await run(ctx) }) });

  const post = (ctx: Ctx, path: string, body: BodyInit, headers: Record<string, string> = FORM) =>
    send(ctx.identity + path, { method: 'POST', headers, body });
  /** A token request: form parameters (ctx-dependent), extra headers. */
  const token = (category: Category, name: string, params: (ctx: Ctx) => Record<string, string>, expect?: Expectation, headers?: (ctx: Ctx) => Record<string, string>) =>
    add('token', category, name, (ctx) => post(ctx, TOKEN, form(params(ctx)), { ...FORM, ...headers?.(ctx) }), expect);
  const tokenBody = (category: Category, name: string, body: (ctx: Ctx) => BodyInit, expect?: Expectation, headers: Record<string, string> = FORM) =>
    add('token', category, name, (ctx) => post(ctx, TOKEN, body(ctx), headers), expect);
  const tokenRaw = (category: Category, name: string, request: (ctx: Ctx) => [string, (Buffer | string)?], expect?: Expectation) =>
    add('token', category, name, (ctx) => rawHttp(ctx.identity, ...request(ctx)), expect);

  const cc = { grant_type: 'client_credentials' };
  const victimWrong = (ctx: Ctx) => ({ ...cc, client_id: ctx.clients.victim.clientId, client_secret: generateSecret() });
  const goodBasic = (ctx: Ctx) => ({ Authorization: basic(ctx.clients.good.clientId, ctx.clients.good.secret) });
  const invalidClient = { status: 401 } as const;
  const invalidRequest = { status: 400 } as const;

  /* ---- token endpoint: content types and methods ---- */
  tokenRaw('content type', 'no Content-Type', (ctx) => {
    const body = form(victimWrong(ctx));
    return [head('POST', TOKEN, hostOf(ctx.identity), [`Content-Length: ${Buffer.byteLength(body)}`]), body];
  }, invalidRequest);
  tokenBody('content type', 'JSON', (ctx) => JSON.stringify(victimWrong(ctx)), invalidRequest, { 'Content-Type': 'application/json' });
  tokenBody('content type', 'text/plain', (ctx) => form(victimWrong(ctx)), invalidRequest, { 'Content-Type': 'text/plain' });
  add('token', 'content type', 'multipart/form-data', (ctx) => {
    const fd = new FormData();
    for (const [k, v] of Object.entries(victimWrong(ctx))) fd.append(k, v);
    return send(ctx.identity + TOKEN, { method: 'POST', body: fd });
  }, invalidRequest);
  tokenBody('content type', 'a look-alike form type', (ctx) => form(victimWrong(ctx)), invalidRequest, { 'Content-Type': `${FORM_TYPE}-evil` });
  tokenBody('content type', 'application/xml', () => '<grant_type>client_credentials</grant_type>', invalidRequest, { 'Content-Type': 'application/xml' });
  for (const method of ['GET', 'PUT', 'DELETE', 'PATCH']) {
    add('token', 'method', method, (ctx) => send(ctx.identity + TOKEN, { method }), { status: 405 });
  }

  /* ---- token endpoint: the form itself ---- */
  tokenBody('missing field', 'an empty body', () => '', invalidRequest);
  tokenBody('missing field', 'a name without a value', () => 'grant_type', invalidRequest);
  tokenBody('missing field', 'only separators', () => '&&&', invalidRequest);
  tokenBody('wrong type', 'grant_type[] (array syntax)', () => 'grant_type[]=client_credentials', invalidRequest);
  tokenBody('invalid encoding', 'a broken %-escape', () => 'grant_type=%ZZ', invalidRequest);
  tokenBody('invalid encoding', 'a truncated UTF-8 %-escape', () => 'grant_type=client_credentials&client_id=%E0%A4%A', invalidRequest);
  tokenBody('invalid encoding', 'an overlong UTF-8 %-escape (%C0%AF)', () => 'grant_type=client_credentials&client_id=%C0%AF&client_secret=x', invalidRequest);
  tokenBody('unicode', 'a %-escaped lone surrogate in the secret', (ctx) => `grant_type=client_credentials&client_id=${ctx.clients.victim.clientId}&client_secret=%ED%A0%80`, invalidRequest);
  tokenBody('invalid encoding', 'raw invalid UTF-8 bytes in client_id', () =>
    Buffer.concat([Buffer.from('grant_type=client_credentials&client_id='), Buffer.from([0xc0, 0xaf, 0xff, 0xfe]), Buffer.from('&client_secret=x')]),
  invalidClient);
  tokenBody('control character', 'a raw null byte in client_id', (ctx) =>
    Buffer.concat([Buffer.from(`grant_type=client_credentials&client_id=${ctx.clients.good.clientId}`), Buffer.from([0]), Buffer.from(`&client_secret=${ctx.clients.good.secret}`)]),
  invalidClient);
  token('control character', 'grant_type with a null character', (ctx) => ({ ...cc, grant_type: 'client_credentials\u0000', client_id: ctx.clients.good.clientId, client_secret: ctx.clients.good.secret }), invalidRequest);
  token('wrong type', 'grant_type in upper case', (ctx) => ({ grant_type: 'CLIENT_CREDENTIALS', client_id: ctx.clients.good.clientId, client_secret: ctx.clients.good.secret }), invalidRequest);
  token('wrong type', 'the password grant', () => ({ grant_type: 'password', username: 'admin@example.com', password: 'x' }), invalidRequest);
  token('missing field', 'the authorization_code grant without a client', () => ({ grant_type: 'authorization_code', code: 'x', redirect_uri: 'https://evil.test' }), invalidClient);
  token('missing field', 'no client credentials', () => cc, invalidClient);
  token('missing field', 'client_id without a secret', (ctx) => ({ ...cc, client_id: ctx.clients.victim.clientId }), invalidClient);
  token('missing field', 'an empty client_secret', (ctx) => ({ ...cc, client_id: ctx.clients.victim.clientId, client_secret: '' }), invalidClient);

  tokenBody('duplicated field', 'grant_type twice', () => 'grant_type=client_credentials&grant_type=client_credentials', invalidRequest);
  tokenBody('duplicated field', 'client_id twice', (ctx) => `${form(victimWrong(ctx))}&client_id=${ctx.clients.good.clientId}`, invalidRequest);
  tokenBody('duplicated field', 'client_secret twice', (ctx) => `${form({ ...cc, client_id: ctx.clients.good.clientId, client_secret: ctx.clients.good.secret })}&client_secret=x`, invalidRequest);
  tokenBody('duplicated field', 'an unknown parameter twice', (ctx) => `${form(victimWrong(ctx))}&x=1&x=2`, invalidRequest);
  tokenBody('duplicated field', 'grant_type twice, once %-encoded', () => 'grant_type=client_credentials&grant%5Ftype=client_credentials', invalidRequest);

  /* ---- token endpoint: sizes ---- */
  token('oversized body', 'a body of 8 KiB + 1', (ctx) => {
    const base = form(victimWrong(ctx)) + '&pad=';
    return { ...victimWrong(ctx), pad: 'p'.repeat(8 * 1024 + 1 - base.length) };
  }, { status: 413 });
  token('oversized body', 'a body of 1 MB', (ctx) => ({ ...victimWrong(ctx), pad: 'p'.repeat(MB) }), { status: 413 });
  token('oversized body', 'client_secret of 1 MB', (ctx) => ({ ...cc, client_id: ctx.clients.victim.clientId, client_secret: 's'.repeat(MB) }), { status: 413 });
  tokenRaw('oversized body', 'a declared Content-Length of 1 TB', (ctx) => [
    head('POST', TOKEN, hostOf(ctx.identity), [`Content-Type: ${FORM_TYPE}`, 'Content-Length: 1000000000000']),
  ], { status: 413 });
  tokenRaw('oversized body', 'a chunked body of 20 KiB', (ctx) => [
    head('POST', TOKEN, hostOf(ctx.identity), [`Content-Type: ${FORM_TYPE}`, 'Transfer-Encoding: chunked']),
    Array.from({ length: 20 }, () => `400\r\n${'a'.repeat(1024)}\r\n`).join('') + '0\r\n\r\n',
  ], { status: 413 });
  token('huge string', 'client_id of 8,000 characters', () => ({ ...cc, client_id: 'c'.repeat(8000), client_secret: generateSecret() }), invalidClient);
  token('huge string', 'client_secret of 8,000 characters', (ctx) => ({ ...cc, client_id: ctx.clients.victim.clientId, client_secret: 's'.repeat(8000) }), invalidClient);
  token('huge string', 'scope of 8,000 characters with a wrong secret', (ctx) => ({ ...victimWrong(ctx), scope: 'api '.repeat(2000) }), invalidClient);

  /* ---- token endpoint: client credentials in the body ---- */
  token('rule', 'a wrong secret', victimWrong, invalidClient);
  token('wrong type', 'a secret that is not a secret', (ctx) => ({ ...cc, client_id: ctx.clients.victim.clientId, client_secret: 'x' }), invalidClient);
  token('sql/html metacharacters', 'client_secret SQL', (ctx) => ({ ...cc, client_id: ctx.clients.victim.clientId, client_secret: SQLI }), invalidClient);
  token('other tenant', 'another client\'s valid secret', (ctx) => ({ ...cc, client_id: ctx.clients.victim.clientId, client_secret: ctx.clients.good.secret }), invalidClient);
  token('other tenant', 'another tenant\'s client with this tenant\'s secret', (ctx) => ({ ...cc, client_id: ctx.clients.clientB.clientId, client_secret: ctx.clients.good.secret }), invalidClient);
  token('non-guid id', 'an unknown client id', () => ({ ...cc, client_id: randomUUID(), client_secret: generateSecret() }), invalidClient);
  token('sql/html metacharacters', 'client_id SQL', () => ({ ...cc, client_id: SQLI, client_secret: generateSecret() }), invalidClient);
  token('sql/html metacharacters', 'client_id HTML', () => ({ ...cc, client_id: XSS, client_secret: generateSecret() }), invalidClient);
  token('path traversal', 'client_id a path', () => ({ ...cc, client_id: TRAVERSAL, client_secret: generateSecret() }), invalidClient);
  token('unicode', 'client_id with a zero-width space', (ctx) => ({ ...cc, client_id: ctx.clients.good.clientId + '\u200b', client_secret: ctx.clients.good.secret }), invalidClient);
  token('unicode', 'client_id with emoji', (ctx) => ({ ...cc, client_id: ctx.clients.good.clientId.replace(/-/g, '😀'), client_secret: ctx.clients.good.secret }), invalidClient);
  token('rule', 'client_id in upper case with a wrong secret', (ctx) => ({ ...victimWrong(ctx), client_id: ctx.clients.victim.clientId.toUpperCase() }), invalidClient);
  token('rule', 'a disabled client with its secret', (ctx) => ({ ...cc, client_id: ctx.clients.disabled.clientId, client_secret: ctx.clients.disabled.secret }), invalidClient);
  token('rule', 'an expired secret', (ctx) => ({ ...cc, client_id: ctx.clients.expired.clientId, client_secret: ctx.clients.expired.secret }), invalidClient);
  token('rule', 'an authorization-code client', (ctx) => ({ ...cc, client_id: ctx.clients.authCode.clientId, client_secret: ctx.clients.authCode.secret }), invalidRequest);

  /* ---- token endpoint: broken HTTP Basic ---- */
  const withAuth = (category: Category, name: string, authorization: (ctx: Ctx) => string, params: (ctx: Ctx) => Record<string, string> = () => cc, expect: Expectation = invalidClient) =>
    token(category, name, params, expect, (ctx) => ({ Authorization: authorization(ctx) }));
  withAuth('basic header', '"Basic" alone', () => 'Basic');
  withAuth('basic header', '"Basic " and spaces', () => 'Basic    ');
  withAuth('basic header', 'not base64', () => 'Basic !!!notbase64***');
  withAuth('basic header', 'no colon', () => `Basic ${b64('nocolonhere')}`);
  withAuth('basic header', 'an empty user name', (ctx) => `Basic ${b64(':' + ctx.clients.good.secret)}`);
  withAuth('basic header', 'an empty password', (ctx) => `Basic ${b64(ctx.clients.good.clientId + ':')}`);
  withAuth('basic header', 'Basic with a wrong secret', (ctx) => basic(ctx.clients.victim.clientId, generateSecret()));
  withAuth('basic header', 'the scheme in lower case, a wrong secret', (ctx) => basic(ctx.clients.victim.clientId, generateSecret()).replace('Basic', 'basic'));
  withAuth('basic header', 'extra spaces around the credentials, a wrong secret', (ctx) => `Basic    ${basic(ctx.clients.victim.clientId, generateSecret()).slice(6)}   `);
  withAuth('basic header', 'a broken %-escape inside', (ctx) => `Basic ${b64(ctx.clients.victim.clientId + ':%')}`);
  withAuth('basic header', 'a %-encoded null in the user name', (ctx) => `Basic ${b64(ctx.clients.good.clientId + '%00:' + ctx.clients.good.secret)}`);
  withAuth('basic header', 'invalid UTF-8 inside the base64', () => `Basic ${b64(Buffer.from([0xff, 0xfe, 0x3a, 0xff]))}`);
  withAuth('basic header', 'the Bearer scheme', () => 'Bearer abc.def.ghi');
  withAuth('basic header', 'the Digest scheme', () => 'Digest username="admin", realm="identity"');
  withAuth('basic header', '12,000 characters', () => `Basic ${'QUFB'.repeat(3000)}`);
  withAuth('basic header', 'good credentials and a client_secret in the body too', goodBasicValue, (ctx) => ({ ...cc, client_secret: ctx.clients.good.secret }), invalidRequest);
  withAuth('basic header', 'good credentials and another client_id in the body', goodBasicValue, (ctx) => ({ ...cc, client_id: ctx.clients.victim.clientId }), invalidRequest);
  tokenRaw('basic header', 'a header of 20,000 characters (over Node\'s header limit)', (ctx) => {
    const body = form(cc);
    return [head('POST', TOKEN, hostOf(ctx.identity), [`Content-Type: ${FORM_TYPE}`, `Content-Length: ${body.length}`, `Authorization: Basic ${'A'.repeat(20_000)}`]), body];
  }, { status: 431, byNode: true });
  tokenRaw('basic header', 'raw non-ASCII bytes in the header', (ctx) => {
    const body = form(cc);
    const lines = [`POST ${TOKEN} HTTP/1.1`, `Host: ${hostOf(ctx.identity)}`, `Content-Type: ${FORM_TYPE}`, `Content-Length: ${body.length}`, 'Authorization: Basic Zm9v'];
    const bytes = Buffer.concat([Buffer.from(lines.join('\r\n')), Buffer.from('é☃\r\n\r\n', 'utf8')]);
    return [bytes.toString('latin1'), body];
  }, invalidClient);
  tokenRaw('duplicated field', 'two Authorization headers, the first broken', (ctx) => {
    const body = form(cc);
    return [
      head('POST', TOKEN, hostOf(ctx.identity), [
        `Content-Type: ${FORM_TYPE}`,
        `Content-Length: ${body.length}`,
        'Authorization: Basic !!!',
        `Authorization: ${basic(ctx.clients.good.clientId, ctx.clients.good.secret)}`,
      ]),
      body,
    ];
  }, invalidClient);

  /* ---- token endpoint: scope after a good secret ---- */
  const scoped = (category: Category, name: string, scope: string) =>
    token(category, `scope ${name}`, () => ({ ...cc, scope }), invalidRequest, goodBasic);
  scoped('sql/html metacharacters', 'HTML', XSS);
  scoped('sql/html metacharacters', 'SQL', SQLI);
  scoped('control character', 'with a null character', 'api\u0000');
  scoped('missing field', 'only spaces', '   ');

  /* ---- token endpoint: Host ---- */
  tokenRaw('host header', 'no Host header', () => [head('POST', TOKEN, null, [`Content-Type: ${FORM_TYPE}`, 'Content-Length: 0'])], { status: 400, byNode: true });
  tokenRaw('host header', 'a Host with markup', () => [head('POST', TOKEN, 'evil.test/"><', [`Content-Type: ${FORM_TYPE}`, 'Content-Length: 0'])], invalidRequest);

  /* ---- introspection ---- */
  const intro = (category: Category, name: string, params: (ctx: Ctx) => Record<string, string>, expect: Expectation, headers: (ctx: Ctx) => Record<string, string> = goodBasic) =>
    add('introspection', category, name, (ctx) => post(ctx, INTROSPECT, form(params(ctx)), { ...FORM, ...headers(ctx) }), expect);
  const inactive = { inactive: true } as const;
  add('introspection', 'method', 'GET', (ctx) => send(ctx.identity + INTROSPECT), { status: 405 });
  add('introspection', 'content type', 'JSON', (ctx) =>
    post(ctx, INTROSPECT, JSON.stringify({ token: ctx.tokens.introA }), { 'Content-Type': 'application/json', ...goodBasic(ctx) }), invalidRequest);
  intro('missing field', 'no client credentials', (ctx) => ({ token: ctx.tokens.introA }), invalidClient, () => ({}));
  intro('rule', 'a wrong secret', (ctx) => ({ token: ctx.tokens.introA }), invalidClient, (ctx) => ({ Authorization: basic(ctx.clients.victim.clientId, generateSecret()) }));
  intro('missing field', 'no token', () => ({}), invalidRequest);
  add('introspection', 'duplicated field', 'token twice', (ctx) =>
    post(ctx, INTROSPECT, `token=${ctx.tokens.introA}&token=x`, { ...FORM, ...goodBasic(ctx) }), invalidRequest);
  intro('oversized body', 'a body of 1 MB', () => ({ token: 't'.repeat(MB) }), { status: 413 });
  intro('basic header', 'a broken Basic header', (ctx) => ({ token: ctx.tokens.introA }), invalidClient, () => ({ Authorization: 'Basic %%%' }));
  intro('basic header', 'Basic and a client_secret in the body', (ctx) => ({ token: ctx.tokens.introA, client_secret: ctx.clients.good.secret }), invalidRequest);
  intro('bearer token', 'a token that is not a JWT', () => ({ token: 'abc' }), inactive);
  intro('bearer token', 'three empty-ish parts', () => ({ token: 'a.b.c' }), inactive);
  intro('bearer token', 'alg "none"', (ctx) => ({ token: withHeader(ctx.tokens.introA, (h) => ({ ...h, alg: 'none' }), '') }), inactive);
  intro('bearer token', 'HS256 signed with the public key (algorithm confusion)', (ctx) => ({ token: hs256WithKey(ctx.tokens.introA, JSON.stringify(ctx.publicJwk)) }), inactive);
  intro('other tenant', 'another tenant\'s valid token', (ctx) => ({ token: ctx.tokens.introB }), inactive);
  intro('other tenant', 'a token whose tenant_id was changed', (ctx) => ({ token: withPayload(ctx.tokens.introA, (c) => ({ ...c, tenant_id: ctx.b.tenantId })) }), inactive);
  intro('huge string', 'a token of 8,000 characters', () => ({ token: 'e'.repeat(8000) }), inactive);
  intro('path traversal', 'a kid that is a path', (ctx) => ({ token: withHeader(ctx.tokens.introA, (h) => ({ ...h, kid: TRAVERSAL })) }), inactive);
  intro('sql/html metacharacters', 'a kid with markup and SQL', (ctx) => ({ token: withHeader(ctx.tokens.introA, (h) => ({ ...h, kid: `${SQLI}${XSS}` })) }), inactive);
  intro('wrong type', 'a kid that is an object', (ctx) => ({ token: withHeader(ctx.tokens.introA, (h) => ({ ...h, kid: { $ne: null } })) }), inactive);

  /* ---- discovery and JWKS ---- */
  for (const method of ['POST', 'PUT', 'DELETE']) {
    add('discovery', 'method', `${method} on discovery`, (ctx) => send(ctx.identity + DISCOVERY, { method }), { status: 405 });
  }
  add('discovery', 'method', 'POST on the JWKS', (ctx) => send(ctx.identity + JWKS, { method: 'POST' }), { status: 405 });
  const discoveryRaw = (category: Category, name: string, request: (ctx: Ctx) => string, expect: Expectation) =>
    add('discovery', category, name, (ctx) => rawHttp(ctx.identity, request(ctx)), expect);
  discoveryRaw('host header', 'no Host header', () => head('GET', DISCOVERY, null), { status: 400, byNode: true });
  discoveryRaw('host header', 'a Host with a space', () => head('GET', DISCOVERY, 'exa mple.com'), invalidRequest);
  discoveryRaw('host header', 'a Host with markup', () => head('GET', DISCOVERY, '<script>.test'), invalidRequest);
  discoveryRaw('host header', 'a Host of 300 characters', () => head('GET', DISCOVERY, 'h'.repeat(300)), invalidRequest);
  discoveryRaw('host header', 'a Host with user info', (ctx) => head('GET', DISCOVERY, `evil.test@${hostOf(ctx.identity)}`), invalidRequest);
  discoveryRaw('host header', 'a Host with a null byte', () => head('GET', DISCOVERY, 'evil.test\u0000.example'), { status: 400, byNode: true });
  discoveryRaw('unknown path', 'a trailing slash', () => head('GET', DISCOVERY + '/', '127.0.0.1'), { status: 404 });
  discoveryRaw('unknown path', 'other case', () => head('GET', '/identity/.WELL-KNOWN/openid-configuration', '127.0.0.1'), { status: 404 });
  discoveryRaw('path traversal', '".." segments', () => head('GET', '/identity/../identity/.well-known/openid-configuration', '127.0.0.1'), { status: 404 });
  discoveryRaw('path traversal', '%-encoded ".." segments', () => head('GET', '/identity/%2e%2e/identity/.well-known/openid-configuration', '127.0.0.1'), { status: 404 });
  discoveryRaw('control character', 'a %-encoded null at the end', () => head('GET', DISCOVERY + '%00', '127.0.0.1'), { status: 404 });
  discoveryRaw('path traversal', '".." after the JWKS path', () => head('GET', JWKS + '/../../openid-configuration', '127.0.0.1'), { status: 404 });
  discoveryRaw('unknown path', '/identity alone', () => head('GET', '/identity', '127.0.0.1'), { status: 404 });
  discoveryRaw('unknown path', 'a guessed JWKS path', () => head('GET', '/identity/.well-known/jwks.json', '127.0.0.1'), { status: 404 });
  discoveryRaw('unknown path', 'the token path with a trailing slash', () => head('POST', TOKEN + '/', '127.0.0.1', ['Content-Length: 0']), { status: 404 });

  return cases;
}

function goodBasicValue(ctx: Ctx) {
  return basic(ctx.clients.good.clientId, ctx.clients.good.secret);
}
