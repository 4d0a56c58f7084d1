import { eq } from 'drizzle-orm';
import { setDbHandle, type DbHandle } from '@/lib/db';
import { clientFederatedCredentials, clients, communityMembers } from '@/lib/db/schema';
import { actorFromUser } from '@/lib/actions/admin-action';
import { createRole } from '@/lib/roles/roles';
import { createApi } from '@/lib/apis/apis';
import { createTestCommunity } from '@/lib/clients/test-helpers';
import { createTestClient, type TestClient } from '@/lib/testing/clients';

/** The one registered redirect URI of the `authCode` client (lib/oidc authorize cases). */
export const AUTH_CODE_REDIRECT = 'https://app.example.test/callback';
import { notifyClientChanged } from '@/lib/tokens/invalidation';
import { resetApiKeyCache } from '@/lib/api/bearer';
import { resetApiSettings } from '@/lib/api/authorize';
import { startApiTestServer } from '@/lib/api/testing/api-server';
import { apiTenant } from '@/lib/api/testing/fixtures';
import { createIsolatedDb, startIdentityServer } from '@/lib/identity/testing';
import { dpopKey, dpopProof } from '@/lib/tokens/testing/dpop';
import { form, send } from './support';

/**
 * Everything the corpus points its bad inputs at: two tenants (A is "us", B is "another tenant"), clients, roles,
 * communities and users in both, a token service on its own HTTP server, the REST API on another, and valid
 * access tokens. Built before the first snapshot, so nothing here counts as written by a case.
 */
export type Ctx = Awaited<ReturnType<typeof buildContext>>;
type Tenant = Awaited<ReturnType<typeof apiTenant>>;

