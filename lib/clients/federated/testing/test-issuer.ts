import http from 'node:http';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey } from 'jose';
import { listenLocally } from '../../../testing/local-server';

/**
 * Tests: an OIDC issuer served by the test itself (node:http: discovery and JWKS), with jose-signed tokens shaped
 * like the real platforms' (claim names as GitHub Actions and Kubernetes issue them). `rotate()` publishes a new key
 * (new kid) and signs with it from then on. Counts requests so tests can see what was fetched.
 */
export type TestIssuerKey = { kid: string; alg: string; privateKey: CryptoKey; publicJwk: Record<string, unknown> };

export async function issuerKey(alg: 'RS256' | 'ES256' | 'PS256' | 'EdDSA' = 'RS256', kid = randomUUID().slice(0, 8)): Promise<TestIssuerKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  return { kid, alg, privateKey, publicJwk: { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' } };
}

export async function startTestIssuer(opts: { issuerPath?: string } = {}) {
  let keys: TestIssuerKey[] = [await issuerKey('RS256')];
  let current = keys[0];
  const requests: string[] = [];
  let issuer = '';
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '');
    const path = (req.url ?? '').replace(opts.issuerPath ?? '', '');
    if (path === '/.well-known/openid-configuration') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(
        JSON.stringify({ issuer, jwks_uri: `${issuer}/.well-known/jwks`, response_types_supported: ['id_token'], id_token_signing_alg_values_supported: ['RS256'] }),
      );
    } else if (path === '/.well-known/jwks') {
      res.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify({ keys: keys.map((k) => k.publicJwk) }));
    } else {
      res.writeHead(404).end();
    }
  });
  const local = await listenLocally(server);
  issuer = `${local.origin}${opts.issuerPath ?? ''}`;

  async function sign(claims: Record<string, unknown>, options: { key?: TestIssuerKey; header?: Record<string, unknown> } = {}) {
    const key = options.key ?? current;
    const body = { ...claims };
    for (const [k, v] of Object.entries(body)) if (v === undefined) delete body[k];
    return new SignJWT(body).setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT', ...options.header }).sign(key.privateKey);
  }

  return {
    get issuer() {
      return issuer;
    },
    requests,
    jwks: () => ({ keys: keys.map((k) => k.publicJwk) }),
    current: () => current,
    /** A new signing key, published next to the old one; tokens are signed with it from now on. */
    async rotate() {
      current = await issuerKey('RS256');
      keys = [...keys, current];
      return current;
    },
    sign,
    /** A GitHub Actions OIDC token's claims (as documented by GitHub), for `repo` at `ref`. */
    github(aud: string, over: Record<string, unknown> = {}) {
      const now = Math.floor(Date.now() / 1000);
      const repository = (over.repository as string) ?? 'acme/api';
      const ref = (over.ref as string) ?? 'refs/heads/main';
      return sign({
        jti: randomUUID(),
        sub: `repo:${repository}:ref:${ref}`,
        aud,
        ref,
        sha: 'e0372f3c7d5b9b1c2a4f8e6d0b3a5c7e9f1d2b4a',
        repository,
        repository_owner: repository.split('/')[0],
        repository_owner_id: '1234567',
        run_id: '9876543210',
        run_number: '42',
        run_attempt: '1',
        repository_visibility: 'private',
        repository_id: '7654321',
        actor_id: '555',
        actor: 'octocat',
        workflow: 'Deploy',
        head_ref: '',
        base_ref: '',
        event_name: 'push',
        ref_type: 'branch',
        ref_protected: 'true',
        workflow_ref: `${repository}/.github/workflows/deploy.yml@${ref}`,
        workflow_sha: 'e0372f3c7d5b9b1c2a4f8e6d0b3a5c7e9f1d2b4a',
        job_workflow_ref: `${repository}/.github/workflows/deploy.yml@${ref}`,
        job_workflow_sha: 'e0372f3c7d5b9b1c2a4f8e6d0b3a5c7e9f1d2b4a',
        runner_environment: 'github-hosted',
        iss: issuer,
        nbf: now - 5,
        iat: now - 5,
        exp: now + 300,
        ...over,
      });
    },
    /** A Kubernetes projected service-account token's claims (kubernetes.io private claims, list audience). */
    kubernetes(aud: string, namespace = 'payments', serviceAccount = 'api', over: Record<string, unknown> = {}) {
      const now = Math.floor(Date.now() / 1000);
      return sign({
        aud: [aud],
        exp: now + 3600,
        iat: now,
        iss: issuer,
        jti: randomUUID(),
        'kubernetes.io': {
          namespace,
          node: { name: 'node-1', uid: randomUUID() },
          pod: { name: `${serviceAccount}-7d9f8b6c5-x2x4z`, uid: randomUUID() },
          serviceaccount: { name: serviceAccount, uid: randomUUID() },
          warnafter: now + 3000,
        },
        nbf: now,
        sub: `system:serviceaccount:${namespace}:${serviceAccount}`,
        ...over,
      });
    },
    close: local.close,
  };
}
export type TestIssuer = Awaited<ReturnType<typeof startTestIssuer>>;
