import { generateKeyPairSync, randomUUID } from 'node:crypto';
import type { ActionResult } from '@/lib/actions/result';
import type { SessionUser } from '@/lib/auth/users';
import { clientAdminActions } from '@/lib/clients/admin-actions';
import { newClientInput } from '@/lib/clients/test-helpers';
import { federationAdminActions } from '@/lib/clients/federated/admin-actions';
import { JWT_BEARER_ASSERTION } from '@/lib/tokens/client-assertion';
import type { Ctx } from './fixtures';
import { form, HUGE, send, SQLI, XSS, type Case, type Category, type Expectation, type HttpAnswer } from './support';

/*
 * Bad input to federated credentials: Add / Remove Federated Credential and Test a token (server actions), Add Client
 * with a Federated Credential, platform tokens at the token endpoint (with client_id), and the REST API's
 * FederatedCredentials. Globs, huge claims, unicode, private keys, private issuers.
 */
const TOKEN = '/identity/connect/token';
const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const PUBLIC_JWKS = JSON.stringify({ keys: [{ ...rsa.publicKey.export({ format: 'jwk' }), kid: 'k1' }] });
const PRIVATE_JWKS = JSON.stringify({ keys: [rsa.privateKey.export({ format: 'jwk' })] });

type Who = 'admin' | 'member' | 'otherAdmin';
const userOf = (ctx: Ctx, who: Who): SessionUser => (who === 'admin' ? ctx.a.admin : who === 'member' ? ctx.a.member : ctx.b.admin);