async function tokenFrom(origin: string, client: Pick<TestClient, 'clientId' | 'secret'>, dpop?: string): Promise<string> {
  const res = await send(`${origin}/identity/connect/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...(dpop ? { DPoP: dpop } : {}) },
    body: form({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }),
  });
  const token = (JSON.parse(res.body) as { access_token?: string }).access_token;
  if (res.status !== 200 || !token) throw new Error(`fixture token request failed with ${res.status}`);
  return token;
}

async function customRole(h: DbHandle, tenant: Tenant, name: string): Promise<string> {
  const created = await createRole(h.db, actorFromUser(tenant.admin), { name, description: '' });
  if (!created.ok) throw new Error(`fixture role: ${JSON.stringify(created)}`);
  return created.data.id;
}

export async function buildContext() {
  const isolated = await createIsolatedDb();
  const h = isolated.handle;
  // Server actions and the REST API use the process-wide handle.
  setDbHandle(h);
  resetApiKeyCache();
  resetApiSettings();

  const a = await apiTenant(h, 'Bad input A');
  const b = await apiTenant(h, 'Bad input B');
  const customA = await customRole(h, a, 'Custom A');
  const customB = await customRole(h, b, 'Custom B');
  // A community B administers and A belongs to (A may not remove it), and one A is not in (unknown to A).
  const sharedWithA = await createTestCommunity(h.db, b.tenantId);
  await h.db.insert(communityMembers).values({ communityId: sharedWithA.community.id, tenantId: a.tenantId });
  const onlyB = await createTestCommunity(h.db, b.tenantId);

  const target = await createTestClient(h.db, { tenantId: a.tenantId, name: 'Target client' });
  const full = await createTestClient(h.db, { tenantId: a.tenantId, name: 'Full client', secrets: Array.from({ length: 10 }, () => ({})) });
  const clientB = await createTestClient(h.db, { tenantId: b.tenantId, name: 'Client of B' });

  // Token service clients: `victim` takes every wrong secret (and is throttled), `good` authenticates successfully.
  const victim = await createTestClient(h.db, { tenantId: a.tenantId, name: 'Victim' });
  const good = await createTestClient(h.db, { tenantId: a.tenantId, name: 'Good' });
  const authCode = await createTestClient(h.db, { tenantId: a.tenantId, clientType: 'authorization_code', redirectUris: [AUTH_CODE_REDIRECT] });
  // REST API: a Hybrid client of A (with a secret), and an Authorization Code and a Hybrid client of B.
  const hybrid = await createTestClient(h.db, { tenantId: a.tenantId, clientType: 'hybrid', name: 'Hybrid of A', redirectUris: [AUTH_CODE_REDIRECT] });
  const authCodeB = await createTestClient(h.db, { tenantId: b.tenantId, clientType: 'authorization_code', secrets: [], redirectUris: [AUTH_CODE_REDIRECT] });
  const hybridB = await createTestClient(h.db, { tenantId: b.tenantId, clientType: 'hybrid', redirectUris: [AUTH_CODE_REDIRECT] });
  // REST API: a Device Code client (RFC 8628: public, no URLs) of A and one of B.
  const device = await createTestClient(h.db, { tenantId: a.tenantId, clientType: 'device_code', secrets: [], name: 'Device of A' });
  const deviceB = await createTestClient(h.db, { tenantId: b.tenantId, clientType: 'device_code', secrets: [] });
  const disabled = await createTestClient(h.db, { tenantId: a.tenantId, enabled: false });
  const expired = await createTestClient(h.db, { tenantId: a.tenantId, secrets: [{ expiresAt: new Date(Date.now() - 60_000) }] });
  const revokedAdmin = await createTestClient(h.db, { tenantId: a.tenantId, roleTypes: ['tenant_administrator'] });

  // REST API Apis and ApiAccess (RFC 8707): an API of A (its Identifier taken, its scopes known) and one of B.
  const apiA = await createApi(h.db, actorFromUser(a.admin), { name: 'Orders of A', identifier: 'https://orders.a.example.test', scopes: ['orders:read', 'orders:write'] });
  const apiB = await createApi(h.db, actorFromUser(b.admin), { name: 'Orders of B', identifier: 'https://orders.b.example.test', scopes: ['orders:read'] });
  if (!apiA.ok || !apiB.ok) throw new Error('fixture APIs');

  // Edit Federated Credential (console and PUT): a credential on `target` for the cases to aim at.
  const [federated] = await h.db
    .insert(clientFederatedCredentials)
    .values({
      clientId: target.clientId,
      name: 'cluster',
      preset: 'kubernetes',
      issuer: 'https://kubernetes.default.svc',
      audience: 'https://console.example/identity',
      subject: 'system:serviceaccount:ns:sa',
      subjectOperator: 'equals',
      jwks: { keys: [{ kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0', kid: 'k1' }] },
      singleUse: false,
      createdBy: 'fixtures',
    })
    .returning({ id: clientFederatedCredentials.id });

  const identity = await startIdentityServer(h);
  const api = await startApiTestServer(h);
  /** DPoP (RFC 9449): the key A's administrator client binds its DPoP token to. */
  const dpop = await dpopKey('ES256');

  const tokens = {
    /** REST API: A's administrator client. */
    a: await tokenFrom(api.origin, a.adminClient),
    /** REST API: A's administrator client, bound to `dpop` (cnf.jkt). */
    aDpop: await tokenFrom(api.origin, a.adminClient, await dpopProof(dpop, 'POST', `${api.origin}/identity/connect/token`)),
    /** REST API: A's client without Tenant Administrator. */
    plain: await tokenFrom(api.origin, a.plainClient),
    /** REST API: B's administrator client. */
    b: await tokenFrom(api.origin, b.adminClient),
    /** REST API: an administrator client of A disabled after it got this token. */
    revoked: await tokenFrom(api.origin, revokedAdmin),
    /** From the token-service server: another issuer than the API server's. */
    foreignIssuer: await tokenFrom(identity.origin, a.adminClient),
    /** Token service: a token of B, and one of A (to tamper with), for introspection. */
    introB: await tokenFrom(identity.origin, b.adminClient),
    introA: await tokenFrom(identity.origin, good),
  };
  await h.db.update(clients).set({ enabled: false }).where(eq(clients.id, revokedAdmin.clientId));
  await notifyClientChanged(revokedAdmin.clientId, h);

  const jwks = JSON.parse((await send(`${identity.origin}/identity/.well-known/openid-configuration/jwks`)).body) as {
    keys: Record<string, unknown>[];
  };

  return {
    h,
    a,
    b,
    roles: { customA, customB, sharedWithA, onlyB },
    clients: { target, full, clientB, victim, good, authCode, hybrid, authCodeB, hybridB, device, deviceB, disabled, expired },
    federatedCredentialId: federated.id,
    apis: { a: apiA.data, b: apiB.data },
    identity: identity.origin,
    api: api.origin,
    tokens,
    dpop,
    publicJwk: jwks.keys[0],
    async close() {
      await api.close();
      await identity.close();
      await isolated.drop();
    },
  };
}
