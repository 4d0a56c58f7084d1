import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clientSecrets } from '../db/schema';
import { createTestClient } from '../testing/clients';
import { createTestDb } from '../testing/db';
import { updateCredentialPolicy } from '../policy/credential-policy';
import { issuerKey, startTestIssuer, type TestIssuer } from '../clients/federated/testing/test-issuer';
import { JWT_BEARER_ASSERTION } from '../tokens/client-assertion';
import { startApiTestServer } from './testing/api-server';
import { apiClient, apiTenant, type ApiServer } from './testing/fixtures';
import type { ApiErrorBody as ErrorBody } from '../http/api-answers';

let h: DbHandle;
let srv: ApiServer;
let api: ReturnType<typeof apiClient>;
let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let token: string;
let gh: TestIssuer;

type Federated = { Id: number; Name: string; Issuer: string; Audience: string; SubjectMatch: string; KeySource: string; KeyIds: string[]; Conditions: unknown[]; LastFailureReason: string | null };

const path = (tenantId: string, clientId: string) => `/api/v1/Tenants/${tenantId}/ClientCredentialClients/${clientId}/FederatedCredentials`;

beforeAll(async () => {
  process.env.JWKS_URL_ALLOW_HTTP_LOOPBACK = '1';
  h = await createTestDb();
  srv = await startApiTestServer(h);
  api = apiClient(srv);
  t = await apiTenant(h, 'Federated API');
  other = await apiTenant(h, 'Federated API other');
  token = await api.tokenFor(t.adminClient);
  gh = await startTestIssuer();
});
afterAll(async () => {
  await gh?.close();
  await srv?.close();
  await h?.close();
});

