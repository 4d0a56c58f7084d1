import { randomUUID } from 'node:crypto';
import type { ActionResult } from '@/lib/actions/result';
import { apiAdminActions } from '@/lib/apis/admin-actions';
import { clientAdminActions } from '@/lib/clients/admin-actions';
import type { CurrentSession } from '@/lib/actions/user-action';
import { deviceActions } from '@/lib/oidc/device-actions';
import { AUTH_CODE_REDIRECT, type Ctx } from './fixtures';
import { form, HUGE, send, SQLI, XSS, type Case, type Category, type Expectation, type HttpAnswer, type Surface } from './support';

/*
 * Bad input to the device flow (RFC 8628: the device authorization endpoint, the device_code grant, the /device
 * page's actions) and to resource indicators (RFC 8707: `resource` at the token and authorize endpoints, the
 * Security > APIs actions and a client's API Access). No case may write a device request, an API or a grant.
 */
const DEVICE_AUTHORIZATION = '/identity/connect/deviceauthorization';
const TOKEN = '/identity/connect/token';
const AUTHORIZE = '/identity/connect/authorize';
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const DEVICE_GRANT = 'urn:ietf:params:oauth:grant-type:device_code';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

export function deviceResourceCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const add = (surface: Surface, category: Category, name: string, run: (ctx: Ctx) => Promise<HttpAnswer>, expect?: Expectation) =>
    cases.push({ surface, category, name, expect, run: async (ctx) => ({ kind: 'http', answer: await run(ctx) }) });
  const post = (ctx: Ctx, path: string, body: string, headers: Record<string, string> = FORM) =>
    send(ctx.identity + path, { method: 'POST', headers, body });

  /* ---- POST /connect/deviceauthorization ---- */
  const deviceAuth = (category: Category, name: string, params: (ctx: Ctx) => Record<string, string>, expect: Expectation = { status: [400, 401] }) =>
    add('device_authorization', category, name, (ctx) => post(ctx, DEVICE_AUTHORIZATION, form(params(ctx))), expect);
  const dev = (ctx: Ctx) => ({ client_id: ctx.clients.device.clientId });
  deviceAuth('missing field', 'no client_id', () => ({}), { status: 401 });
  deviceAuth('non-guid id', 'client_id not a GUID', () => ({ client_id: 'my-tv' }), { status: 401 });
  deviceAuth('non-guid id', 'an unknown client_id', () => ({ client_id: randomUUID() }), { status: 401 });
  deviceAuth('sql/html metacharacters', 'client_id with SQL', () => ({ client_id: SQLI }), { status: 401 });
  deviceAuth('rule', 'an Authorization Code client', (ctx) => ({ client_id: ctx.clients.authCode.clientId }), { status: 400 });
  deviceAuth('rule', 'a client-credentials client with its secret', (ctx) => ({ client_id: ctx.clients.good.clientId, client_secret: ctx.clients.good.secret }), { status: 400 });
  deviceAuth('rule', 'a public client sending a client_secret', (ctx) => ({ ...dev(ctx), client_secret: 'tscs_guess' }), { status: 401 });
  deviceAuth('rule', 'a disabled client', (ctx) => ({ client_id: ctx.clients.disabled.clientId }), { status: 401 });
  deviceAuth('sql/html metacharacters', 'a scope with a script', (ctx) => ({ ...dev(ctx), scope: `openid ${XSS}` }), { status: 400 });
  deviceAuth('huge string', 'a scope of 100 KB', (ctx) => ({ ...dev(ctx), scope: 'a'.repeat(100_000) }), { status: [400, 413] });
  deviceAuth('rule', 'a resource the client was not given', (ctx) => ({ ...dev(ctx), resource: 'https://not-granted.example.test' }), { status: 400 });
  deviceAuth('rule', 'a relative resource', (ctx) => ({ ...dev(ctx), resource: '/orders' }), { status: 400 });
  add('device_authorization', 'duplicated field', 'client_id twice', (ctx) => post(ctx, DEVICE_AUTHORIZATION, `${form(dev(ctx))}&client_id=${ctx.clients.deviceB.clientId}`), { status: 400 });
  add('device_authorization', 'content type', 'a JSON body', (ctx) => post(ctx, DEVICE_AUTHORIZATION, JSON.stringify(dev(ctx)), { 'Content-Type': 'application/json' }), { status: 400 });
  add('device_authorization', 'oversized body', 'a body of 1 MB', (ctx) => post(ctx, DEVICE_AUTHORIZATION, form({ ...dev(ctx), pad: HUGE })), { status: 413 });
  add('device_authorization', 'invalid encoding', 'a broken %-escape', (ctx) => post(ctx, DEVICE_AUTHORIZATION, `client_id=${ctx.clients.device.clientId}&scope=%E0%A4%A`), { status: 400 });
  add('device_authorization', 'method', 'GET', (ctx) => send(ctx.identity + DEVICE_AUTHORIZATION), { status: 405 });

  /* ---- the device_code grant ---- */
  const grant = (category: Category, name: string, params: (ctx: Ctx) => Record<string, string>, expect: Expectation = { status: [400, 401] }) =>
    add('token', category, name, (ctx) => post(ctx, TOKEN, form({ grant_type: DEVICE_GRANT, ...params(ctx) })), expect);
  grant('missing field', 'device_code grant without a device_code', (ctx) => dev(ctx));
  grant('rule', 'a device_code that was never issued', (ctx) => ({ ...dev(ctx), device_code: 'tsdc_' + 'A'.repeat(43) }));
  grant('sql/html metacharacters', 'a device_code with SQL', (ctx) => ({ ...dev(ctx), device_code: SQLI }));
  grant('huge string', 'a device_code of 10 KB', (ctx) => ({ ...dev(ctx), device_code: 'tsdc_' + 'A'.repeat(10_000) }), { status: [400, 401, 413] });
  grant('rule', 'an Authorization Code client asking for the device_code grant', (ctx) => ({ client_id: ctx.clients.authCode.clientId, device_code: 'tsdc_' + 'B'.repeat(43) }), { status: 400 });
  grant('other tenant', "another tenant's Device Code client", (ctx) => ({ client_id: ctx.clients.deviceB.clientId, device_code: 'tsdc_' + 'C'.repeat(43) }));

  /* ---- resource (RFC 8707) at the token and authorize endpoints ---- */
  const cc = (ctx: Ctx) => ({ grant_type: 'client_credentials', client_id: ctx.clients.good.clientId, client_secret: ctx.clients.good.secret });
  const ccResource = (category: Category, name: string, resource: string) =>
    add('token', category, `client_credentials with ${name}`, (ctx) => post(ctx, TOKEN, form({ ...cc(ctx), resource })), { status: 400 });
  ccResource('rule', 'a resource the client was not given', 'https://not-granted.example.test');
  ccResource('rule', 'a relative resource', 'orders');
  ccResource('rule', 'a resource with a fragment', 'https://api.example.test/#x');
  ccResource('sql/html metacharacters', 'a resource with a script', `https://api.example.test/${XSS}`);
  ccResource('huge string', 'a resource of 5 KB', `https://api.example.test/${'a'.repeat(5000)}`);
  ccResource('control character', 'a resource with a null character', 'https://api.example.test/a\u0000b');
  add('token', 'duplicated field', 'client_credentials with two resources', (ctx) =>
    post(ctx, TOKEN, `${form({ ...cc(ctx), resource: 'https://a.example.test' })}&resource=${encodeURIComponent('https://b.example.test')}`), { status: 400 });
  add('authorize', 'rule', 'a resource the client was not given', (ctx) =>
    send(
      ctx.identity +
        AUTHORIZE +
        `?${new URLSearchParams({ client_id: ctx.clients.authCode.clientId, redirect_uri: AUTH_CODE_REDIRECT, response_type: 'code', code_challenge: CHALLENGE, code_challenge_method: 'S256', resource: 'https://not-granted.example.test' })}`,
      { redirect: 'manual' },
    ),
    { redirectError: { to: AUTH_CODE_REDIRECT, error: 'invalid_target' } },
  );

  /* ---- /device: lookup and Allow/Deny (any signed-in user) ---- */
  const sessionOf = (ctx: Ctx, who: 'member' | 'anonymous'): CurrentSession | null => (who === 'member' ? { user: ctx.a.member, sessionId: randomUUID() } : null);
  const deviceAction = (category: Category, name: string, op: 'lookup' | 'decide', input: unknown, expect?: Expectation, who: 'member' | 'anonymous' = 'member') =>
    cases.push({
      surface: 'action',
      category,
      name: `device ${op}: ${name}`,
      expect,
      run: async (ctx) => {
        const fn = deviceActions(async () => sessionOf(ctx, who))[op] as (raw: unknown) => Promise<ActionResult<unknown>>;
        return { kind: 'action', result: await fn(input) };
      },
    });
  const codeField = { field: 'userCode' };
  deviceAction('missing field', 'no code', 'lookup', {}, codeField);
  deviceAction('missing field', 'an empty code', 'lookup', { userCode: '' }, codeField);
  deviceAction('wrong type', 'a number', 'lookup', { userCode: 12345678 }, codeField);
  deviceAction('array for object', 'an array', 'lookup', { userCode: ['BCDF', 'GHJK'] }, codeField);
  deviceAction('rule', 'vowels (never in a code)', 'lookup', { userCode: 'ABCD-EFGH' }, codeField);
  deviceAction('rule', 'a well-formed code nobody was given', 'lookup', { userCode: 'BCDF-GHJK' }, codeField);
  deviceAction('huge string', 'a code of 1 MB', 'lookup', { userCode: HUGE }, codeField);
  deviceAction('control character', 'a code with a null character', 'lookup', { userCode: 'BCDF\u0000GHJK' }, codeField);
  deviceAction('unicode', 'a code in full-width letters', 'lookup', { userCode: 'ＢＣＤＦＧＨＪＫ' }, codeField);
  deviceAction('sql/html metacharacters', 'a code with SQL', 'lookup', { userCode: SQLI }, codeField);
  deviceAction('not allowed', 'signed out', 'lookup', { userCode: 'BCDF-GHJK' }, { code: 'unauthenticated' }, 'anonymous');
  deviceAction('missing field', 'no decision', 'decide', { userCode: 'BCDF-GHJK' }, { field: 'decision' });
  deviceAction('wrong type', 'decision "yes"', 'decide', { userCode: 'BCDF-GHJK', decision: 'yes' }, { field: 'decision' });
  deviceAction('rule', 'allow a code nobody was given', 'decide', { userCode: 'BCDF-GHJK', decision: 'allow' }, codeField);
  deviceAction('not allowed', 'signed out', 'decide', { userCode: 'BCDF-GHJK', decision: 'allow' }, { code: 'unauthenticated' }, 'anonymous');

  /* ---- Security > APIs and a client's API Access (Tenant Administrator) ---- */
  type ApiOp = 'createApi' | 'updateApi' | 'removeApi' | 'setClientApiAccess';
  const apiAction = (category: Category, name: string, op: ApiOp, input: (ctx: Ctx) => unknown, expect?: Expectation, who: 'admin' | 'member' | 'anonymous' = 'admin') =>
    cases.push({
      surface: 'action',
      category,
      name: `${op}: ${name}`,
      expect,
      run: async (ctx) => {
        const user = who === 'admin' ? ctx.a.admin : who === 'member' ? ctx.a.member : null;
        const getUser = async () => user;
        const fn = (op === 'setClientApiAccess' ? clientAdminActions(getUser)[op] : apiAdminActions(getUser)[op]) as (raw: unknown) => Promise<ActionResult<unknown>>;
        return { kind: 'action', result: await fn(input(ctx)) };
      },
    });
  const api = (change: Record<string, unknown> = {}) => () => ({ name: 'Orders', identifier: 'https://orders.bad-input.example', scopes: 'orders:read', ...change });
  apiAction('missing field', 'no name', 'createApi', api({ name: undefined }), { field: 'name' });
  apiAction('missing field', 'no identifier', 'createApi', api({ identifier: '' }), { field: 'identifier' });
  apiAction('rule', 'a relative identifier', 'createApi', api({ identifier: '/orders' }), { field: 'identifier' });
  apiAction('rule', 'an identifier with a fragment', 'createApi', api({ identifier: 'https://orders.example/#x' }), { field: 'identifier' });
  apiAction('rule', 'an identifier with a user and password', 'createApi', api({ identifier: 'https://u:p@orders.example/' }), { field: 'identifier' });
  apiAction('sql/html metacharacters', 'an identifier with a script', 'createApi', api({ identifier: `javascript:${XSS}` }), { field: 'identifier' });
  apiAction('huge string', 'an identifier of 1 MB', 'createApi', api({ identifier: `https://orders.example/${HUGE}` }), { field: 'identifier' });
  apiAction('control character', 'a name with a null character', 'createApi', api({ name: 'Ord\u0000ers' }), { field: 'name' });
  apiAction('unicode', 'a name with a lone surrogate', 'createApi', api({ name: 'Orders \ud800' }), { field: 'name' });
  apiAction('wrong type', 'scopes a number', 'createApi', api({ scopes: 42 }), { field: 'scopes' });
  apiAction('array for object', 'scopes an array of numbers', 'createApi', api({ scopes: [1, 2] }), { field: 'scopes' });
  apiAction('rule', 'an OpenID Connect scope', 'createApi', api({ scopes: 'openid orders:read' }), { field: 'scopes' });
  apiAction('rule', 'a scope with a quote', 'createApi', api({ scopes: 'orders"read' }), { field: 'scopes' });
  apiAction('rule', '51 scopes', 'createApi', api({ scopes: Array.from({ length: 51 }, (_, i) => `s${i}`) }), { field: 'scopes' });
  apiAction('not allowed', 'a Tenant Member', 'createApi', api(), { code: 'forbidden' }, 'member');
  apiAction('not allowed', 'signed out', 'createApi', api(), { code: 'unauthenticated' }, 'anonymous');
  apiAction('non-guid id', 'an id that is not a GUID', 'updateApi', () => ({ id: 'orders', version: 1, name: 'Orders' }), { field: 'id' });
  apiAction('non-guid id', 'an unknown API', 'updateApi', () => ({ id: randomUUID(), version: 1, name: 'Orders' }), { code: 'not_found' });
  apiAction('bad number', 'version not a number', 'updateApi', () => ({ id: randomUUID(), version: 'x', name: 'Orders' }), { field: 'version' });
  apiAction('non-guid id', 'remove an unknown API', 'removeApi', () => ({ id: randomUUID() }), { code: 'not_found' });
  apiAction('sql/html metacharacters', 'remove with SQL as the id', 'removeApi', () => ({ id: SQLI }), { field: 'id' });
  apiAction('other tenant', "API Access of another tenant's client", 'setClientApiAccess', (ctx) => ({ clientId: ctx.clients.clientB.clientId, access: [] }), { code: 'not_found' });
  apiAction('non-guid id', 'API Access to an unknown API', 'setClientApiAccess', (ctx) => ({ clientId: ctx.clients.good.clientId, access: [{ apiId: randomUUID(), scopes: null }] }), { field: 'access' });
  apiAction('wrong type', 'API Access not a list', 'setClientApiAccess', (ctx) => ({ clientId: ctx.clients.good.clientId, access: 'all' }), { field: 'access' });
  apiAction('wrong type', 'API Access scopes a string', 'setClientApiAccess', (ctx) => ({ clientId: ctx.clients.good.clientId, access: [{ apiId: randomUUID(), scopes: 'all' }] }));
  apiAction('bad number', 'API Access with a version that is not a number', 'setClientApiAccess', (ctx) => ({ clientId: ctx.clients.good.clientId, version: 'x', access: [] }), { field: 'version' });
  apiAction('rule', 'API Access based on an old version', 'setClientApiAccess', (ctx) => ({ clientId: ctx.clients.good.clientId, version: 1_000_000, access: [] }), { code: 'conflict' });
  apiAction('not allowed', 'API Access by a Tenant Member', 'setClientApiAccess', (ctx) => ({ clientId: ctx.clients.good.clientId, access: [] }), { code: 'forbidden' }, 'member');
  return cases;
}
