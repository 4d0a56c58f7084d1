import { randomUUID } from 'node:crypto';
import { AUTH_CODE_REDIRECT, type Ctx } from './fixtures';
import { MB, send, SQLI, TRAVERSAL, XSS, type Case, type Category, type Expectation, type HttpAnswer } from './support';

/*
 * Bad input to the REST API's AuthorizationCodeClients, HybridClients and DeviceCodeClients collections, with A's
 * administrator bearer token unless the case is about who calls: bodies, every field of Add Client and Edit (the
 * console's redirect URL rules; a Device Code client has no URLs, and ignores URL fields like any unknown field, so
 * those cases are not bad input for it), ids of other tenants and of clients of other types in the path, and Hybrid
 * secrets.
 */
type Collection = 'AuthorizationCodeClients' | 'HybridClients' | 'DeviceCodeClients';
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

export function userClientApiCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const add = (category: Category, name: string, run: (ctx: Ctx) => Promise<HttpAnswer>, expect?: Expectation) =>
    cases.push({ surface: 'api', category, name, expect, run: async (ctx) => ({ kind: 'http', answer: await run(ctx) }) });
  const bad = { status: 400 } as const;
  const notFound = { status: 404 } as const;
  const forbidden = { status: 403 } as const;

  for (const collection of ['AuthorizationCodeClients', 'HybridClients', 'DeviceCodeClients'] as Collection[]) {
    const hybrid = collection === 'HybridClients';
    const device = collection === 'DeviceCodeClients';
    const list = (ctx: Ctx, tenantId = ctx.a.tenantId) => `/api/v1/Tenants/${tenantId}/${collection}`;
    /** A's client of this collection's type. */
    const own = (ctx: Ctx) => (device ? ctx.clients.device : hybrid ? ctx.clients.hybrid : ctx.clients.authCode).clientId;
    /** B's client of this collection's type. */
    const ownB = (ctx: Ctx) => (device ? ctx.clients.deviceB : hybrid ? ctx.clients.hybridB : ctx.clients.authCodeB).clientId;
    /** A's client of another user type. */
    const otherType = (ctx: Ctx) => (hybrid ? ctx.clients.authCode : ctx.clients.hybrid).clientId;
    const one = (ctx: Ctx, id = own(ctx)) => `${list(ctx)}/${id}`;
    const valid: Record<string, unknown> = device ? { Name: 'Would be fine' } : { Name: 'Would be fine', RedirectUris: [AUTH_CODE_REDIRECT] };
    const c = (name: string) => `${collection}: ${name}`;

    /* ---- who calls ---- */
    add('missing field', c('GET list without a token'), (ctx) => call(ctx, list(ctx), { token: null }), { status: 401 });
    add('bearer token', c('POST with a broken token'), (ctx) => call(ctx, list(ctx), { method: 'POST', token: 'a.b.c', json: valid }), { status: 401 });
    add('not allowed', c('POST by a client without Tenant Administrator'), (ctx) =>
      call(ctx, list(ctx), { method: 'POST', token: ctx.tokens.plain, json: valid }), forbidden);
    add('not allowed', c('PUT by a client without Tenant Administrator'), (ctx) =>
      call(ctx, one(ctx), { method: 'PUT', token: ctx.tokens.plain, json: { Name: 'Mine' } }), forbidden);
    add('other tenant', c('POST with another tenant\'s token'), (ctx) => call(ctx, list(ctx), { method: 'POST', token: ctx.tokens.b, json: valid }), forbidden);
    add('other tenant', c('POST on another tenant\'s path'), (ctx) => call(ctx, list(ctx, ctx.b.tenantId), { method: 'POST', json: valid }), forbidden);
    add('non-guid id', c('GET list under a tenant id that is not a GUID'), (ctx) => call(ctx, list(ctx, 'default')), forbidden);

    /* ---- POST: content type and body ---- */
    const postRaw = (category: Category, name: string, body: BodyInit | (() => BodyInit), headers: Record<string, string>, expect: Expectation = bad) =>
      add(category, c(`POST ${name}`), (ctx) => call(ctx, list(ctx), { method: 'POST', body: typeof body === 'function' ? body() : body, headers }), expect);
    const JSON_TYPE = { 'Content-Type': 'application/json' };
    postRaw('content type', 'without a Content-Type', () => new Blob([JSON.stringify(valid)]), {}, { status: 415 });
    postRaw('content type', 'as a form', 'Name=x&RedirectUris=https://app.example.test/cb', { 'Content-Type': 'application/x-www-form-urlencoded' }, { status: 415 });
    postRaw('missing field', 'an empty body', '', JSON_TYPE);
    postRaw('wrong type', 'JSON null', 'null', JSON_TYPE);
    postRaw('array for object', 'an array of a valid body', JSON.stringify([valid]), JSON_TYPE);
    postRaw('wrong type', 'truncated JSON', '{"Name":"x","RedirectUris":["https://', JSON_TYPE);
    if (!device) {
      postRaw('duplicated field', 'RedirectUris twice, the last one http', '{"Name":"x","RedirectUris":["https://a.example.test/cb"],"RedirectUris":["http://a.example.test/cb"]}', JSON_TYPE);
    } else {
      postRaw('duplicated field', 'RefreshTokenLifetime twice, the last one 1', '{"Name":"x","RefreshTokenLifetime":600,"RefreshTokenLifetime":1}', JSON_TYPE);
    }
    postRaw('oversized body', 'a body of 32 KiB + 1', JSON.stringify({ ...valid, Pad: 'p'.repeat(32 * 1024) }), JSON_TYPE, { status: 413 });
    postRaw('huge string', 'a redirect URL of 1 MB', JSON.stringify({ Name: 'x', RedirectUris: [`https://app.example.test/${'x'.repeat(MB)}`] }), JSON_TYPE, { status: 413 });

    /* ---- POST: one bad field ---- */
    const field = (category: Category, name: string, body: (ctx: Ctx) => Record<string, unknown>, expect: Expectation = bad) =>
      add(category, c(`POST ${name}`), (ctx) => call(ctx, list(ctx), { method: 'POST', json: body(ctx) }), expect);
    field('missing field', 'Name left out', () => ({ ...valid, Name: undefined }));
    field('unicode', 'Name with a right-to-left override', () => ({ ...valid, Name: 'evil\u202egnp.exe' }));
    // A Device Code client has no URLs: URL fields are ignored, so none of these is bad input for it.
    if (!device) {
      field('missing field', 'RedirectUris left out', () => ({ Name: 'x' }));
      field('missing field', 'RedirectUris empty', () => ({ Name: 'x', RedirectUris: [] }));
      field('wrong type', 'RedirectUris a number', () => ({ Name: 'x', RedirectUris: 42 }));
      field('wrong type', 'RedirectUris an object', () => ({ Name: 'x', RedirectUris: { 0: AUTH_CODE_REDIRECT } }));
      field('array for object', 'RedirectUris an array of arrays', () => ({ Name: 'x', RedirectUris: [[AUTH_CODE_REDIRECT]] }));
      field('wrong type', 'RedirectUris with null', () => ({ Name: 'x', RedirectUris: [AUTH_CODE_REDIRECT, null] }));
      field('rule', 'an http redirect URL that is not loopback', () => ({ Name: 'x', RedirectUris: ['http://app.example.test/cb'] }));
      field('rule', 'an http redirect URL to a look-alike of loopback', () => ({ Name: 'x', RedirectUris: ['http://127.0.0.1.example.test/cb'] }));
      field('rule', 'a javascript: redirect URL', () => ({ Name: 'x', RedirectUris: [`javascript:${XSS}`] }));
      field('rule', 'a data: redirect URL', () => ({ Name: 'x', RedirectUris: ['data:text/html,<b>x</b>'] }));
      field('rule', 'a relative redirect URL', () => ({ Name: 'x', RedirectUris: ['/callback'] }));
      field('rule', 'a redirect URL with a fragment', () => ({ Name: 'x', RedirectUris: ['https://app.example.test/cb#x'] }));
      field('rule', 'a redirect URL with credentials', () => ({ Name: 'x', RedirectUris: ['https://user:pw@app.example.test/cb'] }));
      field('rule', '21 redirect URLs', () => ({ Name: 'x', RedirectUris: Array.from({ length: 21 }, (_, i) => `https://app.example.test/${i}`) }));
      field('huge string', 'a redirect URL of 2,001 characters', () => ({ Name: 'x', RedirectUris: [`https://app.example.test/${'x'.repeat(1976)}`] }));
      field('control character', 'a redirect URL with a null character', () => ({ Name: 'x', RedirectUris: ['https://app.example.test/a\u0000b'] }));
      field('control character', 'a redirect URL with a line break', () => ({ Name: 'x', RedirectUris: ['https://app.example.test/a\nb'] }));
      field('unicode', 'a redirect URL with a lone surrogate', () => ({ Name: 'x', RedirectUris: ['https://app.example.test/\ud800'] }));
      field('unicode', 'a redirect URL with a zero-width space', () => ({ Name: 'x', RedirectUris: ['https://app.example.test/\u200bcb'] }));
      field('sql/html metacharacters', 'a redirect URL that is SQL', () => ({ Name: 'x', RedirectUris: [SQLI] }));
      field('path traversal', 'a redirect URL that is a path', () => ({ Name: 'x', RedirectUris: [TRAVERSAL] }));
      field('rule', 'an http post-logout redirect URL', () => ({ ...valid, PostLogoutRedirectUris: ['http://app.example.test/out'] }));
      field('unicode', 'a post-logout redirect URL with a lone surrogate', () => ({ ...valid, PostLogoutRedirectUris: ['https://app.example.test/\udfff'] }));
    }
    field('bad number', 'RefreshTokenLifetime 299', () => ({ ...valid, RefreshTokenLifetime: 299 }));
    field('bad number', 'RefreshTokenLifetime 7776001', () => ({ ...valid, RefreshTokenLifetime: 7_776_001 }));
    field('bad number', 'RefreshTokenLifetime -1', () => ({ ...valid, RefreshTokenLifetime: -1 }));
    field('bad number', 'RefreshTokenLifetime 1e400 (Infinity)', () => ({ ...valid, RefreshTokenLifetime: '1e400' }));
    field('wrong type', 'RefreshTokenLifetime true', () => ({ ...valid, RefreshTokenLifetime: true }));
    field('bad number', 'AccessTokenLifetime 59', () => ({ ...valid, AccessTokenLifetime: 59 }));
    field('wrong type', 'Enabled "yes"', () => ({ ...valid, Enabled: 'yes' }));
    field('other tenant', 'RoleIds with another tenant\'s role', (ctx) => ({ ...valid, RoleIds: [ctx.roles.customB] }));
    field('non-guid id', 'Id not a GUID', () => ({ ...valid, Id: 'my-app' }));
    field('other tenant', 'Id of another tenant\'s client', (ctx) => ({ ...valid, Id: ownB(ctx) }), { status: 409 });
    field('rule', 'Id of a client of another type', (ctx) => ({ ...valid, Id: ctx.clients.target.clientId }), { status: 409 });
    if (hybrid) {
      field('bad date', 'SecretExpirationDate in the past', () => ({ ...valid, SecretExpirationDate: '2000-01-01T00:00:00Z' }));
      field('bad date', 'SecretExpirationDate not a date', () => ({ ...valid, SecretExpirationDate: 'tomorrow' }));
      field('wrong type', 'SecretExpirationDate a number', () => ({ ...valid, SecretExpirationDate: 4102444800 }));
      field('huge string', 'SecretDescription of 201 characters', () => ({ ...valid, SecretDescription: 'd'.repeat(201) }));
      field('unicode', 'SecretDescription with a lone surrogate', () => ({ ...valid, SecretDescription: '\udbff' }));
    } else if (!device) {
      field('rule', 'a CORS origin with a path', () => ({ ...valid, AllowedCorsOrigins: ['https://app.example.test/x'] }));
      field('rule', 'a CORS origin over http (not loopback)', () => ({ ...valid, AllowedCorsOrigins: ['http://app.example.test'] }));
      field('wrong type', 'AllowedCorsOrigins a number', () => ({ ...valid, AllowedCorsOrigins: 7 }));
      field('unicode', 'a CORS origin with a lone surrogate', () => ({ ...valid, AllowedCorsOrigins: ['https://\ud800.example.test'] }));
    }

    /* ---- one client: the id in the path ---- */
    const getOne = (category: Category, name: string, id: (ctx: Ctx) => string, suffix = '') =>
      add(category, c(`GET ${name}`), (ctx) => call(ctx, `${one(ctx, id(ctx))}${suffix}`), notFound);
    getOne('non-guid id', 'an id that is not a GUID', () => 'my-app');
    getOne('non-guid id', 'an unknown GUID', () => randomUUID());
    getOne('sql/html metacharacters', 'an id with SQL', () => encodeURIComponent(SQLI));
    getOne('other tenant', 'another tenant\'s client of this type', (ctx) => ownB(ctx));
    getOne('rule', 'a client-credentials client', (ctx) => ctx.clients.target.clientId);
    getOne('rule', 'a client of the other user type', (ctx) => otherType(ctx));
    getOne('rule', 'the roles of a client-credentials client', (ctx) => ctx.clients.target.clientId, '/Roles');
    getOne('rule', 'the secrets of a client-credentials client', (ctx) => ctx.clients.target.clientId, '/Secrets');
    getOne('rule', 'the keys of a client of this type (only client-credentials clients have keys)', own, '/Keys');

    /* ---- PUT / DELETE one client ---- */
    const putOne = (category: Category, name: string, body: (ctx: Ctx) => unknown, expect: Expectation = bad, id?: (ctx: Ctx) => string, headers: Record<string, string> = {}) =>
      add(category, c(`PUT ${name}`), (ctx) => call(ctx, one(ctx, id?.(ctx)), { method: 'PUT', json: body(ctx), headers }), expect);
    if (!device) {
      putOne('rule', 'an http redirect URL', () => ({ RedirectUris: ['http://app.example.test/cb'] }));
      putOne('missing field', 'RedirectUris emptied', () => ({ RedirectUris: [] }));
      putOne('rule', 'a good name and an http post-logout URL (nothing saved)', () => ({ Name: 'Renamed', PostLogoutRedirectUris: ['http://x.example.test/'] }));
      putOne('unicode', 'a redirect URL with a lone surrogate', () => ({ RedirectUris: ['https://app.example.test/\udc00'] }));
    }
    putOne('bad number', 'RefreshTokenLifetime 0', () => ({ RefreshTokenLifetime: 0 }));
    putOne('missing field', 'Name empty', () => ({ Name: '' }));
    putOne('other tenant', 'RoleIds with another tenant\'s role, beside a good URL', (ctx) => ({ RedirectUris: ['https://app.example.test/new'], RoleIds: [ctx.roles.customB] }));
    putOne('array for object', 'an array body', () => [{ Name: 'Renamed' }]);
    putOne('rule', 'If-Match of an old version', () => ({ Name: 'Renamed' }), { status: 412 }, undefined, { 'If-Match': '"99"' });
    putOne('other tenant', 'another tenant\'s client', () => ({ Name: 'Mine now' }), notFound, (ctx) => ownB(ctx));
    putOne('rule', 'a client-credentials client', () => ({ Name: 'Mine now', Enabled: false }), notFound, (ctx) => ctx.clients.target.clientId);
    add('content type', c('PUT text/plain'), (ctx) => call(ctx, one(ctx), { method: 'PUT', body: '{"Name":"Renamed"}', headers: { 'Content-Type': 'text/plain' } }), { status: 415 });
    add('other tenant', c('DELETE another tenant\'s client'), (ctx) =>
      call(ctx, one(ctx, ownB(ctx)), { method: 'DELETE' }), notFound);
    add('rule', c('DELETE a client-credentials client'), (ctx) => call(ctx, one(ctx, ctx.clients.target.clientId), { method: 'DELETE' }), notFound);
    add('rule', c('DELETE a client of the other user type'), (ctx) =>
      call(ctx, one(ctx, otherType(ctx)), { method: 'DELETE' }), notFound);

    /* ---- roles ---- */
    const putRoles = (category: Category, name: string, body: (ctx: Ctx) => unknown, expect: Expectation = bad, id?: (ctx: Ctx) => string) =>
      add(category, c(`PUT roles: ${name}`), (ctx) => call(ctx, `${one(ctx, id?.(ctx))}/Roles`, { method: 'PUT', json: body(ctx) }), expect);
    putRoles('other tenant', 'another tenant\'s role', (ctx) => [ctx.roles.customB]);
    putRoles('wrong type', 'numbers', () => [1]);
    putRoles('array for object', 'an object', (ctx) => ({ RoleIds: [ctx.roles.customA] }));
    putRoles('rule', 'of a client-credentials client', (ctx) => [ctx.roles.customA], notFound, (ctx) => ctx.clients.target.clientId);

    /* ---- paging and methods ---- */
    add('bad number', c('GET list with count 0'), (ctx) => call(ctx, `${list(ctx)}?count=0`), bad);
    add('bad number', c('GET list with skip -1'), (ctx) => call(ctx, `${list(ctx)}?skip=-1`), bad);
    add('method', c('PATCH a client'), (ctx) => call(ctx, one(ctx), { method: 'PATCH', json: { Name: 'x' } }), { status: 405 });
    add('method', c('DELETE the collection'), (ctx) => call(ctx, list(ctx), { method: 'DELETE' }), { status: 405 });
    add('method', c('POST on a client'), (ctx) => call(ctx, one(ctx), { method: 'POST', json: valid }), { status: 405 });
  }

  /* ---- secrets: Hybrid clients only ---- */
  const hybridOne = (ctx: Ctx, id = ctx.clients.hybrid.clientId) => `/api/v1/Tenants/${ctx.a.tenantId}/HybridClients/${id}`;
  const acOne = (ctx: Ctx) => `/api/v1/Tenants/${ctx.a.tenantId}/AuthorizationCodeClients/${ctx.clients.authCode.clientId}`;
  const secret = (ctx: Ctx) => String(ctx.clients.hybrid.secrets[0].id);
  add('rule', 'AuthorizationCodeClients: POST a secret (it has none)', (ctx) => call(ctx, `${acOne(ctx)}/Secrets`, { method: 'POST', json: { Description: 'x' } }), notFound);
  add('rule', 'AuthorizationCodeClients: GET secrets (it has none)', (ctx) => call(ctx, `${acOne(ctx)}/Secrets`), notFound);
  const deviceOne = (ctx: Ctx) => `/api/v1/Tenants/${ctx.a.tenantId}/DeviceCodeClients/${ctx.clients.device.clientId}`;
  add('rule', 'DeviceCodeClients: POST a secret (it has none)', (ctx) => call(ctx, `${deviceOne(ctx)}/Secrets`, { method: 'POST', json: { Description: 'x' } }), notFound);
  add('rule', 'HybridClients: POST a secret for a Device Code client', (ctx) =>
    call(ctx, `${hybridOne(ctx, ctx.clients.device.clientId)}/Secrets`, { method: 'POST', json: { Description: 'x' } }), notFound);
  add('rule', 'HybridClients: POST a secret for an Authorization Code client', (ctx) =>
    call(ctx, `${hybridOne(ctx, ctx.clients.authCode.clientId)}/Secrets`, { method: 'POST', json: { Description: 'x' } }), notFound);
  add('rule', 'HybridClients: POST a secret for a client-credentials client', (ctx) =>
    call(ctx, `${hybridOne(ctx, ctx.clients.target.clientId)}/Secrets`, { method: 'POST', json: { Description: 'x' } }), notFound);
  add('other tenant', 'HybridClients: POST a secret for another tenant\'s Hybrid client', (ctx) =>
    call(ctx, `${hybridOne(ctx, ctx.clients.hybridB.clientId)}/Secrets`, { method: 'POST', json: { Description: 'x' } }), notFound);
  add('rule', 'HybridClients: DELETE a client-credentials client\'s secret', (ctx) =>
    call(ctx, `${hybridOne(ctx, ctx.clients.target.clientId)}/Secrets/${ctx.clients.target.secrets[0].id}`, { method: 'DELETE' }), notFound);
  add('other tenant', 'HybridClients: DELETE another tenant\'s secret under an own client', (ctx) =>
    call(ctx, `${hybridOne(ctx)}/Secrets/${ctx.clients.hybridB.secrets[0].id}`, { method: 'DELETE' }), notFound);
  add('rule', 'ClientCredentialClients: DELETE a Hybrid client\'s secret', (ctx) =>
    call(ctx, `/api/v1/Tenants/${ctx.a.tenantId}/ClientCredentialClients/${ctx.clients.hybrid.clientId}/Secrets/${secret(ctx)}`, { method: 'DELETE' }), notFound);
  const newSecret = (category: Category, name: string, body: unknown) =>
    add(category, `HybridClients: POST secret: ${name}`, (ctx) => call(ctx, `${hybridOne(ctx)}/Secrets`, { method: 'POST', json: body }), bad);
  newSecret('missing field', 'Expires true without an Expiration', { Expires: true });
  newSecret('rule', 'Expires false with an Expiration', { Expires: false, Expiration: '2099-01-01T00:00:00Z' });
  newSecret('bad date', 'Expiration in the past', { Expiration: '1999-12-31T23:59:59Z' });
  newSecret('wrong type', 'Expires "no"', { Expires: 'no' });
  newSecret('unicode', 'Description with a lone surrogate', { Description: '\ud800' });
  newSecret('array for object', 'an array body', [{ Description: 'x' }]);
  const getSecret = (category: Category, name: string, id: (ctx: Ctx) => string) =>
    add(category, `HybridClients: GET secret: ${name}`, (ctx) => call(ctx, `${hybridOne(ctx)}/Secrets/${id(ctx)}`), notFound);
  getSecret('wrong type', 'id "abc"', () => 'abc');
  getSecret('bad number', 'id -1', () => '-1');
  getSecret('bad number', 'id 99999999999', () => '99999999999');
  getSecret('other tenant', 'another tenant\'s secret under an own client', (ctx) => String(ctx.clients.hybridB.secrets[0].id));
  add('unicode', 'HybridClients: PUT secret: Description with a lone surrogate', (ctx) =>
    call(ctx, `${hybridOne(ctx)}/Secrets/${secret(ctx)}`, { method: 'PUT', json: { Description: 'a\udfffb' } }), bad);
  add('bad date', 'HybridClients: PUT secret: Expiration in the past', (ctx) =>
    call(ctx, `${hybridOne(ctx)}/Secrets/${secret(ctx)}`, { method: 'PUT', json: { Expiration: '2001-01-01T00:00:00Z' } }), bad);
  add('method', 'HybridClients: POST on a secret', (ctx) => call(ctx, `${hybridOne(ctx)}/Secrets/${secret(ctx)}`, { method: 'POST', json: {} }), { status: 405 });

  return cases;
}
