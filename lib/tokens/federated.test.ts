import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { and, desc, eq } from 'drizzle-orm';
import { createRemoteJWKSet, jwtVerify, SignJWT, base64url } from 'jose';
import type { DbHandle } from '../db';
import { auditEvents, clientFederatedCredentials } from '../db/schema';
import { actorFromUser } from '../actions/admin-action';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient } from '../testing/clients';
import { addFederatedCredentialSchema, testTokenSchema, updateFederatedCredentialSchema } from '../clients/federated/federated-credential.schema';
import { testFederatedToken } from '../clients/federated/test-token';
import { addFederatedCredential, removeFederatedCredential, updateFederatedCredential } from '../clients/federated/credentials';
import { federationAdminActions } from '../clients/federated/admin-actions';
import { clearIssuerKeyCache } from './federation/issuer-keys';
import { startTestIssuer, issuerKey, type TestIssuer } from '../clients/federated/testing/test-issuer';
import { CLIENT_CHANGED_CHANNEL } from './invalidation';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';
import { JWT_BEARER_ASSERTION } from './client-assertion';

let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let t: TestTenant;
let srv: Awaited<ReturnType<typeof startIdentityServer>>;
let gh: TestIssuer;
let k8s: TestIssuer;
/** The token service's clock runs this far ahead: lets a test step past the 30 s refetch limit of a key set. */
let clockOffset = 0;

beforeAll(async () => {
  process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK = '1';
  db = await createIsolatedDb();
  h = db.handle;
  t = await createTestTenant(h.db, 'Federated');
  srv = await startIdentityServer(h, { throttleMaxFailures: 1000, now: () => Date.now() + clockOffset });
  gh = await startTestIssuer();
  k8s = await startTestIssuer();
});
afterAll(async () => {
  await srv?.close();
  await gh?.close();
  await k8s?.close();
  await db?.drop();
});
beforeEach(() => {
  process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK = '1';
  clockOffset = 0;
});

const actor = () => actorFromUser(t.admin);
const audience = () => srv.issuer;

/** A client with no secret, holding Tenant Contributor, and one federated credential. */
async function federatedClient(fields: Record<string, unknown>) {
  const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [], roleTypes: ['tenant_contributor'], tokenLifetime: 600 });
  const input = addFederatedCredentialSchema.parse({ clientId: c.clientId, name: 'deploy', audience: audience(), ...fields });
  const added = await addFederatedCredential(h.db, actor(), input);
  if (!added.ok) throw new Error(`credential refused: ${JSON.stringify(added)}`);
  return { clientId: c.clientId, credentialId: added.data.credentialId };
}

const githubCredential = (extra: Record<string, unknown> = {}) => ({
  preset: 'github_actions',
  issuer: gh.issuer,
  subjectOperator: 'glob',
  subject: 'repo:acme/*:ref:refs/heads/main',
  conditions: [{ claim: 'repository_owner', operator: 'equals', value: 'acme' }, { claim: 'runner_environment', operator: 'one_of', value: 'github-hosted, self-hosted' }],
  ...extra,
});