describe('FederatedCredentials', () => {
  it('POST (discovery), GET, a token with it, DELETE; the default audience is this server\'s issuer', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [] });
    const created = await api.call('POST', path(t.tenantId, c.clientId), {
      token,
      json: {
        Name: 'deploy-main',
        Preset: 'github_actions',
        Issuer: gh.issuer,
        Subject: 'repo:acme/*:ref:refs/heads/main',
        SubjectMatch: 'Glob',
        Conditions: [{ Claim: 'runner_environment', Operator: 'OneOf', Values: ['github-hosted', 'self-hosted'] }],
      },
    });
    expect(created.status).toBe(201);
    const body = created.body as Federated;
    expect(body).toMatchObject({ Name: 'deploy-main', Audience: srv.issuer, SubjectMatch: 'Glob', KeySource: 'Discovery' });
    expect(created.headers.get('location')).toBe(`${path(t.tenantId, c.clientId)}/${body.Id}`);

    const res = await fetch(`${srv.issuer}/connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: c.clientId, client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: await gh.github(srv.issuer) }),
    });
    expect(res.status).toBe(200);

    const list = await api.call('GET', path(t.tenantId, c.clientId), { token });
    expect(list.headers.get('total-count')).toBe('1');
    expect((await api.call('GET', `${path(t.tenantId, c.clientId)}/${body.Id}`, { token })).status).toBe(200);
    expect((await api.call('GET', `${path(other.tenantId, c.clientId)}/${body.Id}`, { token })).status).toBe(403);
    expect((await api.call('GET', `${path(t.tenantId, c.clientId)}/999999`, { token })).status).toBe(404);
    expect((await api.call('DELETE', `${path(t.tenantId, c.clientId)}/${body.Id}`, { token })).status).toBe(204);
    const actions = (await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.clientId))).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['federated_credential.added', 'federated_credential.removed']));
  });

  it('400 with the API\'s field names; a pasted Jwks object; a private issuer without Jwks', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [] });
    const bad = await api.call('POST', path(t.tenantId, c.clientId), {
      token,
      json: { Name: '', Issuer: 'not a url', Subject: 'x', SubjectMatch: 'Regex', Conditions: [{ Claim: 'ref', Operator: 'Like', Values: [] }], Expires: true },
    });
    expect(bad.status).toBe(400);
    expect((bad.body as ErrorBody).Errors).toMatchObject({
      Name: 'Enter a name.',
      Issuer: expect.stringMatching(/^Enter the issuer as a full URL/),
      SubjectMatch: 'SubjectMatch must be Exact or Glob.',
      'Conditions[0].Operator': 'Choose Equals, Matches glob or One of.',
      Expiration: 'Give an Expiration when Expires is true.',
    });
    const key = await issuerKey('ES256', 'k8s-1');
    const pasted = await api.call('POST', path(t.tenantId, c.clientId), {
      token,
      json: { Name: 'cluster', Preset: 'kubernetes', Issuer: 'https://10.0.0.1:6443', Subject: 'system:serviceaccount:ns:sa', Jwks: { keys: [key.publicJwk] }, SingleUse: false },
    });
    expect(pasted.status).toBe(201);
    expect(pasted.body).toMatchObject({ KeySource: 'Pasted', KeyIds: ['k8s-1'] });
    const privateIssuer = await api.call('POST', path(t.tenantId, c.clientId), {
      token,
      json: { Name: 'cluster-2', Issuer: 'https://10.0.0.1:6443', Subject: 'system:serviceaccount:ns:sa' },
    });
    expect(privateIssuer.status).toBe(400);
    expect((privateIssuer.body as ErrorBody).Errors).toEqual({ Issuer: 'The issuer points to a private or local network address: paste its JWK Set instead.' });
  });

  it('PUT edits a credential: fields left out keep their values (a pasted Jwks too), Enabled, nested claims; 400 with the API\'s names; audited', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [] });
    const key = await issuerKey('ES256', 'k8s-put');
    const created = await api.call('POST', path(t.tenantId, c.clientId), {
      token,
      json: { Name: 'cluster', Preset: 'kubernetes', Issuer: 'https://10.0.0.1:6443', Subject: 'system:serviceaccount:payments:api', Jwks: { keys: [key.publicJwk] }, SingleUse: false },
    });
    const id = (created.body as Federated).Id;
    const item = `${path(t.tenantId, c.clientId)}/${id}`;
    const edited = await api.call('PUT', item, {
      token,
      json: {
        Subject: 'system:serviceaccount:payments:*',
        SubjectMatch: 'Glob',
        Conditions: [{ Claim: '/kubernetes.io/serviceaccount/name', Operator: 'OneOf', Values: ['api', 'worker'] }],
        Enabled: false,
        Expiration: '2099-01-01T00:00:00Z',
      },
    });
    expect(edited.status).toBe(200);
    expect(edited.body).toMatchObject({
      Name: 'cluster',
      Issuer: 'https://10.0.0.1:6443',
      Subject: 'system:serviceaccount:payments:*',
      SubjectMatch: 'Glob',
      Conditions: [{ Claim: '/kubernetes.io/serviceaccount/name', Operator: 'OneOf', Values: ['api', 'worker'] }],
      KeySource: 'Pasted',
      KeyIds: ['k8s-put'],
      SingleUse: false,
      Enabled: false,
      Expires: true,
      Expiration: '2099-01-01T00:00:00.000Z',
    });
    expect((await api.call('PUT', item, { token, json: { Expires: false, Enabled: true } })).body).toMatchObject({ Expires: false, Expiration: null, Enabled: true });
    const bad = await api.call('PUT', item, { token, json: { Name: '', Enabled: 'no', Conditions: [{ Claim: '/kubernetes.io//x', Operator: 'Equals', Values: ['a'] }], Jwks: null } });
    expect(bad.status).toBe(400);
    expect((bad.body as ErrorBody).Errors).toMatchObject({
      Name: 'Enter a name.',
      Enabled: 'Enabled must be true or false.',
      'Conditions[0].Claim': expect.stringMatching(/^A path to a nested claim/),
    });
    // Jwks null: discovery, fetched now: a private issuer is refused at Issuer and nothing changes.
    const discovery = await api.call('PUT', item, { token, json: { Jwks: null } });
    expect((discovery.body as ErrorBody).Errors).toEqual({ Issuer: 'The issuer points to a private or local network address: paste its JWK Set instead.' });
    expect((await api.call('GET', item, { token })).body).toMatchObject({ KeySource: 'Pasted', Subject: 'system:serviceaccount:payments:*' });
    expect((await api.call('PUT', `${path(t.tenantId, c.clientId)}/999999`, { token, json: { Name: 'x' } })).status).toBe(404);
    const updates = (await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.clientId))).filter((e) => e.action === 'federated_credential.updated');
    expect(updates.map((e) => (e.details as { changed: string[] }).changed)).toEqual([['subject', 'subjectOperator', 'conditions', 'enabled', 'expiresAt'], ['enabled', 'expiresAt']]);
    expect(updates[0].details).toMatchObject({ via: 'api' });
  });

  it('the secretless policy refuses Secrets over the API with a clear message; clients are added with a federated credential or a public key instead', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId });
    await updateCredentialPolicy(h.db, { tenantId: t.tenantId, label: 'test', type: 'user', id: 'test', via: 'console' }, {
      maxSecretLifetimeDays: null,
      allowNeverExpires: true,
      secretlessClients: true,
      limitLifetime: false,
      maxDays: undefined,
    });
    try {
      const refused = await api.call('POST', `/api/v1/Tenants/${t.tenantId}/ClientCredentialClients/${c.clientId}/Secrets`, { token, json: { Description: 'x' } });
      expect(refused.status).toBe(400);
      expect((refused.body as ErrorBody).Reason).toMatch(/^Your tenant's credential policy allows only keys and federated credentials for clients/);
      const client = await api.call('POST', `/api/v1/Tenants/${t.tenantId}/ClientCredentialClients`, { token, json: { Name: 'with a secret' } });
      expect(client.status).toBe(400);
      expect((client.body as ErrorBody).Errors).toEqual({ FederatedCredential: expect.stringMatching(/^Your tenant's credential policy allows only keys and federated credentials/) });

      // The same request with a federated credential instead: a client with no secret, and a token with the platform's.
      const clients = `/api/v1/Tenants/${t.tenantId}/ClientCredentialClients`;
      const withFederated = await api.call('POST', clients, {
        token,
        json: {
          Name: 'deploy pipeline',
          FederatedCredential: {
            Name: 'deploy-main',
            Preset: 'github_actions',
            Issuer: gh.issuer,
            Subject: 'repo:acme/*:ref:refs/heads/main',
            SubjectMatch: 'Glob',
            Conditions: [{ Claim: 'repository_owner', Operator: 'Equals', Values: ['acme'] }],
          },
        },
      });
      expect(withFederated.status).toBe(201);
      const created = withFederated.body as { Id: string; ClientSecret?: string; FederatedCredential: Federated };
      expect(created.ClientSecret).toBeUndefined();
      expect(created.FederatedCredential).toMatchObject({ Name: 'deploy-main', Audience: srv.issuer, SubjectMatch: 'Glob', KeySource: 'Discovery' });
      expect(withFederated.headers.get('location')).toBe(`${clients}/${created.Id}`);
      expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, created.Id))).toEqual([]);
      const res = await fetch(`${srv.issuer}/connect/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'client_credentials', client_id: created.Id, client_assertion_type: JWT_BEARER_ASSERTION, client_assertion: await gh.github(srv.issuer) }),
      });
      expect(res.status).toBe(200);
      const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, created.Id));
      expect(events.map((e) => e.action).sort()).toEqual(['client.created', 'federated_credential.added']);

      // Or with a public key (private_key_jwt).
      const key = await issuerKey('ES256', 'api-key-1');
      const withKey = await api.call('POST', clients, { token, json: { Name: 'historian', Enabled: false, PublicKey: { Key: key.publicJwk, Description: 'historian-01', Expires: false } } });
      expect(withKey.status).toBe(201);
      expect(withKey.body).toMatchObject({ Enabled: false, PublicKey: { Source: 'JWK', KeyId: 'api-key-1', Algorithm: 'ES256', Description: 'historian-01', Expires: false } });
      expect(withKey.body).not.toHaveProperty('ClientSecret');

      // Errors under the API's names, inside the credential too; nothing is written.
      const before = await api.call('GET', clients, { token });
      const bad = await api.call('POST', clients, {
        token,
        json: {
          Name: 'bad',
          SecretDescription: 'x',
          FederatedCredential: { Name: '', Issuer: gh.issuer, Subject: 'x', Conditions: [{ Claim: '/kubernetes.io/', Operator: 'Equals', Values: ['a'] }] },
        },
      });
      expect(bad.status).toBe(400);
      expect((bad.body as ErrorBody).Errors).toEqual({
        SecretDescription: 'Leave this out with FederatedCredential or PublicKey: the client gets no secret.',
        'FederatedCredential.Name': 'Enter a name.',
        'FederatedCredential.Conditions[0].Claim': expect.stringMatching(/^A path to a nested claim starts with \//),
      });
      const both = await api.call('POST', clients, { token, json: { Name: 'both', FederatedCredential: {}, PublicKey: { Key: key.publicJwk } } });
      expect((both.body as ErrorBody).Errors).toMatchObject({ PublicKey: 'Give FederatedCredential or PublicKey, not both.' });
      const privateKey = await api.call('POST', clients, { token, json: { Name: 'private', PublicKey: { Key: { ...key.publicJwk, d: 'AAAA' }, Expires: false } } });
      expect(privateKey.status).toBe(400);
      expect(Object.keys((privateKey.body as ErrorBody).Errors ?? {})).toEqual(['PublicKey.Key']);
      const unreachable = await api.call('POST', clients, { token, json: { Name: 'private issuer', FederatedCredential: { Name: 'x', Issuer: 'https://10.0.0.1:6443', Subject: 'system:serviceaccount:ns:sa' } } });
      expect((unreachable.body as ErrorBody).Errors).toEqual({ 'FederatedCredential.Issuer': 'The issuer points to a private or local network address: paste its JWK Set instead.' });
      expect((await api.call('GET', clients, { token })).headers.get('total-count')).toBe(before.headers.get('total-count'));
    } finally {
      await updateCredentialPolicy(h.db, { tenantId: t.tenantId, label: 'test', type: 'user', id: 'test', via: 'console' }, {
        maxSecretLifetimeDays: null,
        allowNeverExpires: true,
        secretlessClients: false,
        limitLifetime: false,
        maxDays: undefined,
      });
    }
  });
});
