import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { ActionResult } from '@/lib/actions/result';
import type { SessionUser } from '@/lib/auth/users';
import { clientAdminActions } from '@/lib/clients/admin-actions';
import { inDays, newClientInput } from '@/lib/clients/test-helpers';
import { policyAdminActions } from '@/lib/policy/admin-actions';
import { JWT_BEARER_ASSERTION } from '@/lib/tokens/client-assertion';
import type { Ctx } from './fixtures';
import { basic, form, HUGE, send, SQLI, XSS, type Case, type Category, type Expectation, type HttpAnswer, type Surface } from './support';

/*
 * Bad input to what secretless clients added: Add Key / Remove Key, Add Client with a public key, the credential
 * policy (server actions), client assertions at the token endpoint, the revocation endpoint, and the REST API's Keys.
 * Every assertion names the victim client or an unknown id, so the good client is never throttled.
 */

const TOKEN = '/identity/connect/token';
const REVOKE = '/identity/connect/revocation';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const PRIVATE_PEM = ec.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const PRIVATE_JWK = ec.privateKey.export({ format: 'jwk' });
const PUBLIC_PEM = ec.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const WEAK_RSA = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();

type Who = 'admin' | 'member' | 'otherAdmin';
const userOf = (ctx: Ctx, who: Who): SessionUser => (who === 'admin' ? ctx.a.admin : who === 'member' ? ctx.a.member : ctx.b.admin);

