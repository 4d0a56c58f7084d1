import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as oidc from 'openid-client';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import type { DbHandle } from '../db';
import { createTestTenant, type TestTenant } from '../testing/db';
import { createTestClient, type TestClient } from '../testing/clients';
import { createIsolatedDb, startIdentityServer } from '../identity/testing';

/**
 * The service as a stock OAuth client library sees it: openid-client (v6) discovers the issuer and runs the
 * client_credentials grant; jose verifies the token against the published JWKS, as a resource server would.
 */
let db: Awaited<ReturnType<typeof createIsolatedDb>>;
let h: DbHandle;
let t: TestTenant;
let c: TestClient;
let srv: Awaited<ReturnType<typeof startIdentityServer>>;

beforeAll(async () => {
  db = await createIsolatedDb();
  h = db.handle;
  t = await createTestTenant(h.db, 'OpenID client');
  c = await createTestClient(h.db, { tenantId: t.tenantId, tokenLifetime: 900, roleTypes: ['tenant_contributor'] });
  srv = await startIdentityServer(h);
});
afterAll(async () => {
  await srv?.close();
  await db?.drop();
});

describe('openid-client and jose', () => {
  for (const [label, auth] of [
    ['client_secret_basic', () => oidc.ClientSecretBasic(c.secret)],
    ['client_secret_post', () => oidc.ClientSecretPost(c.secret)],
  ] as const) {
    it(`discovers the issuer, gets a token with ${label}, and the token verifies against the JWKS`, async () => {
      // The test server speaks plain http on 127.0.0.1: openid-client v6 needs allowInsecureRequests for that.
      const config = await oidc.discovery(new URL(srv.issuer), c.clientId, undefined, auth(), {
        execute: [oidc.allowInsecureRequests],
      });
      const metadata = config.serverMetadata();
      expect(metadata.issuer).toBe(srv.issuer);
      expect(metadata.token_endpoint).toBe(`${srv.issuer}/connect/token`);

      const tokens = await oidc.clientCredentialsGrant(config, { scope: 'api' });
      expect(tokens.token_type).toBe('bearer'); // openid-client lower-cases it
      expect(tokens.expires_in).toBe(900);
      expect(tokens.refresh_token).toBeUndefined();

      const jwks = createRemoteJWKSet(new URL(metadata.jwks_uri!));
      const { payload, protectedHeader } = await jwtVerify(tokens.access_token, jwks, {
        issuer: srv.issuer,
        audience: `${srv.issuer}/resources`,
        typ: 'at+jwt',
        algorithms: ['ES256'],
      });
      expect(protectedHeader.kid).toBeTruthy();
      expect(payload).toMatchObject({ sub: c.clientId, client_id: c.clientId, tenant_id: t.tenantId, scope: 'api' });
      expect(payload.role).toEqual(expect.arrayContaining(['Tenant Member', 'Tenant Contributor']));

      const introspection = await oidc.tokenIntrospection(config, tokens.access_token);
      expect(introspection).toMatchObject({ active: true, client_id: c.clientId });
    });
  }

  it('surfaces invalid_client for a wrong secret', async () => {
    const post = await oidc.discovery(new URL(srv.issuer), c.clientId, undefined, oidc.ClientSecretPost('tscs_wrong'), {
      execute: [oidc.allowInsecureRequests],
    });
    await expect(oidc.clientCredentialsGrant(post)).rejects.toMatchObject({ error: 'invalid_client', status: 401 });
    // With Basic the 401 carries a WWW-Authenticate challenge, which openid-client reports as such.
    const basic = await oidc.discovery(new URL(srv.issuer), c.clientId, undefined, oidc.ClientSecretBasic('tscs_wrong'), {
      execute: [oidc.allowInsecureRequests],
    });
    const err = await oidc.clientCredentialsGrant(basic).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(oidc.WWWAuthenticateChallengeError);
    expect(err).toMatchObject({ status: 401 });
  });
});
