import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents } from '../db/schema';
import { createTestClient } from '../testing/clients';
import { createTestDb } from '../testing/db';
import { updateCredentialPolicy } from '../policy/credential-policy';
import { issuerKey, startTestIssuer, type TestIssuer } from '../federation/testing/test-issuer';
import { JWT_BEARER_ASSERTION } from '../tokens/client-assertion';
import { startApiTestServer } from './testing/api-server';
import { apiClient, apiTenant, type ApiServer } from './testing/fixtures';

process.env.AUTH_SECRET ||= 'api-test-secret-0123456789abcdefghij';
vi.mock('../auth/session', () => ({ getSessionUser: async () => null }));

let h: DbHandle;
let srv: ApiServer;
let api: ReturnType<typeof apiClient>;
let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let token: string;
let gh: TestIssuer;

type Federated = { Id: number; Name: string; Issuer: string; Audience: string; SubjectMatch: string; KeySource: string; KeyIds: string[]; Conditions: unknown[]; LastFailureReason: string | null };
type ErrorBody = { Reason: string; Errors?: Record<string, string> };

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

  it('the secretless policy refuses Secrets over the API with a clear message', async () => {
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
      expect(JSON.stringify(client.body)).toContain('allows only keys and federated credentials');
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
