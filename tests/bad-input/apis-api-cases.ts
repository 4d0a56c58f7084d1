import { randomUUID } from 'node:crypto';
import type { Ctx } from './fixtures';
import { MB, send, SQLI, TRAVERSAL, XSS, type Case, type Category, type Expectation, type HttpAnswer } from './support';

/*
 * Bad input to the REST API's Apis collection and every client collection's .../{clientId}/ApiAccess (RFC 8707
 * resource indicators), with A's administrator bearer token unless the case is about who calls: bodies, every field
 * of Add API and Edit API (identifiers that are not absolute URIs, OpenID Connect scopes, a changed Identifier), ids
 * of other tenants, unknown ids and clients of other types in the path, and API access to another tenant's API.
 */
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

type Collection = 'ClientCredentialClients' | 'AuthorizationCodeClients' | 'HybridClients' | 'DeviceCodeClients';

export function apisApiCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const add = (category: Category, name: string, run: (ctx: Ctx) => Promise<HttpAnswer>, expect?: Expectation) =>
    cases.push({ surface: 'api', category, name, expect, run: async (ctx) => ({ kind: 'http', answer: await run(ctx) }) });
  const bad = { status: 400 } as const;
  const notFound = { status: 404 } as const;
  const forbidden = { status: 403 } as const;
  const JSON_TYPE = { 'Content-Type': 'application/json' };

  const list = (ctx: Ctx, tenantId = ctx.a.tenantId) => `/api/v1/Tenants/${tenantId}/Apis`;
  const one = (ctx: Ctx, id = ctx.apis.a.id) => `${list(ctx)}/${id}`;
  /** A valid new API: nothing is written only because of the one bad part of each case. */
  const valid = () => ({ Name: 'Would be fine', Identifier: `https://fine-${randomUUID()}.example.test`, Scopes: ['fine:read'] });

  /* ---- who calls ---- */
  add('missing field', 'Apis: GET list without a token', (ctx) => call(ctx, list(ctx), { token: null }), { status: 401 });
  add('bearer token', 'Apis: POST with a broken token', (ctx) => call(ctx, list(ctx), { method: 'POST', token: 'a.b.c', json: valid() }), { status: 401 });
  add('not allowed', 'Apis: POST by a client without Tenant Administrator', (ctx) =>
    call(ctx, list(ctx), { method: 'POST', token: ctx.tokens.plain, json: valid() }), forbidden);
  add('not allowed', 'Apis: DELETE by a client without Tenant Administrator', (ctx) =>
    call(ctx, one(ctx), { method: 'DELETE', token: ctx.tokens.plain }), forbidden);
  add('other tenant', 'Apis: POST with another tenant\'s token', (ctx) => call(ctx, list(ctx), { method: 'POST', token: ctx.tokens.b, json: valid() }), forbidden);
  add('other tenant', 'Apis: POST on another tenant\'s path', (ctx) => call(ctx, list(ctx, ctx.b.tenantId), { method: 'POST', json: valid() }), forbidden);
  add('other tenant', 'Apis: PUT another tenant\'s API on its path', (ctx) =>
    call(ctx, `${list(ctx, ctx.b.tenantId)}/${ctx.apis.b.id}`, { method: 'PUT', json: { Name: 'Mine' } }), forbidden);

  /* ---- POST: content type and body ---- */
  const postRaw = (category: Category, name: string, body: () => BodyInit, headers: Record<string, string>, expect: Expectation = bad) =>
    add(category, `Apis: POST ${name}`, (ctx) => call(ctx, list(ctx), { method: 'POST', body: body(), headers }), expect);
  postRaw('content type', 'without a Content-Type', () => new Blob([JSON.stringify(valid())]), {}, { status: 415 });
  postRaw('content type', 'as a form', () => 'Name=x&Identifier=https://x.example.test', { 'Content-Type': 'application/x-www-form-urlencoded' }, { status: 415 });
  postRaw('missing field', 'an empty body', () => '', JSON_TYPE);
  postRaw('wrong type', 'JSON null', () => 'null', JSON_TYPE);
  postRaw('array for object', 'an array of a valid body', () => JSON.stringify([valid()]), JSON_TYPE);
  postRaw('wrong type', 'truncated JSON', () => '{"Name":"x","Identifier":"https://', JSON_TYPE);
  postRaw('duplicated field', 'Identifier twice, the last one relative', () => '{"Name":"x","Identifier":"https://dup.example.test","Identifier":"/relative"}', JSON_TYPE);
  postRaw('oversized body', 'a body of 32 KiB + 1', () => JSON.stringify({ ...valid(), Pad: 'p'.repeat(32 * 1024) }), JSON_TYPE, { status: 413 });
  postRaw('huge string', 'an Identifier of 1 MB', () => JSON.stringify({ Name: 'x', Identifier: `https://x.example.test/${'x'.repeat(MB)}` }), JSON_TYPE, { status: 413 });

  /* ---- POST: one bad field ---- */
  const field = (category: Category, name: string, change: (ctx: Ctx) => Record<string, unknown>, expect: Expectation = bad) =>
    add(category, `Apis: POST ${name}`, (ctx) => call(ctx, list(ctx), { method: 'POST', json: { ...valid(), ...change(ctx) } }), expect);
  field('missing field', 'Name left out', () => ({ Name: undefined }));
  field('missing field', 'Name blank', () => ({ Name: '   ' }));
  field('huge string', 'Name of 101 characters', () => ({ Name: 'n'.repeat(101) }));
  field('unicode', 'Name with a right-to-left override', () => ({ Name: 'evil\u202egnp.exe' }));
  field('unicode', 'Name with a lone surrogate', () => ({ Name: 'a\ud800b' }));
  field('control character', 'Name with a null character', () => ({ Name: 'a\u0000b' }));
  field('wrong type', 'Name a number', () => ({ Name: 42 }));
  field('missing field', 'Identifier left out', () => ({ Identifier: undefined }));
  field('wrong type', 'Identifier a number', () => ({ Identifier: 42 }));
  field('wrong type', 'Identifier an array', () => ({ Identifier: ['https://x.example.test'] }));
  field('rule', 'a relative Identifier', () => ({ Identifier: '/orders' }));
  field('rule', 'an Identifier with a fragment', () => ({ Identifier: 'https://x.example.test/#frag' }));
  field('rule', 'a javascript: Identifier', () => ({ Identifier: 'javascript:alert(1)' }));
  field('rule', 'a file: Identifier', () => ({ Identifier: 'file:///etc/passwd' }));
  field('rule', 'an Identifier with credentials', () => ({ Identifier: 'https://user:pw@x.example.test/' }));
  field('huge string', 'an Identifier of 201 characters', () => ({ Identifier: `https://x.example.test/${'a'.repeat(178)}` }));
  field('control character', 'an Identifier with a line break', () => ({ Identifier: 'https://x.example.test/a\nb' }));
  field('unicode', 'an Identifier with a zero-width space', () => ({ Identifier: 'https://x.example.test/\u200b' }));
  field('unicode', 'an Identifier with a lone surrogate', () => ({ Identifier: 'https://x.example.test/\udfff' }));
  field('sql/html metacharacters', 'an Identifier that is SQL', () => ({ Identifier: SQLI }));
  field('sql/html metacharacters', 'an Identifier that is a script', () => ({ Identifier: XSS }));
  field('path traversal', 'an Identifier that is a path', () => ({ Identifier: TRAVERSAL }));
  field('rule', 'the Identifier of an API the tenant has', (ctx) => ({ Identifier: ctx.apis.a.identifier }), { status: 409 });
  field('rule', 'the openid scope', () => ({ Scopes: ['orders:read', 'openid'] }));
  field('rule', 'the offline_access scope in a string of scopes', () => ({ Scopes: 'orders:read offline_access' }));
  field('rule', 'a scope with a double quote', () => ({ Scopes: ['orders"read'] }));
  field('rule', 'a scope with a backslash', () => ({ Scopes: ['orders\\read'] }));
  field('rule', 'a scope with a space inside an item', () => ({ Scopes: ['orders read'] }));
  field('unicode', 'a scope with a non-ASCII letter', () => ({ Scopes: ['bestellung:lesen:ä'] }));
  field('unicode', 'a scope that is a lone surrogate', () => ({ Scopes: ['\ud800'] }));
  field('huge string', 'a scope of 101 characters', () => ({ Scopes: ['s'.repeat(101)] }));
  field('huge string', '51 scopes', () => ({ Scopes: Array.from({ length: 51 }, (_, i) => `s${i}`) }));
  field('wrong type', 'Scopes a number', () => ({ Scopes: 7 }));
  field('wrong type', 'Scopes with a number', () => ({ Scopes: ['a', 7] }));
  field('array for object', 'Scopes an object', () => ({ Scopes: { 0: 'a' } }));
  field('wrong type', 'Scopes null', () => ({ Scopes: null }));

  /* ---- one API: the id in the path ---- */
  const getOne = (category: Category, name: string, id: (ctx: Ctx) => string) =>
    add(category, `Apis: GET ${name}`, (ctx) => call(ctx, one(ctx, id(ctx))), notFound);
  getOne('non-guid id', 'an id that is not a GUID', () => 'orders');
  getOne('non-guid id', 'an unknown GUID', () => randomUUID());
  getOne('sql/html metacharacters', 'an id with SQL', () => encodeURIComponent(SQLI));
  getOne('path traversal', 'an id that is a path', () => encodeURIComponent(TRAVERSAL));
  getOne('other tenant', 'another tenant\'s API', (ctx) => ctx.apis.b.id);
  getOne('rule', 'a client id as an API id', (ctx) => ctx.clients.target.clientId);

  /* ---- PUT / DELETE one API ---- */
  const putOne = (category: Category, name: string, body: (ctx: Ctx) => unknown, expect: Expectation = bad, id?: (ctx: Ctx) => string, headers: Record<string, string> = {}) =>
    add(category, `Apis: PUT ${name}`, (ctx) => call(ctx, one(ctx, id?.(ctx)), { method: 'PUT', json: body(ctx), headers }), expect);
  putOne('rule', 'another Identifier', () => ({ Identifier: 'https://orders.elsewhere.example.test' }));
  putOne('rule', 'a good name beside another Identifier (nothing saved)', () => ({ Name: 'Renamed', Identifier: 'https://renamed.example.test' }));
  putOne('wrong type', 'Identifier null', () => ({ Identifier: null }));
  putOne('rule', 'the Identifier of another API of B', (ctx) => ({ Identifier: ctx.apis.b.identifier }));
  putOne('missing field', 'Name empty', () => ({ Name: '' }));
  putOne('rule', 'the openid scope', () => ({ Scopes: ['openid'] }));
  putOne('unicode', 'a Name with a lone surrogate', () => ({ Name: '\udbff' }));
  putOne('array for object', 'an array body', () => [{ Name: 'Renamed' }]);
  putOne('rule', 'If-Match of an old version', () => ({ Name: 'Renamed' }), { status: 412 }, undefined, { 'If-Match': '"99"' });
  putOne('bad number', 'If-Match that is not a version', () => ({ Name: 'Renamed' }), { status: 412 }, undefined, { 'If-Match': '"v1"' });
  putOne('other tenant', 'another tenant\'s API', () => ({ Name: 'Mine now' }), notFound, (ctx) => ctx.apis.b.id);
  putOne('non-guid id', 'an id that is not a GUID', () => ({ Name: 'Mine now' }), notFound, () => 'orders');
  add('content type', 'Apis: PUT text/plain', (ctx) => call(ctx, one(ctx), { method: 'PUT', body: '{"Name":"Renamed"}', headers: { 'Content-Type': 'text/plain' } }), { status: 415 });
  add('other tenant', 'Apis: DELETE another tenant\'s API', (ctx) => call(ctx, one(ctx, ctx.apis.b.id), { method: 'DELETE' }), notFound);
  add('non-guid id', 'Apis: DELETE an id that is not a GUID', (ctx) => call(ctx, one(ctx, 'orders'), { method: 'DELETE' }), notFound);

  /* ---- paging and methods ---- */
  add('bad number', 'Apis: GET list with count 0', (ctx) => call(ctx, `${list(ctx)}?count=0`), bad);
  add('bad number', 'Apis: GET list with skip -1', (ctx) => call(ctx, `${list(ctx)}?skip=-1`), bad);
  add('bad number', 'Apis: GET list with count 1e400', (ctx) => call(ctx, `${list(ctx)}?count=1e400`), bad);
  add('method', 'Apis: PATCH an API', (ctx) => call(ctx, one(ctx), { method: 'PATCH', json: { Name: 'x' } }), { status: 405 });
  add('method', 'Apis: DELETE the collection', (ctx) => call(ctx, list(ctx), { method: 'DELETE' }), { status: 405 });
  add('method', 'Apis: POST on an API', (ctx) => call(ctx, one(ctx), { method: 'POST', json: valid() }), { status: 405 });

  /* ---- every client collection's ApiAccess ---- */
  for (const collection of ['ClientCredentialClients', 'AuthorizationCodeClients', 'HybridClients', 'DeviceCodeClients'] as Collection[]) {
    const own = (ctx: Ctx) =>
      ({ ClientCredentialClients: ctx.clients.target, AuthorizationCodeClients: ctx.clients.authCode, HybridClients: ctx.clients.hybrid, DeviceCodeClients: ctx.clients.device })[collection].clientId;
    /** A's client of another type, and B's client (of this type where the fixtures have one). */
    const otherType = (ctx: Ctx) => (collection === 'DeviceCodeClients' ? ctx.clients.target : ctx.clients.device).clientId;
    const ownB = (ctx: Ctx) =>
      ({ ClientCredentialClients: ctx.clients.clientB, AuthorizationCodeClients: ctx.clients.authCodeB, HybridClients: ctx.clients.hybridB, DeviceCodeClients: ctx.clients.deviceB })[collection].clientId;
    const path = (ctx: Ctx, id = own(ctx)) => `/api/v1/Tenants/${ctx.a.tenantId}/${collection}/${id}/ApiAccess`;
    const c = (name: string) => `${collection} ApiAccess: ${name}`;
    const putAccess = (category: Category, name: string, body: (ctx: Ctx) => unknown, expect: Expectation = bad, id?: (ctx: Ctx) => string) =>
      add(category, c(`PUT ${name}`), (ctx) => call(ctx, path(ctx, id?.(ctx)), { method: 'PUT', json: body(ctx) }), expect);

    putAccess('other tenant', 'another tenant\'s API', (ctx) => [{ ApiId: ctx.apis.b.id, Scopes: null }]);
    putAccess('other tenant', 'an own API beside another tenant\'s (nothing saved)', (ctx) => [{ ApiId: ctx.apis.a.id, Scopes: null }, { ApiId: ctx.apis.b.id, Scopes: ['orders:read'] }]);
    putAccess('non-guid id', 'an unknown API', () => [{ ApiId: randomUUID(), Scopes: null }]);
    putAccess('rule', 'a scope the API does not have', (ctx) => [{ ApiId: ctx.apis.a.id, Scopes: ['orders:delete'] }]);
    putAccess('rule', 'the same API twice', (ctx) => [{ ApiId: ctx.apis.a.id, Scopes: null }, { ApiId: ctx.apis.a.id.toUpperCase(), Scopes: [] }]);
    putAccess('non-guid id', 'an ApiId that is SQL', () => [{ ApiId: SQLI, Scopes: null }]);
    putAccess('missing field', 'Scopes left out', (ctx) => [{ ApiId: ctx.apis.a.id }]);
    putAccess('wrong type', 'Scopes a string', (ctx) => [{ ApiId: ctx.apis.a.id, Scopes: 'orders:read' }]);
    putAccess('unicode', 'a scope that is a lone surrogate', (ctx) => [{ ApiId: ctx.apis.a.id, Scopes: ['\ud800'] }]);
    putAccess('huge string', '51 scopes', (ctx) => [{ ApiId: ctx.apis.a.id, Scopes: Array.from({ length: 51 }, () => 'orders:read') }]);
    putAccess('array for object', 'an object body', (ctx) => ({ ApiId: ctx.apis.a.id, Scopes: null }));
    putAccess('wrong type', 'an array of ids', (ctx) => [ctx.apis.a.id]);
    putAccess('other tenant', 'another tenant\'s client', (ctx) => [{ ApiId: ctx.apis.a.id, Scopes: null }], notFound, ownB);
    putAccess('rule', 'a client of another type', (ctx) => [{ ApiId: ctx.apis.a.id, Scopes: null }], notFound, otherType);
    putAccess('non-guid id', 'a client id that is not a GUID', (ctx) => [{ ApiId: ctx.apis.a.id, Scopes: null }], notFound, () => 'my-app');
    add('not allowed', c('PUT by a client without Tenant Administrator'), (ctx) =>
      call(ctx, path(ctx), { method: 'PUT', token: ctx.tokens.plain, json: [{ ApiId: ctx.apis.a.id, Scopes: null }] }), forbidden);
    add('content type', c('PUT text/plain'), (ctx) =>
      call(ctx, path(ctx), { method: 'PUT', body: JSON.stringify([{ ApiId: ctx.apis.a.id, Scopes: null }]), headers: { 'Content-Type': 'text/plain' } }), { status: 415 });
    add('other tenant', c('GET another tenant\'s client'), (ctx) => call(ctx, path(ctx, ownB(ctx))), notFound);
    add('rule', c('GET a client of another type'), (ctx) => call(ctx, path(ctx, otherType(ctx))), notFound);
    add('method', c('POST'), (ctx) => call(ctx, path(ctx), { method: 'POST', json: [] }), { status: 405 });
  }

  return cases;
}
