import { randomUUID } from 'node:crypto';
import type { Ctx } from './fixtures';
import {
  b64,
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
} from './support';

/*
 * Bad input to the REST API (app/api/v1 route modules behind lib/api/testing/api-server.ts), with A's valid
 * administrator bearer token unless the case is about the token itself.
 */

const JSON_TYPE = { 'Content-Type': 'application/json' };
const clientsPath = (tenantId: string) => `/api/v1/Tenants/${tenantId}/ClientCredentialClients`;
const hostOf = (origin: string) => new URL(origin).host;
const future = () => new Date(Date.now() + 30 * 86_400_000).toISOString();

type Call = { method?: string; token?: string | null; json?: unknown; body?: BodyInit; headers?: Record<string, string> };

function call(ctx: Ctx, path: string, opts: Call = {}): Promise<HttpAnswer> {
  const token = opts.token === undefined ? ctx.tokens.a : opts.token;
  const headers: Record<string, string> = { ...(token ? { Authorization: `Bearer ${token}` } : {}) };
  let body = opts.body;
  if (opts.json !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(opts.json);
  }
  return send(ctx.api + path, { method: opts.method ?? 'GET', headers: { ...headers, ...opts.headers }, body });
}

export function apiCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const add = (category: Category, name: string, run: (ctx: Ctx) => Promise<HttpAnswer>, expect?: Expectation) =>
    cases.push({ surface: 'api', category, name, expect, run: async (ctx) => ({ kind: 'http', answer: await run(ctx) }) });
  const raw = (category: Category, name: string, request: (ctx: Ctx) => [string, (Buffer | string)?], expect?: Expectation) =>
    add(category, name, (ctx) => rawHttp(ctx.api, ...request(ctx)), expect);
  const bearerLine = (ctx: Ctx) => `Authorization: Bearer ${ctx.tokens.a}`;

  const list = (ctx: Ctx) => clientsPath(ctx.a.tenantId);
  const one = (ctx: Ctx, id = ctx.clients.target.clientId) => `${list(ctx)}/${id}`;
  const bad = { status: 400 } as const;
  const unauthorized = { status: 401 } as const;
  const forbidden = { status: 403 } as const;
  const notFound = { status: 404 } as const;

  /* ---- the bearer token ---- */
  const auth = (category: Category, name: string, authorization: (ctx: Ctx) => string | null, expect: Expectation) =>
    add(category, `GET clients: ${name}`, (ctx) => {
      const value = authorization(ctx);
      return call(ctx, list(ctx), { token: null, headers: value === null ? {} : { Authorization: value } });
    }, expect);
  auth('missing field', 'no Authorization header', () => null, unauthorized);
  auth('bearer token', '"Bearer" alone', () => 'Bearer', unauthorized);
  auth('bearer token', 'not a JWT', () => 'Bearer garbage', unauthorized);
  auth('bearer token', 'three dots and letters', () => 'Bearer a.b.c', unauthorized);
  auth('bearer token', 'two tokens', (ctx) => `Bearer ${ctx.tokens.a} ${ctx.tokens.a}`, unauthorized);
  auth('bearer token', 'alg "none"', (ctx) => `Bearer ${withHeader(ctx.tokens.a, (h) => ({ ...h, alg: 'none' }), '')}`, unauthorized);
  auth('bearer token', 'HS256 signed with the public key (algorithm confusion)', (ctx) => `Bearer ${hs256WithKey(ctx.tokens.a, JSON.stringify(ctx.publicJwk))}`, unauthorized);
  auth('other tenant', 'a token whose tenant_id was changed to another tenant', (ctx) => `Bearer ${withPayload(ctx.tokens.b, (c) => ({ ...c, tenant_id: ctx.a.tenantId }))}`, unauthorized);
  auth('bearer token', 'a token whose exp was pushed into the future', (ctx) => `Bearer ${withPayload(ctx.tokens.a, (c) => ({ ...c, exp: 4102444800 }))}`, unauthorized);
  auth('huge string', 'a token of 9,000 characters', () => `Bearer ${'e'.repeat(9000)}`, unauthorized);
  auth('sql/html metacharacters', 'a kid with SQL', (ctx) => `Bearer ${withHeader(ctx.tokens.a, (h) => ({ ...h, kid: SQLI }))}`, unauthorized);
  auth('path traversal', 'a kid that is a path', (ctx) => `Bearer ${withHeader(ctx.tokens.a, (h) => ({ ...h, kid: TRAVERSAL }))}`, unauthorized);
  auth('basic header', 'Basic credentials instead of a token', (ctx) => `Basic ${b64(`${ctx.a.adminClient.clientId}:${ctx.a.adminClient.secret}`)}`, unauthorized);
  auth('bearer token', 'a token from another issuer', (ctx) => `Bearer ${ctx.tokens.foreignIssuer}`, unauthorized);
  auth('bearer token', 'the token of a client disabled since', (ctx) => `Bearer ${ctx.tokens.revoked}`, unauthorized);
  auth('not allowed', 'a client without Tenant Administrator', (ctx) => `Bearer ${ctx.tokens.plain}`, forbidden);
  add('other tenant', 'GET clients: another tenant\'s token on this tenant\'s path', (ctx) => call(ctx, list(ctx), { token: ctx.tokens.b }), forbidden);
  add('other tenant', 'GET clients: this tenant\'s token on another tenant\'s path', (ctx) => call(ctx, clientsPath(ctx.b.tenantId)), forbidden);
  add('non-guid id', 'GET clients: a tenant id that is not a GUID', (ctx) => call(ctx, clientsPath('default')), forbidden);
  add('sql/html metacharacters', 'GET clients: a tenant id with SQL', (ctx) => call(ctx, clientsPath(encodeURIComponent(SQLI))), forbidden);
  add('control character', 'GET clients: a tenant id with a null character', (ctx) => call(ctx, clientsPath(`${ctx.a.tenantId}%00`)), forbidden);
  raw('duplicated field', 'GET clients: two Authorization headers, the first broken', (ctx) => [
    head('GET', list(ctx), hostOf(ctx.api), ['Authorization: Bearer !!!', bearerLine(ctx)]),
  ], unauthorized);
  raw('unicode', 'GET clients: raw non-ASCII bytes in the Authorization header', (ctx) => [
    Buffer.concat([Buffer.from(`GET ${list(ctx)} HTTP/1.1\r\nHost: ${hostOf(ctx.api)}\r\nAuthorization: Bearer `), Buffer.from('tökén☃', 'utf8'), Buffer.from('\r\n\r\n')]).toString('latin1'),
  ], unauthorized);

  /* ---- POST a client: content type and body ---- */
  const postBody = (category: Category, name: string, body: (ctx: Ctx) => BodyInit, headers: Record<string, string>, expect: Expectation) =>
    add(category, `POST client: ${name}`, (ctx) => call(ctx, list(ctx), { method: 'POST', body: body(ctx), headers }), expect);
  const unsupported = { status: 415 } as const;
  const fine = JSON.stringify({ Name: 'Would be fine' });
  postBody('content type', 'no Content-Type', () => new Blob([fine]), {}, unsupported);
  postBody('content type', 'a form', () => 'Name=x', { 'Content-Type': 'application/x-www-form-urlencoded' }, unsupported);
  postBody('content type', 'JSON in Latin-1', () => fine, { 'Content-Type': 'application/json; charset=latin1' }, unsupported);
  postBody('content type', 'multipart', () => {
    const fd = new FormData();
    fd.append('Name', 'x');
    return fd;
  }, {}, unsupported);
  postBody('content type', 'application/jsonp', () => fine, { 'Content-Type': 'application/jsonp' }, unsupported);
  postBody('content type', 'text/json', () => fine, { 'Content-Type': 'text/json' }, unsupported);
  postBody('content type', 'a look-alike +json type with markup', () => fine, { 'Content-Type': 'application/<x>+json' }, unsupported);

  const jsonBodies: [Category, string, string | Buffer, Expectation?][] = [
    ['missing field', 'an empty body', ''],
    ['missing field', 'only whitespace', '  \n '],
    ['wrong type', 'not JSON', 'Name=x'],
    ['wrong type', 'truncated JSON', '{"Name":'],
    ['wrong type', 'JSON null', 'null'],
    ['array for object', 'an empty array', '[]'],
    ['array for object', 'an array of a valid body', '[{"Name":"x"}]'],
    ['wrong type', 'a JSON string', '"Name"'],
    ['wrong type', 'a JSON number', '42'],
    ['wrong type', 'NaN (not JSON)', '{"Name":"x","AccessTokenLifetime":NaN}'],
    ['wrong type', 'single quotes (not JSON)', "{'Name':'x'}"],
    ['wrong type', 'a trailing comma (not JSON)', '{"Name":"x",}'],
    ['invalid encoding', 'raw invalid UTF-8 bytes', Buffer.concat([Buffer.from('{"Name":"'), Buffer.from([0xff, 0xfe, 0xfd]), Buffer.from('"}')])],
    ['invalid encoding', 'an overlong UTF-8 "/" (C0 AF)', Buffer.concat([Buffer.from('{"Name":"a'), Buffer.from([0xc0, 0xaf]), Buffer.from('"}')])],
    ['invalid encoding', 'UTF-8 encoded lone surrogate bytes (ED A0 80)', Buffer.concat([Buffer.from('{"Name":"a'), Buffer.from([0xed, 0xa0, 0x80]), Buffer.from('"}')])],
    ['invalid encoding', 'UTF-16LE with a byte order mark', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('{"Name":"x"}', 'utf16le')])],
    ['invalid encoding', 'a UTF-8 byte order mark before an invalid body', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('{"Name":""}')])],
    ['array for object', 'arrays nested 10,000 deep', '['.repeat(10_000) + ']'.repeat(10_000)],
    ['wrong type', 'objects nested 5,000 deep', '{"a":'.repeat(5000) + '1' + '}'.repeat(5000)],
    ['duplicated field', 'Name twice, the last one empty', '{"Name":"Good name","Name":""}'],
    ['duplicated field', 'AccessTokenLifetime twice, the last one negative', '{"Name":"x","AccessTokenLifetime":60,"AccessTokenLifetime":-1}'],
    ['duplicated field', 'Id twice, the last one not a GUID', `{"Name":"x","Id":"${'00000000-0000-4000-8000-000000000000'}","Id":"nope"}`],
    ['duplicated field', 'Enabled twice, the last one a string', '{"Name":"x","Enabled":true,"Enabled":"false"}'],
    ['wrong type', '__proto__ carrying the Name', '{"__proto__":{"Name":"x"}}'],
    ['wrong type', 'constructor.prototype and an empty Name', '{"constructor":{"prototype":{"Name":"x"}},"Name":""}'],
    ['bad number', 'AccessTokenLifetime 1e400 (Infinity)', '{"Name":"x","AccessTokenLifetime":1e400}'],
    ['bad number', 'AccessTokenLifetime -0', '{"Name":"x","AccessTokenLifetime":-0}'],
    ['bad number', 'AccessTokenLifetime 3.6e3 with a fraction', '{"Name":"x","AccessTokenLifetime":3.5999e3}'],
    ['oversized body', 'a body of 32 KiB + 1', JSON.stringify({ Name: 'x', SecretDescription: 'd'.repeat(32 * 1024) }), { status: 413 }],
    ['oversized body', 'a body of 1 MB', JSON.stringify({ Name: 'x', Pad: 'p'.repeat(MB) }), { status: 413 }],
    ['huge string', 'Name of 1 MB', JSON.stringify({ Name: 'n'.repeat(MB) }), { status: 413 }],
  ];
  for (const [category, name, body, expect] of jsonBodies) {
    postBody(category, name, () => (typeof body === 'string' ? body : new Uint8Array(body)), JSON_TYPE, expect ?? bad);
  }
  raw('oversized body', 'POST client: a declared Content-Length of 1 TB', (ctx) => [
    head('POST', list(ctx), hostOf(ctx.api), [bearerLine(ctx), 'Content-Type: application/json', 'Content-Length: 1000000000000']),
  ], { status: 413 });
  raw('oversized body', 'POST client: a chunked body of 40 KiB', (ctx) => [
    head('POST', list(ctx), hostOf(ctx.api), [bearerLine(ctx), 'Content-Type: application/json', 'Transfer-Encoding: chunked']),
    `d\r\n{"Name":"x","\r\n` + Array.from({ length: 40 }, () => `400\r\n${'a'.repeat(1024)}\r\n`).join('') + '0\r\n\r\n',
  ], { status: 413 });
  raw('oversized body', 'POST client: both Content-Length and Transfer-Encoding', (ctx) => [
    head('POST', list(ctx), hostOf(ctx.api), [bearerLine(ctx), 'Content-Type: application/json', 'Content-Length: 4', 'Transfer-Encoding: chunked']),
    '0\r\n\r\n',
  ], { status: 400, byNode: true });

  /* ---- POST a client: one bad field ---- */
  const field = (category: Category, name: string, body: (ctx: Ctx) => Record<string, unknown>, expect: Expectation = bad) =>
    add(category, `POST client: ${name}`, (ctx) => call(ctx, list(ctx), { method: 'POST', json: body(ctx) }), expect);
  field('missing field', 'Name left out', () => ({ AccessTokenLifetime: 60 }));
  field('wrong type', 'Name null', () => ({ Name: null }));
  field('wrong type', 'Name a number', () => ({ Name: 42 }));
  field('missing field', 'Name empty', () => ({ Name: '' }));
  field('huge string', 'Name of 101 characters', () => ({ Name: 'n'.repeat(101) }));
  field('control character', 'Name with a null character', () => ({ Name: 'a\u0000b' }));
  field('control character', 'Name with a carriage return', () => ({ Name: 'a\rb' }));
  field('unicode', 'Name with a lone high surrogate', () => ({ Name: 'broken \ud83d' }));
  field('unicode', 'Name with a lone low surrogate', () => ({ Name: '\ude00' }));
  field('array for object', 'Name an array', () => ({ Name: ['x'] }));
  field('wrong type', 'Name an object', () => ({ Name: { en: 'x' } }));
  field('wrong type', 'Enabled the string "false"', () => ({ Name: 'x', Enabled: 'false' }));
  field('wrong type', 'Enabled 0', () => ({ Name: 'x', Enabled: 0 }));
  field('wrong type', 'Enabled null', () => ({ Name: 'x', Enabled: null }));
  field('bad number', 'AccessTokenLifetime -1', () => ({ Name: 'x', AccessTokenLifetime: -1 }));
  field('bad number', 'AccessTokenLifetime 3601', () => ({ Name: 'x', AccessTokenLifetime: 3601 }));
  field('bad number', 'AccessTokenLifetime 1.5', () => ({ Name: 'x', AccessTokenLifetime: 1.5 }));
  field('bad number', 'AccessTokenLifetime "1e9"', () => ({ Name: 'x', AccessTokenLifetime: '1e9' }));
  field('wrong type', 'AccessTokenLifetime true', () => ({ Name: 'x', AccessTokenLifetime: true }));
  field('array for object', 'AccessTokenLifetime [60]', () => ({ Name: 'x', AccessTokenLifetime: [60] }));
  field('wrong type', 'RoleIds a string', (ctx) => ({ Name: 'x', RoleIds: ctx.roles.customA }));
  field('wrong type', 'RoleIds of numbers', () => ({ Name: 'x', RoleIds: [1] }));
  field('other tenant', 'RoleIds with another tenant\'s role', (ctx) => ({ Name: 'x', RoleIds: [ctx.roles.customB] }));
  field('wrong type', 'RoleIds an object', (ctx) => ({ Name: 'x', RoleIds: { 0: ctx.roles.customA } }));
  field('path traversal', 'RoleIds with a path', () => ({ Name: 'x', RoleIds: [TRAVERSAL] }));
  field('huge string', 'RoleIds with 201 GUIDs', () => ({ Name: 'x', RoleIds: Array.from({ length: 201 }, () => randomUUID()) }));
  field('non-guid id', 'Id not a GUID', () => ({ Name: 'x', Id: 'my-client' }));
  field('other tenant', 'Id of another tenant\'s client', (ctx) => ({ Name: 'x', Id: ctx.clients.clientB.clientId }), { status: 409 });
  field('sql/html metacharacters', 'Id SQL', () => ({ Name: 'x', Id: SQLI }));
  field('sql/html metacharacters', 'Id HTML', () => ({ Name: 'x', Id: XSS }));
  field('wrong type', 'Id a number', () => ({ Name: 'x', Id: 42 }));
  field('bad date', 'SecretExpirationDate not a date', () => ({ Name: 'x', SecretExpirationDate: 'yesterday' }));
  field('bad date', 'SecretExpirationDate in the past', () => ({ Name: 'x', SecretExpirationDate: '2000-01-01T00:00:00Z' }));
  field('wrong type', 'SecretExpirationDate a number', () => ({ Name: 'x', SecretExpirationDate: 4102444800 }));
  field('wrong type', 'SecretExpirationDate true', () => ({ Name: 'x', SecretExpirationDate: true }));
  field('wrong type', 'SecretExpirationDate an object', () => ({ Name: 'x', SecretExpirationDate: { date: '2099-01-01' } }));
  field('huge string', 'SecretDescription of 201 characters', () => ({ Name: 'x', SecretDescription: 'd'.repeat(201) }));
  field('control character', 'SecretDescription with a null character', () => ({ Name: 'x', SecretDescription: '\u0000' }));
  field('unicode', 'SecretDescription with a lone surrogate', () => ({ Name: 'x', SecretDescription: '\udbff!' }));
  field('wrong type', 'SecretDescription a number', () => ({ Name: 'x', SecretDescription: 3 }));

  /* ---- one client: ids in the path ---- */
  const getPath = (category: Category, name: string, path: (ctx: Ctx) => string, expect: Expectation = notFound) =>
    raw(category, `GET client: ${name}`, (ctx) => [head('GET', path(ctx), hostOf(ctx.api), [bearerLine(ctx)])], expect);
  getPath('non-guid id', 'an id that is not a GUID', (ctx) => one(ctx, 'my-client'));
  getPath('other tenant', 'another tenant\'s client', (ctx) => one(ctx, ctx.clients.clientB.clientId));
  getPath('non-guid id', 'an unknown GUID', (ctx) => one(ctx, randomUUID()));
  getPath('sql/html metacharacters', 'an id with SQL', (ctx) => one(ctx, encodeURIComponent(`${ctx.clients.target.clientId}${SQLI}`)));
  getPath('sql/html metacharacters', 'an id with HTML', (ctx) => one(ctx, encodeURIComponent(XSS)));
  getPath('path traversal', '%-encoded ".."', (ctx) => one(ctx, '%2e%2e'));
  getPath('path traversal', '%-encoded "../" to another tenant\'s client', (ctx) =>
    one(ctx, `%2e%2e%2f%2e%2e%2f${ctx.b.tenantId}%2fClientCredentialClients%2f${ctx.clients.clientB.clientId}`));
  getPath('control character', 'an id with a %-encoded null', (ctx) => one(ctx, `${ctx.clients.target.clientId}%00`));
  getPath('unicode', 'an id with a %-encoded zero-width space', (ctx) => one(ctx, `${ctx.clients.target.clientId}%E2%80%8B`));
  getPath('unicode', 'an id with a %-encoded right-to-left override', (ctx) => one(ctx, `%E2%80%AE${ctx.clients.target.clientId}`));
  getPath('unicode', 'an id with emoji', (ctx) => one(ctx, encodeURIComponent(ctx.clients.target.clientId.replace(/-/g, '😀'))));
  // Next itself answers these with a 500; server.ts (and the test server) refuse them first (lib/http/malformed-path.ts).
  getPath('invalid encoding', 'an id with a broken %-escape', (ctx) => one(ctx, `${ctx.clients.target.clientId}%E0%A4%A`), bad);
  getPath('invalid encoding', 'an id with an overlong %-escape', (ctx) => one(ctx, `%C0%AE%C0%AE`), bad);
  getPath('unicode', 'an id with a %-encoded lone surrogate', (ctx) => one(ctx, `%ED%A0%80`), bad);
  getPath('invalid encoding', 'a tenant id with a broken %-escape', () => clientsPath('%ZZ'), bad);
  getPath('invalid encoding', 'a secret id with a truncated %-escape', (ctx) => `${one(ctx)}/Secrets/1%E`, bad);
  getPath('path traversal', 'raw ".." segments out of the API', (ctx) => `${list(ctx)}/../../../../etc/passwd`);
  getPath('unknown path', 'a path in other case', (ctx) => list(ctx).replace('ClientCredentialClients', 'clientcredentialclients'));
  getPath('unknown path', 'an unknown collection', (ctx) => `/api/v1/Tenants/${ctx.a.tenantId}/Users`);

  /* ---- PUT / DELETE a client ---- */
  const put = (category: Category, name: string, body: (ctx: Ctx) => unknown, expect: Expectation = bad, headers: Record<string, string> = {}, id?: (ctx: Ctx) => string) =>
    add(category, `PUT client: ${name}`, (ctx) => call(ctx, one(ctx, id?.(ctx)), { method: 'PUT', json: body(ctx), headers }), expect);
  put('other tenant', 'another tenant\'s client', () => ({ Name: 'Mine now' }), notFound, {}, (ctx) => ctx.clients.clientB.clientId);
  put('missing field', 'Name empty', () => ({ Name: '' }));
  put('unicode', 'Name with a lone surrogate', () => ({ Name: 'x\ud800' }));
  put('wrong type', 'Enabled "yes"', () => ({ Enabled: 'yes' }));
  put('other tenant', 'RoleIds with another tenant\'s role', (ctx) => ({ RoleIds: [ctx.roles.customB] }));
  put('rule', 'If-Match of an old version', () => ({ Name: 'Renamed' }), { status: 412 }, { 'If-Match': '"99"' });
  put('wrong type', 'If-Match that is not a version', () => ({ Name: 'Renamed' }), { status: 412 }, { 'If-Match': 'W/"abc" OR 1=1' });
  put('array for object', 'an array body', () => [{ Name: 'Renamed' }]);
  add('content type', 'PUT client: text/plain', (ctx) => call(ctx, one(ctx), { method: 'PUT', body: '{"Name":"Renamed"}', headers: { 'Content-Type': 'text/plain' } }), unsupported);
  add('other tenant', 'DELETE client: another tenant\'s client', (ctx) => call(ctx, one(ctx, ctx.clients.clientB.clientId), { method: 'DELETE' }), notFound);
  add('non-guid id', 'DELETE client: "*"', (ctx) => call(ctx, one(ctx, '*'), { method: 'DELETE' }), notFound);
  add('other tenant', 'DELETE client: another tenant\'s client on its own path', (ctx) =>
    call(ctx, `${clientsPath(ctx.b.tenantId)}/${ctx.clients.clientB.clientId}`, { method: 'DELETE' }), forbidden);

  /* ---- secrets ---- */
  const secrets = (ctx: Ctx, clientId = ctx.clients.target.clientId) => `${one(ctx, clientId)}/Secrets`;
  const newSecret = (category: Category, name: string, body: (ctx: Ctx) => unknown, expect: Expectation = bad, clientId?: (ctx: Ctx) => string) =>
    add(category, `POST secret: ${name}`, (ctx) => call(ctx, secrets(ctx, clientId?.(ctx)), { method: 'POST', json: body(ctx) }), expect);
  newSecret('other tenant', 'on another tenant\'s client', () => ({ Description: 'x' }), notFound, (ctx) => ctx.clients.clientB.clientId);
  newSecret('rule', 'on a client with 10 secrets', () => ({ Description: 'x' }), bad, (ctx) => ctx.clients.full.clientId);
  newSecret('wrong type', 'Expires "no"', () => ({ Expires: 'no' }));
  newSecret('missing field', 'Expires true without an Expiration', () => ({ Expires: true }));
  newSecret('rule', 'Expires false with an Expiration', () => ({ Expires: false, Expiration: future() }));
  newSecret('bad date', 'Expiration in the past', () => ({ Expiration: '1999-12-31T23:59:59Z' }));
  newSecret('bad date', 'Expiration February 30th', () => ({ Expiration: '2099-02-30T25:61:00Z' }));
  newSecret('huge string', 'Description of 201 characters', () => ({ Description: 'd'.repeat(201) }));
  newSecret('unicode', 'Description with a lone surrogate', () => ({ Description: '\ud800' }));
  newSecret('array for object', 'an array body', () => [{ Description: 'x' }]);

  const secretPath = (ctx: Ctx, secretId: string, clientId = ctx.clients.target.clientId) => `${secrets(ctx, clientId)}/${secretId}`;
  const getSecret = (category: Category, name: string, id: (ctx: Ctx) => string) =>
    add(category, `GET secret: ${name}`, (ctx) => call(ctx, secretPath(ctx, id(ctx))), notFound);
  getSecret('wrong type', 'id "abc"', () => 'abc');
  getSecret('bad number', 'id -1', () => '-1');
  getSecret('bad number', 'id 1.5', () => '1.5');
  getSecret('bad number', 'id 99999999999', () => '99999999999');
  getSecret('bad number', 'id 0x1', () => '0x1');
  getSecret('bad number', 'id 1e3', () => '1e3');
  getSecret('sql/html metacharacters', 'id with SQL', () => encodeURIComponent('1 OR 1=1'));
  getSecret('other tenant', 'another tenant\'s secret under an own client', (ctx) => String(ctx.clients.clientB.secrets[0].id));
  add('other tenant', 'PUT secret: another tenant\'s secret under an own client', (ctx) =>
    call(ctx, secretPath(ctx, String(ctx.clients.clientB.secrets[0].id)), { method: 'PUT', json: { Description: 'mine' } }), notFound);
  add('unicode', 'PUT secret: Description with a lone surrogate', (ctx) =>
    call(ctx, secretPath(ctx, String(ctx.clients.target.secrets[0].id)), { method: 'PUT', json: { Description: 'a\udfffb' } }), bad);
  add('wrong type', 'PUT secret: Expires a number', (ctx) =>
    call(ctx, secretPath(ctx, String(ctx.clients.target.secrets[0].id)), { method: 'PUT', json: { Expires: 1 } }), bad);
  add('other tenant', 'DELETE secret: another tenant\'s secret under an own client', (ctx) =>
    call(ctx, secretPath(ctx, String(ctx.clients.clientB.secrets[0].id)), { method: 'DELETE' }), notFound);
  add('other tenant', 'DELETE secret: another tenant\'s client and secret', (ctx) =>
    call(ctx, secretPath(ctx, String(ctx.clients.clientB.secrets[0].id), ctx.clients.clientB.clientId), { method: 'DELETE' }), notFound);

  /* ---- a client's roles ---- */
  const putRoles = (category: Category, name: string, body: (ctx: Ctx) => unknown, expect: Expectation = bad, clientId?: (ctx: Ctx) => string) =>
    add(category, `PUT roles: ${name}`, (ctx) => call(ctx, `${one(ctx, clientId?.(ctx))}/Roles`, { method: 'PUT', json: body(ctx) }), expect);
  putRoles('array for object', 'an object instead of an array', (ctx) => ({ RoleIds: [ctx.roles.customA] }));
  putRoles('wrong type', 'numbers', () => [1, 2]);
  putRoles('other tenant', 'another tenant\'s role', (ctx) => [ctx.roles.customB]);
  putRoles('wrong type', 'a Role object whose Id is a number', () => [{ Id: 42 }]);
  putRoles('non-guid id', 'a Role object whose Id is not a GUID', () => [{ Id: 'admin' }]);
  putRoles('wrong type', 'null in the list', () => [null]);
  putRoles('other tenant', 'the roles of another tenant\'s client', (ctx) => [ctx.roles.customA], notFound, (ctx) => ctx.clients.clientB.clientId);

  /* ---- paging ---- */
  const paging = (name: string, query: string) => add('bad number', `GET clients: ${name}`, (ctx) => call(ctx, `${list(ctx)}?${query}`), bad);
  paging('skip -1', 'skip=-1');
  paging('count 0', 'count=0');
  paging('count 1001', 'count=1001');
  paging('count "abc"', 'count=abc');
  paging('skip 1.5', 'skip=1.5');
  paging('count Infinity', 'count=Infinity');
  paging('skip 1e10', 'skip=1e10');
  add('bad number', 'GET tenant roles: count -5', (ctx) => call(ctx, `/api/v1/Tenants/${ctx.a.tenantId}/Roles?count=-5`), bad);
  add('bad number', 'GET secrets: skip with SQL', (ctx) => call(ctx, `${secrets(ctx)}?skip=${encodeURIComponent('0; DROP TABLE clients')}`), bad);

  /* ---- methods ---- */
  add('method', 'PATCH a client', (ctx) => call(ctx, one(ctx), { method: 'PATCH', json: { Name: 'x' } }), { status: 405 });
  add('method', 'PUT the collection', (ctx) => call(ctx, list(ctx), { method: 'PUT', json: [] }), { status: 405 });
  add('method', 'DELETE the collection', (ctx) => call(ctx, list(ctx), { method: 'DELETE' }), { status: 405 });
  add('method', 'POST on a client', (ctx) => call(ctx, one(ctx), { method: 'POST', json: { Name: 'x' } }), { status: 405 });
  add('method', 'DELETE a client\'s roles', (ctx) => call(ctx, `${one(ctx)}/Roles`, { method: 'DELETE' }), { status: 405 });
  add('method', 'POST tenant roles', (ctx) => call(ctx, `/api/v1/Tenants/${ctx.a.tenantId}/Roles`, { method: 'POST', json: { Name: 'x' } }), { status: 405 });

  return cases;
}