async function token(clientId: string, assertion: string, extra: Record<string, string> = {}) {
  const res = await fetch(`${srv.issuer}/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: assertion, ...extra }),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

const INVALID_CLIENT = { status: 401, json: { error: 'invalid_client', error_description: 'Client authentication failed.' } };

async function lastFailure(credentialId: number) {
  await srv.service.federatedFailures.flush();
  const [row] = await h.db.select().from(clientFederatedCredentials).where(eq(clientFederatedCredentials.id, credentialId));
  return row.lastFailureReason;
}

describe('GitHub Actions tokens', () => {
  it('a matching token gets an access token that verifies against our JWKS and carries the client\'s roles', async () => {
    const c = await federatedClient(githubCredential());
    const res = await token(c.clientId, await gh.github(audience()));
    expect(res.status).toBe(200);
    const { payload } = await jwtVerify(res.json.access_token as string, createRemoteJWKSet(new URL(`${srv.issuer}/.well-known/openid-configuration/jwks`)), {
      issuer: srv.issuer,
    });
    expect(payload).toMatchObject({ sub: c.clientId, client_id: c.clientId, tenant_id: t.tenantId });
    expect(payload.role).toEqual(expect.arrayContaining(['Tenant Member', 'Tenant Contributor']));
    expect(res.json.expires_in).toBe(600);
    await srv.service.federatedLastUsed.flush();
    const [row] = await h.db.select().from(clientFederatedCredentials).where(eq(clientFederatedCredentials.id, c.credentialId));
    expect(row.lastUsedAt).not.toBeNull();
  });

  it('refuses each bad token with the same invalid_client, and records why (never the token)', async () => {
    const c = await federatedClient(githubCredential());
    const other = await issuerKey('RS256', gh.current().kid);
    const now = Math.floor(Date.now() / 1000);
    const publicKeyAsSecret = new TextEncoder().encode(JSON.stringify(gh.current().publicJwk));
    const [h64, p64] = (await gh.github(audience())).split('.');
    const noneHeader = base64url.encode(JSON.stringify({ alg: 'none', typ: 'JWT' }));
    const cases: [string, string, RegExp][] = [
      ['wrong aud', await gh.github('https://elsewhere.example'), /^aud https:\/\/elsewhere\.example does not contain /],
      ['wrong iss', await gh.github(audience(), { iss: 'https://token.actions.githubusercontent.com' }), /no federated credential of this client has the issuer/],
      ['expired', await gh.github(audience(), { iat: now - 900, nbf: now - 900, exp: now - 300 }), /^the token expired at /],
      ['too old', await gh.github(audience(), { iat: now - 7200, nbf: now - 7200, exp: now + 300 }), /^the token is 120 minutes old \(at most 60 allowed\)$/],
      ['sub outside the glob', await gh.github(audience(), { ref: 'refs/heads/dev' }), /^sub repo:acme\/api:ref:refs\/heads\/dev did not match repo:acme\/\*:ref:refs\/heads\/main$/],
      ['failing extra condition', await gh.github(audience(), { runner_environment: 'elsewhere' }), /^runner_environment elsewhere is not one of github-hosted, self-hosted$/],
      ['signed by another key', await gh.sign({ ...JSON.parse(Buffer.from(p64, 'base64url').toString()), jti: crypto.randomUUID() }, { key: other }), /^the signature did not verify with the issuer's keys/],
      ['alg none', `${noneHeader}.${p64}.`, /^the token's algorithm none is not accepted/],
      ['HMAC with the public key as secret', await new SignJWT(JSON.parse(Buffer.from(p64, 'base64url').toString())).setProtectedHeader({ alg: 'HS256', kid: gh.current().kid }).sign(publicKeyAsSecret), /^the token's algorithm HS256 is not accepted/],
      ['garbage', `${h64}.not-json.xyz`, /^the token is not a signed JWT$/],
    ];
    for (const [label, assertion, reason] of cases) {
      expect(await token(c.clientId, assertion), label).toEqual(INVALID_CLIENT);
      await srv.service.federatedFailures.flush();
      const [event] = await h.db
        .select()
        .from(auditEvents)
        .where(and(eq(auditEvents.targetId, c.clientId), eq(auditEvents.action, 'client.federated_auth_failed')))
        .orderBy(desc(auditEvents.id))
        .limit(1);
      const reasons = (event.details as { reasons: { reason: string }[] }).reasons.map((r) => r.reason);
      expect(reasons.some((r) => reason.test(r)), `${label}: ${reasons.join(' | ')}`).toBe(true);
      expect(JSON.stringify(event.details)).not.toContain(assertion.split('.')[2] || 'x'.repeat(50));
    }
    expect(await lastFailure(c.credentialId)).toMatch(/^the token's algorithm|^the token is not a signed JWT|sub |runner_environment|signature/);
    // Still works with a good token.
    expect((await token(c.clientId, await gh.github(audience()))).status).toBe(200);
  });

  it('refuses a replayed jti, also at another instance on the same database', async () => {
    const c = await federatedClient(githubCredential());
    const once = await gh.github(audience());
    expect((await token(c.clientId, once)).status).toBe(200);
    expect(await token(c.clientId, once)).toEqual(INVALID_CLIENT);
    expect(await lastFailure(c.credentialId)).toBe('the token was already used (its jti was presented before)');
    const other = await db.connectAgain();
    const second = await startIdentityServer(other);
    try {
      const fresh = await gh.github([audience(), second.issuer] as unknown as string);
      expect((await token(c.clientId, fresh)).status).toBe(200);
      const res = await fetch(`${second.issuer}/connect/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: fresh }),
      });
      expect(res.status).toBe(401);
    } finally {
      await second.close();
    }
  });

  it('picks up the issuer\'s key rotation (a new kid)', async () => {
    clearIssuerKeyCache();
    const c = await federatedClient(githubCredential());
    expect((await token(c.clientId, await gh.github(audience()))).status).toBe(200);
    await gh.rotate();
    // Within 30 s of the last fetch the set is not fetched again for an unknown kid; after that it is.
    clockOffset = 31_000;
    expect((await token(c.clientId, await gh.github(audience()))).status).toBe(200);
    expect(gh.requests.filter((r) => r.endsWith('/jwks')).length).toBeGreaterThanOrEqual(2);
  });

  it('openid-client\'s clientCredentialsGrant with a custom client authentication sending the platform token', async () => {
    const c = await federatedClient(githubCredential());
    const platformToken = await gh.github(audience());
    const federatedAuth: oidc.ClientAuth = (_as, client, body) => {
      body.set('client_id', client.client_id);
      body.set('client_assertion_type', JWT_BEARER_ASSERTION);
      body.set('client_assertion', platformToken);
    };
    const config = await oidc.discovery(new URL(srv.issuer), c.clientId, undefined, federatedAuth, { execute: [oidc.allowInsecureRequests] });
    const tokens = await oidc.clientCredentialsGrant(config, { scope: 'api' });
    expect(tokens.token_type.toLowerCase()).toBe('bearer');
    const { payload } = await jwtVerify(tokens.access_token, createRemoteJWKSet(new URL(config.serverMetadata().jwks_uri!)), { issuer: srv.issuer });
    expect(payload.client_id).toBe(c.clientId);
  });

  it('a removed credential, an expired one and a disabled client get nothing', async () => {
    const c = await federatedClient(githubCredential());
    await removeFederatedCredential(h.db, actor(), { clientId: c.clientId, credentialId: c.credentialId });
    await expect.poll(async () => (await token(c.clientId, await gh.github(audience()))).status).toBe(401);
    const d = await federatedClient(githubCredential({ neverExpires: false, expiresAt: new Date(Date.now() + 60_000).toISOString() }));
    expect((await token(d.clientId, await gh.github(audience()))).status).toBe(200);
    await h.db.update(clientFederatedCredentials).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(clientFederatedCredentials.id, d.credentialId));
    await h.notify(CLIENT_CHANGED_CHANNEL, d.clientId);
    await expect.poll(async () => (await token(d.clientId, await gh.github(audience()))).status).toBe(401);
    expect(await lastFailure(d.credentialId)).toBe('the federated credential has expired');
  });
});