export function credentialCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const action = (
    category: Category,
    name: string,
    run: (a: ReturnType<typeof clientAdminActions> & ReturnType<typeof policyAdminActions>, ctx: Ctx) => Promise<ActionResult<unknown>>,
    expect?: Expectation,
    who: Who = 'admin',
  ) =>
    cases.push({
      surface: 'action',
      category,
      name,
      expect,
      run: async (ctx) => {
        const getUser = async () => userOf(ctx, who);
        return { kind: 'action', result: await run({ ...clientAdminActions(getUser), ...policyAdminActions(getUser) }, ctx) };
      },
    });

  /* ---- Add Key / Remove Key ---- */
  const keyOf = (ctx: Ctx) => ({ clientId: ctx.clients.target.clientId, source: 'key', publicKey: PUBLIC_PEM, neverExpires: true });
  const addKey = (category: Category, name: string, change: (ctx: Ctx) => Record<string, unknown>, expect?: Expectation, who: Who = 'admin') =>
    action(category, `addKey: ${name}`, (a, ctx) => a.addKey({ ...keyOf(ctx), ...change(ctx) }), expect, who);
  addKey('rule', 'a private key in PEM', () => ({ publicKey: PRIVATE_PEM }), { field: 'publicKey' });
  addKey('rule', 'a private JWK', () => ({ publicKey: JSON.stringify(PRIVATE_JWK) }), { field: 'publicKey' });
  addKey('rule', 'a 1024-bit RSA key', () => ({ publicKey: WEAK_RSA }), { field: 'publicKey' });
  addKey('rule', 'a symmetric JWK', () => ({ publicKey: '{"kty":"oct","k":"c2VjcmV0"}' }), { field: 'publicKey' });
  addKey('wrong type', 'publicKey a number', () => ({ publicKey: 42 }), { field: 'publicKey' });
  addKey('wrong type', 'publicKey an object', () => ({ publicKey: { kty: 'EC' } }), { field: 'publicKey' });
  addKey('missing field', 'publicKey empty', () => ({ publicKey: '' }), { field: 'publicKey' });
  addKey('huge string', 'publicKey of 1 MB', () => ({ publicKey: HUGE }), { field: 'publicKey' });
  addKey('sql/html metacharacters', 'publicKey HTML', () => ({ publicKey: XSS }), { field: 'publicKey' });
  addKey('wrong type', 'publicKey JSON that is not a JWK', () => ({ publicKey: '{"kty":' }), { field: 'publicKey' });
  addKey('rule', 'a JWK Set instead of a key', () => ({ publicKey: JSON.stringify({ keys: [ec.publicKey.export({ format: 'jwk' })] }) }), { field: 'publicKey' });
  addKey('wrong type', 'source "file"', () => ({ source: 'file' }), { field: 'source' });
  addKey('rule', 'a JWKS URL over http', () => ({ source: 'jwks_url', jwksUrl: 'http://example.com/jwks' }), { field: 'jwksUrl' });
  addKey('rule', 'a JWKS URL with a password', () => ({ source: 'jwks_url', jwksUrl: 'https://u:p@example.com/jwks' }), { field: 'jwksUrl' });
  addKey('rule', 'a JWKS URL on a private address', () => ({ source: 'jwks_url', jwksUrl: 'https://192.168.1.1/jwks' }), { field: 'jwksUrl' });
  addKey('wrong type', 'a JWKS URL that is not a URL', () => ({ source: 'jwks_url', jwksUrl: 'jwks.json' }), { field: 'jwksUrl' });
  addKey('path traversal', 'a file: JWKS URL', () => ({ source: 'jwks_url', jwksUrl: 'file:///etc/passwd' }), { field: 'jwksUrl' });
  addKey('bad date', 'expiresAt in the past', () => ({ neverExpires: false, expiresAt: '2001-01-01T00:00:00Z' }), { field: 'expiresAt' });
  addKey('control character', 'description with a null character', () => ({ description: 'a\u0000' }), { field: 'description' });
  addKey('other tenant', 'another tenant\'s client', (ctx) => ({ clientId: ctx.clients.clientB.clientId }), { code: 'not_found' });
  addKey('not allowed', 'as a Tenant Member', () => ({}), { code: 'forbidden' }, 'member');
  addKey('non-guid id', 'clientId SQL', () => ({ clientId: SQLI }), { field: 'clientId' });
  action('non-guid id', 'removeKey: keyId "abc"', (a, ctx) => a.removeKey({ clientId: ctx.clients.target.clientId, keyId: 'abc' }), { field: 'keyId' });
  action('bad number', 'removeKey: keyId -1', (a, ctx) => a.removeKey({ clientId: ctx.clients.target.clientId, keyId: -1 }), { field: 'keyId' });
  action('other tenant', 'removeKey: another tenant\'s client', (a, ctx) => a.removeKey({ clientId: ctx.clients.clientB.clientId, keyId: 1 }), { code: 'not_found' });
  action('non-guid id', 'removeKey: an unknown key', (a, ctx) => a.removeKey({ clientId: ctx.clients.target.clientId, keyId: 2 ** 31 - 1 }), { code: 'not_found' });

  /* ---- Add Client with a public key ---- */
  action('rule', 'createClient: a private key as the credential', (a) => a.createClient(newClientInput({ credential: 'key', publicKey: PRIVATE_PEM })), { field: 'publicKey' });
  action('missing field', 'createClient: credential key without a key', (a) => a.createClient(newClientInput({ credential: 'key' })), { field: 'publicKey' });
  action('wrong type', 'createClient: credential "password"', (a) => a.createClient(newClientInput({ credential: 'password' })), { field: 'credential' });
  action('rule', 'createClient: a weak RSA key', (a) => a.createClient(newClientInput({ credential: 'key', publicKey: WEAK_RSA, expiresAt: inDays(10) })), { field: 'publicKey' });

  /* ---- credential policy ---- */
  const policy = (category: Category, name: string, input: Record<string, unknown>, expect?: Expectation, who: Who = 'admin') =>
    action(category, `updateCredentialPolicy: ${name}`, (a) => a.updateCredentialPolicy(input), expect, who);
  policy('bad number', 'maxDays 0', { limitLifetime: true, maxDays: '0', allowNeverExpires: true }, { field: 'maxDays' });
  policy('bad number', 'maxDays -5', { limitLifetime: true, maxDays: -5, allowNeverExpires: true }, { field: 'maxDays' });
  policy('bad number', 'maxDays 3651', { limitLifetime: true, maxDays: 3651, allowNeverExpires: true }, { field: 'maxDays' });
  policy('bad number', 'maxDays 1.5', { limitLifetime: true, maxDays: '1.5', allowNeverExpires: true }, { field: 'maxDays' });
  policy('unicode', 'maxDays in full-width digits', { limitLifetime: true, maxDays: '９０', allowNeverExpires: true }, { field: 'maxDays' });
  policy('wrong type', 'maxDays an object', { limitLifetime: true, maxDays: { days: 90 }, allowNeverExpires: true }, { field: 'maxDays' });
  policy('wrong type', 'limitLifetime "yes"', { limitLifetime: 'yes', maxDays: '90', allowNeverExpires: true }, { field: 'limitLifetime' });
  policy('missing field', 'allowNeverExpires left out', { limitLifetime: false }, { field: 'allowNeverExpires' });
  policy('not allowed', 'as a Tenant Member', { limitLifetime: false, allowNeverExpires: false }, { code: 'forbidden' }, 'member');

  /* ---- client assertions at the token endpoint ---- */
  const http = (surface: Surface, category: Category, name: string, run: (ctx: Ctx) => Promise<HttpAnswer>, expect?: Expectation) =>
    cases.push({ surface, category, name, expect, run: async (ctx) => ({ kind: 'http', answer: await run(ctx) }) });
  const post = (ctx: Ctx, path: string, params: Record<string, string>, headers: Record<string, string> = {}) =>
    send(ctx.identity + path, { method: 'POST', headers: { ...FORM, ...headers }, body: form(params) });
  const unsigned = (claims: Record<string, unknown>, header: Record<string, unknown> = { alg: 'ES256' }) => `${b64(header)}.${b64(claims)}.${'A'.repeat(86)}`;
  const victimClaims = (ctx: Ctx) => {
    const now = Math.floor(Date.now() / 1000);
    const id = ctx.clients.victim.clientId;
    return { iss: id, sub: id, aud: ctx.identity + TOKEN, exp: now + 60, jti: randomUUID() };
  };
  const assertionCase = (category: Category, name: string, params: (ctx: Ctx) => Record<string, string>, expect: Expectation = { status: 401 }, headers?: (ctx: Ctx) => Record<string, string>) =>
    http('token', category, `client assertion: ${name}`, (ctx) => post(ctx, TOKEN, { grant_type: 'client_credentials', ...params(ctx) }, headers?.(ctx)), expect);
  const withAssertion = (a: (ctx: Ctx) => string) => (ctx: Ctx) => ({ client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: a(ctx) });
  assertionCase('wrong type', 'another assertion type', (ctx) => ({ client_assertion_type: 'urn:ietf:params:oauth:client-assertion-type:saml2-bearer', client_assertion: unsigned(victimClaims(ctx)) }));
  assertionCase('missing field', 'a type without an assertion', () => ({ client_assertion_type: JWT_BEARER_ASSERTION }));
  assertionCase('missing field', 'an assertion without a type', (ctx) => ({ client_assertion: unsigned(victimClaims(ctx)) }));
  assertionCase('bearer token', 'not a JWT', withAssertion(() => 'not-a-jwt'));
  assertionCase('bearer token', 'four segments', withAssertion((ctx) => unsigned(victimClaims(ctx)) + '.x'));
  assertionCase('bearer token', 'alg none', withAssertion((ctx) => `${b64({ alg: 'none' })}.${b64(victimClaims(ctx))}.`));
  assertionCase('bearer token', 'HS256 (a symmetric algorithm)', withAssertion((ctx) => unsigned(victimClaims(ctx), { alg: 'HS256' })));
  assertionCase('bearer token', 'a forged ES256 signature', withAssertion((ctx) => unsigned(victimClaims(ctx))));
  assertionCase('bearer token', 'crit header', withAssertion((ctx) => unsigned(victimClaims(ctx), { alg: 'ES256', crit: ['exp'] })));
  assertionCase('non-guid id', 'iss not a GUID', withAssertion((ctx) => unsigned({ ...victimClaims(ctx), iss: 'admin', sub: 'admin' })));
  assertionCase('sql/html metacharacters', 'iss SQL', withAssertion((ctx) => unsigned({ ...victimClaims(ctx), iss: SQLI, sub: SQLI })));
  assertionCase('wrong type', 'iss a number', withAssertion((ctx) => unsigned({ ...victimClaims(ctx), iss: 7, sub: 7 })));
  assertionCase('wrong type', 'exp a string', withAssertion((ctx) => unsigned({ ...victimClaims(ctx), exp: 'tomorrow' })));
  assertionCase('unicode', 'jti with a lone surrogate', withAssertion((ctx) => unsigned({ ...victimClaims(ctx), jti: '\ud800' })));
  assertionCase('invalid encoding', 'a payload that is not JSON', withAssertion(() => `${b64({ alg: 'ES256' })}.${Buffer.from('{oops').toString('base64url')}.AAAA`));
  assertionCase('huge string', 'an assertion over the body limit', withAssertion(() => 'a'.repeat(9000)), { status: 413 });
  assertionCase('rule', 'an assertion and a client_secret', (ctx) => ({ ...withAssertion((c) => unsigned(victimClaims(c)))(ctx), client_secret: 'tscs_x' }), { status: 400 });
  assertionCase('rule', 'an assertion and HTTP Basic', withAssertion((ctx) => unsigned(victimClaims(ctx))), { status: 400 }, (ctx) => ({
    Authorization: basic(ctx.clients.victim.clientId, 'tscs_x'),
  }));
  assertionCase('rule', 'client_id differs from iss', (ctx) => ({ ...withAssertion((c) => unsigned(victimClaims(c)))(ctx), client_id: randomUUID() }));

  /* ---- revocation endpoint ---- */
  const revoke = (category: Category, name: string, params: (ctx: Ctx) => Record<string, string>, expect: Expectation, headers?: (ctx: Ctx) => Record<string, string>) =>
    http('revocation', category, `revocation: ${name}`, (ctx) => post(ctx, REVOKE, params(ctx), headers?.(ctx)), expect);
  const goodBasic = (ctx: Ctx) => ({ Authorization: basic(ctx.clients.good.clientId, ctx.clients.good.secret) });
  for (const method of ['GET', 'PUT', 'DELETE']) {
    http('revocation', 'method', `revocation: ${method}`, (ctx) => send(ctx.identity + REVOKE, { method }), { status: 405 });
  }
  revoke('missing field', 'no token', () => ({ token_type_hint: 'access_token' }), { status: 400 }, goodBasic);
  revoke('missing field', 'no client authentication', () => ({ token: 'x' }), { status: 401 });
  revoke('basic header', 'a wrong secret', (ctx) => ({ token: 'x', client_id: ctx.clients.victim.clientId, client_secret: 'tscs_wrong' }), { status: 401 });
  revoke('huge string', 'a token over the body limit', () => ({ token: 'a'.repeat(9000) }), { status: 413 }, goodBasic);
  revoke('content type', 'JSON', () => ({ token: 'x' }), { status: 400 }, (ctx) => ({ ...goodBasic(ctx), 'Content-Type': 'application/json' }));

  /* ---- REST API: Keys ---- */
  const keysPath = (ctx: Ctx, clientId = ctx.clients.target.clientId) => `/api/v1/Tenants/${ctx.a.tenantId}/ClientCredentialClients/${clientId}/Keys`;
  const api = (category: Category, name: string, run: (ctx: Ctx) => Promise<HttpAnswer>, expect: Expectation) => http('api', category, name, run, expect);
  const call = (ctx: Ctx, path: string, init: { method?: string; json?: unknown } = {}) =>
    send(ctx.api + path, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${ctx.tokens.a}`, ...(init.json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
    });
  const newKey = (category: Category, name: string, body: unknown, expect: Expectation = { status: 400 }, clientId?: (ctx: Ctx) => string) =>
    api(category, `POST key: ${name}`, (ctx) => call(ctx, keysPath(ctx, clientId?.(ctx)), { method: 'POST', json: body }), expect);
  newKey('rule', 'a private key', { Key: PRIVATE_PEM });
  newKey('rule', 'a private JWK object', { Key: PRIVATE_JWK });
  newKey('rule', 'Key and JwksUrl both', { Key: PUBLIC_PEM, JwksUrl: 'https://example.com/jwks' });
  newKey('missing field', 'neither Key nor JwksUrl', { Description: 'x' });
  newKey('wrong type', 'Key a number', { Key: 42 });
  newKey('array for object', 'Key an array', { Key: [PUBLIC_PEM] });
  newKey('rule', 'JwksUrl ftp://', { JwksUrl: 'ftp://example.com/jwks' });
  newKey('rule', 'JwksUrl on the loopback address over https', { JwksUrl: 'https://127.0.0.1/jwks' });
  newKey('bad date', 'Expiration in the past', { Key: PUBLIC_PEM, Expiration: '1999-12-31T23:59:59Z' });
  newKey('oversized body', 'a Key over 32 KiB', { Key: 'k'.repeat(40_000) }, { status: 413 });
  newKey('other tenant', 'on another tenant\'s client', { Key: PUBLIC_PEM }, { status: 404 }, (ctx) => ctx.clients.clientB.clientId);
  api('non-guid id', 'GET key: id "abc"', (ctx) => call(ctx, `${keysPath(ctx)}/abc`), { status: 404 });
  api('bad number', 'GET key: id 1e3', (ctx) => call(ctx, `${keysPath(ctx)}/1e3`), { status: 404 });
  api('other tenant', 'GET keys: another tenant\'s client', (ctx) => call(ctx, keysPath(ctx, ctx.clients.clientB.clientId)), { status: 404 });
  api('other tenant', 'DELETE key: another tenant\'s client', (ctx) => call(ctx, `${keysPath(ctx, ctx.clients.clientB.clientId)}/1`, { method: 'DELETE' }), { status: 404 });
  api('method', 'PUT key', (ctx) => call(ctx, `${keysPath(ctx)}/1`, { method: 'PUT', json: {} }), { status: 405 });
  return cases;
}