export function federatedCases(): Case<Ctx>[] {
  const cases: Case<Ctx>[] = [];
  const action = (
    category: Category,
    name: string,
    run: (a: ReturnType<typeof federationAdminActions> & ReturnType<typeof clientAdminActions>, ctx: Ctx) => Promise<ActionResult<unknown>>,
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
        return { kind: 'action', result: await run({ ...federationAdminActions(getUser), ...clientAdminActions(getUser) }, ctx) };
      },
    });

  /* ---- Add Federated Credential ---- */
  const good = (ctx: Ctx) => ({
    clientId: ctx.clients.target.clientId,
    preset: 'kubernetes',
    name: 'cluster',
    issuer: 'https://kubernetes.default.svc',
    audience: 'https://console.example/identity',
    subjectOperator: 'equals',
    subject: 'system:serviceaccount:ns:sa',
    keySource: 'pasted',
    jwks: PUBLIC_JWKS,
  });
  const add = (category: Category, name: string, change: (ctx: Ctx) => Record<string, unknown>, expect?: Expectation, who: Who = 'admin') =>
    action(category, `addFederatedCredential: ${name}`, (a, ctx) => a.addFederatedCredential({ ...good(ctx), ...change(ctx) }), expect, who);
  add('rule', 'a private key in the JWK Set', () => ({ jwks: PRIVATE_JWKS }), { field: 'jwks' });
  add('rule', 'a symmetric key in the JWK Set', () => ({ jwks: '{"keys":[{"kty":"oct","k":"c2VjcmV0"}]}' }), { field: 'jwks' });
  add('wrong type', 'jwks not JSON', () => ({ jwks: '{"keys":' }), { field: 'jwks' });
  add('wrong type', 'jwks a single key, not a set', () => ({ jwks: JSON.stringify(rsa.publicKey.export({ format: 'jwk' })) }), { field: 'jwks' });
  add('missing field', 'pasted keys without a JWK Set', () => ({ jwks: '' }), { field: 'jwks' });
  add('huge string', 'a JWK Set of 1 MB', () => ({ jwks: HUGE }), { field: 'jwks' });
  add('rule', 'an issuer on a private address, by discovery', () => ({ keySource: 'discovery', issuer: 'https://10.1.2.3' }), { field: 'issuer' });
  add('rule', 'an issuer on [::ffff:127.0.0.1], by discovery', () => ({ keySource: 'discovery', issuer: 'https://[::ffff:127.0.0.1]:8443' }), { field: 'issuer' });
  add('rule', 'an issuer over http, by discovery', () => ({ keySource: 'discovery', issuer: 'http://example.com' }), { field: 'issuer' });
  add('path traversal', 'a file: issuer', () => ({ issuer: 'file:///etc/passwd' }), { field: 'issuer' });
  add('wrong type', 'an issuer that is not a URL', () => ({ issuer: 'kubernetes' }), { field: 'issuer' });
  add('huge string', 'an issuer of 1 MB', () => ({ issuer: HUGE }), { field: 'issuer' });
  add('missing field', 'no subject', () => ({ subject: '' }), { field: 'subject' });
  add('huge string', 'a subject of 1 MB', () => ({ subject: HUGE }), { field: 'subject' });
  add('control character', 'a subject with a newline', () => ({ subject: 'system:serviceaccount:ns\nsa' }), { field: 'subject' });
  add('unicode', 'a subject with a lone surrogate', () => ({ subject: 'repo:\ud800' }), { field: 'subject' });
  add('rule', 'a subject glob of only wildcards', () => ({ subjectOperator: 'glob', subject: '*?*' }), { field: 'subject' });
  add('rule', 'a GitHub subject glob with a wildcard owner', () => ({ issuer: 'https://token.actions.githubusercontent.com', subjectOperator: 'glob', subject: 'repo:*/api:ref:refs/heads/main' }), { field: 'subject' });
  add('wrong type', 'subjectOperator "regex"', () => ({ subjectOperator: 'regex' }), { field: 'subjectOperator' });
  add('wrong type', 'preset "jenkins"', () => ({ preset: 'jenkins' }), { field: 'preset' });
  add('sql/html metacharacters', 'a name with HTML and SQL', () => ({ name: `${XSS}\u0000${SQLI}` }), { field: 'name' });
  add('huge string', 'an audience of 1 MB', () => ({ audience: HUGE }), { field: 'audience' });
  add('missing field', 'no audience', () => ({ audience: '   ' }), { field: 'audience' });
  add('wrong type', 'conditions an object', () => ({ conditions: { claim: 'x' } }), { field: 'conditions' });
  add('huge string', '21 conditions', () => ({ conditions: Array.from({ length: 21 }, (_, i) => ({ claim: `c${i}`, operator: 'equals', value: 'x' })) }), { field: 'conditions' });
  add('rule', 'a condition on sub', () => ({ conditions: [{ claim: 'sub', operator: 'equals', value: 'x' }] }), { field: 'conditions.0.claim' });
  add('wrong type', 'a condition operator "regex"', () => ({ conditions: [{ claim: 'ref', operator: 'regex', value: '.*' }] }), { field: 'conditions.0.operator' });
  add('rule', 'a condition glob of only wildcards', () => ({ conditions: [{ claim: 'ref', operator: 'glob', value: '**' }] }), { field: 'conditions.0.value' });
  add('huge string', 'a condition value of 1 MB', () => ({ conditions: [{ claim: 'ref', operator: 'equals', value: HUGE }] }), { field: 'conditions.0.value' });
  add('huge string', 'one of 51 values', () => ({ conditions: [{ claim: 'ref', operator: 'one_of', value: Array.from({ length: 51 }, (_, i) => `v${i}`).join(',') }] }), { field: 'conditions.0.value' });
  add('unicode', 'a claim name in Cyrillic', () => ({ conditions: [{ claim: 'реф', operator: 'equals', value: 'x' }] }), { field: 'conditions.0.claim' });
  add('control character', 'a condition value with a tab', () => ({ conditions: [{ claim: 'ref', operator: 'equals', value: 'a\tb' }] }), { field: 'conditions.0.value' });
  add('bad number', 'maxTokenAgeMinutes 0', () => ({ maxTokenAgeMinutes: '0' }), { field: 'maxTokenAgeMinutes' });
  add('bad number', 'maxTokenAgeMinutes 1e3', () => ({ maxTokenAgeMinutes: '1e3' }), { field: 'maxTokenAgeMinutes' });
  add('unicode', 'maxTokenAgeMinutes in full-width digits', () => ({ maxTokenAgeMinutes: '６０' }), { field: 'maxTokenAgeMinutes' });
  add('wrong type', 'singleUse "yes"', () => ({ singleUse: 'yes' }), { field: 'singleUse' });
  add('bad date', 'expiresAt in the past', () => ({ neverExpires: false, expiresAt: '2001-01-01T00:00:00Z' }), { field: 'expiresAt' });
  add('other tenant', 'another tenant\'s client', (ctx) => ({ clientId: ctx.clients.clientB.clientId }), { code: 'not_found' });
  add('not allowed', 'as a Tenant Member', () => ({}), { code: 'forbidden' }, 'member');
  add('non-guid id', 'clientId SQL', () => ({ clientId: SQLI }), { field: 'clientId' });
  // Nested claims: JSON Pointer paths.
  add('rule', 'a claim path with an empty level', () => ({ conditions: [{ claim: '/kubernetes.io//namespace', operator: 'equals', value: 'x' }] }), { field: 'conditions.0.claim' });
  add('rule', 'a claim path ending in /', () => ({ conditions: [{ claim: '/kubernetes.io/', operator: 'equals', value: 'x' }] }), { field: 'conditions.0.claim' });
  add('rule', 'a claim path with ~2', () => ({ conditions: [{ claim: '/a~2b', operator: 'equals', value: 'x' }] }), { field: 'conditions.0.claim' });
  add('huge string', 'a claim path 11 levels deep', () => ({ conditions: [{ claim: '/a'.repeat(11), operator: 'equals', value: 'x' }] }), { field: 'conditions.0.claim' });
  add('huge string', 'a claim path of 1 MB', () => ({ conditions: [{ claim: `/${HUGE}`, operator: 'equals', value: 'x' }] }), { field: 'conditions.0.claim' });
  add('rule', 'a one-level path to iss', () => ({ conditions: [{ claim: '/iss', operator: 'equals', value: 'x' }] }), { field: 'conditions.0.claim' });
  add('unicode', 'a claim path with an RTL override', () => ({ conditions: [{ claim: '/kubernetes.io/\u202enamespace', operator: 'equals', value: 'x' }] }), { field: 'conditions.0.claim' });
  // (A path such as /../x is only keys named ".." inside the token's claims, never a file: taken like any other.)
  add('path traversal', 'a claim path with backslashes', () => ({ conditions: [{ claim: '/..\\..\\windows\\win.ini', operator: 'equals', value: 'x' }] }), { field: 'conditions.0.claim' });
  add('sql/html metacharacters', 'a claim path with HTML', () => ({ conditions: [{ claim: `/${XSS}`, operator: 'equals', value: 'x' }] }), { field: 'conditions.0.claim' });

  /* ---- Edit Federated Credential ---- */
  const edit = (category: Category, name: string, change: (ctx: Ctx) => Record<string, unknown>, expect?: Expectation, who: Who = 'admin') =>
    action(category, `updateFederatedCredential: ${name}`, (a, ctx) => a.updateFederatedCredential({ ...good(ctx), credentialId: ctx.federatedCredentialId, enabled: true, ...change(ctx) }), expect, who);
  edit('non-guid id', 'an unknown id', () => ({ credentialId: 2 ** 31 - 1 }), { code: 'not_found' });
  edit('non-guid id', 'id "abc"', () => ({ credentialId: 'abc' }), { field: 'credentialId' });
  edit('bad number', 'id -1', () => ({ credentialId: -1 }), { field: 'credentialId' });
  edit('bad number', 'id 2^31', () => ({ credentialId: 2 ** 31 }), { field: 'credentialId' });
  edit('other tenant', 'another tenant\'s client', (ctx) => ({ clientId: ctx.clients.clientB.clientId }), { code: 'not_found' });
  edit('not allowed', 'as a Tenant Member', () => ({}), { code: 'forbidden' }, 'member');
  edit('not allowed', 'as another tenant\'s administrator', () => ({}), { code: 'not_found' }, 'otherAdmin');
  edit('wrong type', 'enabled "no"', () => ({ enabled: 'no' }), { field: 'enabled' });
  edit('wrong type', 'currentExpiresAt a number', () => ({ currentExpiresAt: 5 }), { field: 'currentExpiresAt' });
  edit('bad date', 'a new expiration in the past', () => ({ neverExpires: false, expiresAt: '2001-01-01T00:00:00Z', currentExpiresAt: '2002-01-01T00:00:00Z' }), { field: 'expiresAt' });
  edit('rule', 'a private key in the JWK Set', () => ({ jwks: PRIVATE_JWKS }), { field: 'jwks' });
  edit('rule', 'an issuer on a private address, by discovery', () => ({ keySource: 'discovery', issuer: 'https://169.254.169.254' }), { field: 'issuer' });
  edit('rule', 'a malformed claim path', () => ({ conditions: [{ claim: '/kubernetes.io/', operator: 'equals', value: 'x' }] }), { field: 'conditions.0.claim' });
  edit('huge string', 'a name of 1 MB', () => ({ name: HUGE }), { field: 'name' });
  edit('control character', 'a name with a NUL', () => ({ name: 'a\u0000b' }), { field: 'name' });
  edit('wrong type', 'conditions a string', () => ({ conditions: 'ref=main' }), { field: 'conditions' });

  action('non-guid id', 'removeFederatedCredential: id "abc"', (a, ctx) => a.removeFederatedCredential({ clientId: ctx.clients.target.clientId, credentialId: 'abc' }), { field: 'credentialId' });
  action('other tenant', 'removeFederatedCredential: another tenant\'s client', (a, ctx) => a.removeFederatedCredential({ clientId: ctx.clients.clientB.clientId, credentialId: 1 }), { code: 'not_found' });
  action('non-guid id', 'removeFederatedCredential: an unknown id', (a, ctx) => a.removeFederatedCredential({ clientId: ctx.clients.target.clientId, credentialId: 2 ** 31 - 1 }), { code: 'not_found' });

  /* ---- Test a token ---- */
  const testToken = (category: Category, name: string, token: unknown, expect?: Expectation, who: Who = 'admin', clientId?: (ctx: Ctx) => unknown) =>
    action(category, `testFederatedToken: ${name}`, (a, ctx) => a.testFederatedToken({ clientId: clientId ? clientId(ctx) : ctx.clients.target.clientId, token }), expect, who);
  testToken('missing field', 'empty', '', { field: 'token' });
  testToken('huge string', 'a token of 1 MB', HUGE, { field: 'token' });
  testToken('wrong type', 'a number', 42, { field: 'token' });
  testToken('wrong type', 'a JSON array', '[1,2]', { field: 'token' });
  testToken('invalid encoding', 'a JWT whose payload is not JSON', `${b64({ alg: 'RS256' })}.${Buffer.from('{oops').toString('base64url')}.AAAA`, { field: 'token' });
  testToken('sql/html metacharacters', 'HTML', XSS, { field: 'token' });
  testToken('other tenant', 'another tenant\'s client', '{}', { code: 'not_found' }, 'admin', (ctx) => ctx.clients.clientB.clientId);
  testToken('not allowed', 'as a Tenant Member', '{}', { code: 'forbidden' }, 'member');
  testToken('non-guid id', 'clientId SQL', '{}', { field: 'clientId' }, 'admin', () => SQLI);

  /* ---- Add Client with a Federated Credential ---- */
  action('missing field', 'createClient: federated without its fields', (a) => a.createClient(newClientInput({ credential: 'federated' })), { field: 'federated.name' });
  action('wrong type', 'createClient: federated a string', (a) => a.createClient(newClientInput({ credential: 'federated', federated: 'github' })), { field: 'federated' });
  action('rule', 'createClient: federated with a private JWK Set', (a, ctx) => a.createClient(newClientInput({ credential: 'federated', federated: { ...good(ctx), jwks: PRIVATE_JWKS } })), { field: 'federated.jwks' });

  /* ---- platform tokens at the token endpoint ---- */
  const http = (category: Category, name: string, run: (ctx: Ctx) => Promise<HttpAnswer>, expect: Expectation) =>
    cases.push({ surface: 'token', category, name, expect, run: async (ctx) => ({ kind: 'http', answer: await run(ctx) }) });
  const platform = (ctx: Ctx, claims: Record<string, unknown> = {}, header: Record<string, unknown> = { alg: 'RS256', kid: 'k1' }) => {
    const now = Math.floor(Date.now() / 1000);
    return `${b64(header)}.${b64({ iss: 'https://token.actions.githubusercontent.com', sub: 'repo:acme/api:ref:refs/heads/main', aud: ctx.identity, iat: now, exp: now + 300, jti: randomUUID(), ...claims })}.${'A'.repeat(342)}`;
  };
  const federatedToken = (category: Category, name: string, assertion: (ctx: Ctx) => string, clientId: (ctx: Ctx) => string = (ctx) => ctx.clients.victim.clientId, expect: Expectation = { status: 401 }) =>
    http(category, `platform token: ${name}`, (ctx) =>
      send(ctx.identity + TOKEN, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: form({ grant_type: 'client_credentials', client_id: clientId(ctx), client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: assertion(ctx) }),
      }),
    expect);
  federatedToken('bearer token', 'a forged RS256 signature', (ctx) => platform(ctx));
  federatedToken('bearer token', 'alg none', (ctx) => platform(ctx, {}, { alg: 'none' }).replace(/\.A+$/, '.'));
  federatedToken('bearer token', 'HS256', (ctx) => platform(ctx, {}, { alg: 'HS256' }));
  federatedToken('huge string', 'a claim of 4 KB', (ctx) => platform(ctx, { repository: 'x'.repeat(4000) }));
  federatedToken('unicode', 'a sub with a lone surrogate and RTL override', (ctx) => platform(ctx, { sub: 'repo:\ud800\u202e' }));
  federatedToken('wrong type', 'aud an object', (ctx) => platform(ctx, { aud: { a: 1 } }));
  federatedToken('sql/html metacharacters', 'iss with SQL and HTML', (ctx) => platform(ctx, { iss: `${SQLI}${XSS}` }));
  federatedToken('non-guid id', 'client_id SQL', (ctx) => platform(ctx), () => SQLI);
  federatedToken('non-guid id', 'an unknown client_id', (ctx) => platform(ctx), () => randomUUID());
  federatedToken('huge string', 'a token over the body limit', () => 'a'.repeat(9000), undefined, { status: 413 });

  /* ---- REST API: FederatedCredentials ---- */
  const path = (ctx: Ctx, clientId = ctx.clients.target.clientId) => `/api/v1/Tenants/${ctx.a.tenantId}/ClientCredentialClients/${clientId}/FederatedCredentials`;
  const api = (category: Category, name: string, run: (ctx: Ctx) => Promise<HttpAnswer>, expect: Expectation) =>
    cases.push({ surface: 'api', category, name, expect, run: async (ctx) => ({ kind: 'http', answer: await run(ctx) }) });
  const call = (ctx: Ctx, p: string, init: { method?: string; json?: unknown } = {}) =>
    send(ctx.api + p, {
      method: init.method ?? 'GET',
      headers: { Authorization: `Bearer ${ctx.tokens.a}`, ...(init.json !== undefined ? { 'Content-Type': 'application/json' } : {}) },
      body: init.json !== undefined ? JSON.stringify(init.json) : undefined,
    });
  const base = { Name: 'cluster', Issuer: 'https://kubernetes.default.svc', Subject: 'system:serviceaccount:ns:sa', Jwks: JSON.parse(PUBLIC_JWKS) };
  const post = (category: Category, name: string, body: unknown, expect: Expectation = { status: 400 }, clientId?: (ctx: Ctx) => string) =>
    api(category, `POST federated credential: ${name}`, (ctx) => call(ctx, path(ctx, clientId?.(ctx)), { method: 'POST', json: body }), expect);
  post('rule', 'a private key in Jwks', { ...base, Jwks: JSON.parse(PRIVATE_JWKS) });
  post('rule', 'a private issuer without Jwks', { ...base, Jwks: undefined, Issuer: 'https://192.168.0.10' });
  post('wrong type', 'Conditions a string', { ...base, Conditions: 'ref=main' });
  post('array for object', 'Jwks an array', { ...base, Jwks: [1] });
  post('wrong type', 'Operator "Regex"', { ...base, Conditions: [{ Claim: 'ref', Operator: 'Regex', Values: ['.*'] }] });
  post('wrong type', 'Values a number', { ...base, Conditions: [{ Claim: 'ref', Operator: 'Equals', Values: 5 }] });
  post('rule', 'SubjectMatch "Regex"', { ...base, SubjectMatch: 'Regex' });
  post('rule', 'a subject glob of only *', { ...base, SubjectMatch: 'Glob', Subject: '*' });
  post('bad number', 'MaxTokenAgeMinutes 100000', { ...base, MaxTokenAgeMinutes: 100000 });
  post('bad date', 'Expiration in the past', { ...base, Expiration: '1999-12-31T23:59:59Z' });
  post('unicode', 'a Name of only a zero-width space', { ...base, Name: '\u200b' });
  post('oversized body', 'a Subject over 32 KiB', { ...base, Subject: 's'.repeat(40_000) }, { status: 413 });
  post('other tenant', 'on another tenant\'s client', base, { status: 404 }, (ctx) => ctx.clients.clientB.clientId);
  api('non-guid id', 'GET federated credential: id "abc"', (ctx) => call(ctx, `${path(ctx)}/abc`), { status: 404 });
  api('other tenant', 'GET federated credentials: another tenant\'s client', (ctx) => call(ctx, path(ctx, ctx.clients.clientB.clientId)), { status: 404 });
  api('other tenant', 'DELETE federated credential: another tenant\'s client', (ctx) => call(ctx, `${path(ctx, ctx.clients.clientB.clientId)}/1`, { method: 'DELETE' }), { status: 404 });
  api('method', 'PATCH federated credential', (ctx) => call(ctx, `${path(ctx)}/1`, { method: 'PATCH', json: {} }), { status: 405 });

  /* ---- REST API: PUT .../FederatedCredentials/{id} (the fixtures' credential on `target`) ---- */
  const put = (category: Category, name: string, body: unknown, expect: Expectation = { status: 400 }, target?: (ctx: Ctx, id: number) => string) =>
    api(category, `PUT federated credential: ${name}`, (ctx) =>
      call(ctx, target ? target(ctx, ctx.federatedCredentialId) : `${path(ctx)}/${ctx.federatedCredentialId}`, { method: 'PUT', json: body }), expect);
  put('array for object', 'a JSON array', [{ Name: 'x' }]);
  put('wrong type', 'Enabled "no"', { Enabled: 'no' });
  put('wrong type', 'Conditions a string', { Conditions: 'ref=main' });
  put('rule', 'a malformed claim path', { Conditions: [{ Claim: '/kubernetes.io/', Operator: 'Equals', Values: ['x'] }] });
  put('rule', 'a private key in Jwks', { Jwks: JSON.parse(PRIVATE_JWKS) });
  put('rule', 'Jwks null with a private issuer (discovery)', { Jwks: null });
  put('bad date', 'Expiration in the past', { Expiration: '1999-12-31T23:59:59Z' });
  put('bad date', 'Expires true without Expiration', { Expires: true });
  put('unicode', 'a Name of only a zero-width space', { Name: '\u200b' });
  put('oversized body', 'a Subject over 32 KiB', { Subject: 's'.repeat(40_000) }, { status: 413 });
  put('non-guid id', 'an unknown id', { Name: 'x' }, { status: 404 }, (ctx) => `${path(ctx)}/2147483647`);
  put('non-guid id', 'id "abc"', { Name: 'x' }, { status: 404 }, (ctx) => `${path(ctx)}/abc`);
  put('other tenant', 'on another tenant\'s client', { Name: 'x' }, { status: 404 }, (ctx, id) => `${path(ctx, ctx.clients.clientB.clientId)}/${id}`);

  /* ---- REST API: POST ClientCredentialClients with a federated credential or a public key instead of a secret ---- */
  const clients = (ctx: Ctx) => `/api/v1/Tenants/${ctx.a.tenantId}/ClientCredentialClients`;
  const create = (category: Category, name: string, body: Record<string, unknown>, expect: Expectation = { status: 400 }) =>
    api(category, `POST client: ${name}`, (ctx) => call(ctx, clients(ctx), { method: 'POST', json: { Name: 'secretless', ...body } }), expect);
  create('wrong type', 'FederatedCredential a string', { FederatedCredential: 'github' });
  create('array for object', 'FederatedCredential an array', { FederatedCredential: [base] });
  create('missing field', 'FederatedCredential empty', { FederatedCredential: {} });
  create('rule', 'FederatedCredential with a private issuer and no Jwks', { FederatedCredential: { ...base, Jwks: undefined, Issuer: 'https://10.0.0.1' } });
  create('rule', 'FederatedCredential with a malformed claim path', { FederatedCredential: { ...base, Conditions: [{ Claim: '//', Operator: 'Equals', Values: ['x'] }] } });
  create('rule', 'FederatedCredential and PublicKey both', { FederatedCredential: base, PublicKey: { Key: PUBLIC_JWKS } });
  create('rule', 'FederatedCredential with SecretExpirationDate', { FederatedCredential: base, SecretExpirationDate: null });
  create('wrong type', 'PublicKey a number', { PublicKey: 5 });
  create('missing field', 'PublicKey without Key', { PublicKey: { Description: 'x' } });
  create('rule', 'PublicKey a private key', { PublicKey: { Key: JSON.parse(PRIVATE_JWKS).keys[0] } });
  create('rule', 'PublicKey with a JwksUrl', { PublicKey: { JwksUrl: 'https://example.com/jwks' } });
  create('huge string', 'PublicKey Key of 1 MB', { PublicKey: { Key: 'A'.repeat(30_000) } });
  create('bad date', 'PublicKey Expiration in the past', { PublicKey: { Key: PUBLIC_JWKS, Expiration: '2001-01-01T00:00:00Z' } });
  return cases;
}