describe('Kubernetes service-account tokens', () => {
  it('a projected token from a cluster with a pasted JWKS gets a token, and may be presented again', async () => {
    const c = await federatedClient({
      preset: 'kubernetes',
      issuer: k8s.issuer,
      subject: 'system:serviceaccount:payments:api',
      keySource: 'pasted',
      jwks: JSON.stringify(k8s.jwks()),
      singleUse: false,
    });
    const projected = await k8s.kubernetes(audience());
    expect((await token(c.clientId, projected)).status).toBe(200);
    expect((await token(c.clientId, projected)).status).toBe(200);
    expect(await token(c.clientId, await k8s.kubernetes(audience(), 'payments', 'other'))).toEqual(INVALID_CLIENT);
    expect(await lastFailure(c.credentialId)).toBe('sub system:serviceaccount:payments:other is not system:serviceaccount:payments:api');
    // Pasted keys only: the cluster's discovery was never fetched.
    expect(k8s.requests).toEqual([]);
  });
});

describe('nested claims and Edit Federated Credential at the token endpoint', () => {
  it('conditions on /kubernetes.io/... paths hold for a real-shaped projected token; an edit (conditions, disabled, enabled) applies at once', async () => {
    const c = await federatedClient({
      preset: 'kubernetes',
      issuer: k8s.issuer,
      subjectOperator: 'glob',
      subject: 'system:serviceaccount:payments:*',
      conditions: [
        { claim: '/kubernetes.io/namespace', operator: 'equals', value: 'payments' },
        { claim: '/kubernetes.io/serviceaccount/name', operator: 'one_of', value: 'api, worker' },
      ],
      keySource: 'pasted',
      jwks: JSON.stringify(k8s.jwks()),
      singleUse: false,
    });
    expect((await token(c.clientId, await k8s.kubernetes(audience(), 'payments', 'worker'))).status).toBe(200);
    expect(await token(c.clientId, await k8s.kubernetes(audience(), 'payments', 'cron'))).toEqual(INVALID_CLIENT);
    expect(await lastFailure(c.credentialId)).toBe('/kubernetes.io/serviceaccount/name cron is not one of api, worker');

    const edit = (over: Record<string, unknown>) =>
      updateFederatedCredential(h.db, actor(), updateFederatedCredentialSchema.parse({
        clientId: c.clientId, credentialId: c.credentialId, name: 'deploy', audience: audience(), preset: 'kubernetes', issuer: k8s.issuer,
        subjectOperator: 'glob', subject: 'system:serviceaccount:payments:*', keySource: 'pasted', jwks: JSON.stringify(k8s.jwks()), singleUse: false,
        conditions: [{ claim: '/kubernetes.io/serviceaccount/name', operator: 'one_of', value: 'api, worker, cron' }],
        ...over,
      }));
    expect(await edit({})).toMatchObject({ ok: true, data: { changed: ['conditions'] } });
    await expect.poll(async () => (await token(c.clientId, await k8s.kubernetes(audience(), 'payments', 'cron'))).status).toBe(200);
    expect(await edit({ enabled: false })).toMatchObject({ ok: true, data: { changed: ['enabled'] } });
    await expect.poll(async () => (await token(c.clientId, await k8s.kubernetes(audience(), 'payments', 'api'))).status).toBe(401);
    expect(await lastFailure(c.credentialId)).toBe('the federated credential is disabled');
    expect(await edit({ enabled: true })).toMatchObject({ ok: true, data: { changed: ['enabled'] } });
    await expect.poll(async () => (await token(c.clientId, await k8s.kubernetes(audience(), 'payments', 'api'))).status).toBe(200);
  });
});

describe('issuers on private addresses', () => {
  it('are refused for discovery (at the field, and at the token endpoint), and work with a pasted JWKS', async () => {
    delete process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK;
    const privateIssuer = gh.issuer.replace('http://', 'https://');
    const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [] });
    const refused = await addFederatedCredential(h.db, actor(), addFederatedCredentialSchema.parse({
      clientId: c.clientId, name: 'private', issuer: privateIssuer, audience: audience(), subject: 'x-sub', preset: 'oidc',
    }));
    expect(refused).toMatchObject({ ok: false, fieldErrors: { issuer: 'The issuer points to a private or local network address: paste its JWK Set instead.' } });
    // Stored anyway (say by an older version): the token endpoint refuses, and says why.
    const [row] = await h.db
      .insert(clientFederatedCredentials)
      .values({ clientId: c.clientId, name: 'direct', preset: 'oidc', issuer: privateIssuer, audience: audience(), subject: 'repo:acme/api:ref:refs/heads/main', subjectOperator: 'equals', createdBy: 'test' })
      .returning();
    clearIssuerKeyCache();
    const before = gh.requests.length;
    expect(await token(c.clientId, await gh.github(audience(), { iss: privateIssuer }))).toEqual(INVALID_CLIENT);
    expect(await lastFailure(row.id)).toBe('the issuer\'s keys could not be fetched: The issuer points to a private or local network address: paste its JWK Set instead.');
    expect(gh.requests.length).toBe(before);
    // With the issuer's JWK Set pasted, the same issuer works.
    const pasted = await federatedClient({ issuer: privateIssuer, subject: 'repo:acme/api:ref:refs/heads/main', keySource: 'pasted', jwks: JSON.stringify(gh.jwks()) });
    expect((await token(pasted.clientId, await gh.github(audience(), { iss: privateIssuer }))).status).toBe(200);
  });
});

describe('Test a token', () => {
  it('shows each credential\'s checks for a token and for bare claims; stores nothing', async () => {
    const c = await federatedClient(githubCredential());
    const test = (input: { clientId: string; token: string }, as = actor()) => testFederatedToken(h.db, as, testTokenSchema.parse(input));
    const auditBefore = (await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.clientId))).length;
    const good = await test({ clientId: c.clientId, token: await gh.github(audience()) });
    expect(good).toMatchObject({ ok: true, data: { kind: 'token', credentials: [{ name: 'deploy', accepted: true, signature: { status: 'pass' } }] } });
    const bad = await test({ clientId: c.clientId, token: await gh.github(audience(), { ref: 'refs/heads/dev' }) });
    if (!bad.ok) throw new Error('expected a result');
    const subject = bad.data.credentials[0].checks.find((x) => x.check === 'subject');
    expect(subject).toMatchObject({ ok: false, detail: 'sub repo:acme/api:ref:refs/heads/dev did not match repo:acme/*:ref:refs/heads/main' });
    expect(bad.data.credentials[0].accepted).toBe(false);
    const claims = await test({ clientId: c.clientId, token: JSON.stringify({ iss: gh.issuer, sub: 'repo:acme/web:ref:refs/heads/main', aud: audience(), exp: 9999999999, iat: Math.floor(Date.now() / 1000), repository_owner: 'acme', runner_environment: 'self-hosted' }) });
    expect(claims).toMatchObject({ ok: true, data: { kind: 'claims', credentials: [{ accepted: false, signature: { status: 'not_checked' } }] } });
    if (claims.ok) expect(claims.data.credentials[0].checks.every((x) => x.ok)).toBe(true);
    expect(await test({ clientId: c.clientId, token: 'nonsense' })).toMatchObject({ ok: false, fieldErrors: { token: expect.any(String) } });
    // Another tenant's administrator: not found.
    const other = await createTestTenant(h.db, 'Federated other');
    expect(await test({ clientId: c.clientId, token: '{}' }, actorFromUser(other.admin))).toMatchObject({ ok: false, code: 'not_found' });
    expect(await federationAdminActions(async () => t.member).testFederatedToken({ clientId: c.clientId, token: '{}' })).toMatchObject({ ok: false, code: 'forbidden' });
    expect((await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.clientId))).length).toBe(auditBefore);
  });
});
