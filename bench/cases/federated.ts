/**
 * The federated-credential case of bench:token: the hot client authenticating with a platform token (a GitHub
 * Actions-shaped RS256 JWT from an external issuer, with client_id) instead of its secret. Our server checks the
 * RS256 signature against the credential's pasted JWK Set (no network), iss, aud, exp, iat and the token's age, the
 * subject glob and a claim condition, and records the jti (one INSERT per request, replay protection across
 * instances), then signs its own ES256 access token. Its floor (`floorFederatedVerifier`, in the floor server) does the
 * same crypto: verifies the RS256 platform token, checks the same claims, keeps jtis in memory, signs ES256. Tokens are
 * signed ahead of each run, outside the measured time (a fresh jti each: a replayed one is refused).
 */
import { createPublicKey, generateKeyPairSync, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import type { Db } from '../../lib/db';
import { clientFederatedCredentials } from '../../lib/db/schema';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
export const BENCH_PLATFORM_ISSUER = 'https://token.actions.githubusercontent.com';
export const BENCH_PLATFORM_AUDIENCE = 'urn:bench:tenant-security-console';
const SUBJECT_PREFIX = 'repo:acme/';
const SUBJECT_SUFFIX = ':ref:refs/heads/main';
const KID = 'gh-bench';
/**
 * Platform tokens signed ahead per second of a run: RSA signing costs the load generator about a millisecond each,
 * so fewer than private_key_jwt's ES256 pool; a run that outlasts them signs the rest as the requests go out (a little
 * pessimistic for both sides of the ratio alike).
 */
export const FEDERATED_PER_SECOND = 3000;

export type PlatformKey = { privateKey: KeyObject; publicJwk: Record<string, unknown> };

/** The platform's signing key: RSA 2048, as GitHub's. Made before the servers start (the floor is told its public half). */
export function benchPlatformKey(): PlatformKey {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid: KID, alg: 'RS256', use: 'sig' } };
}

/** A federated credential for the client, as Add Federated Credential stores it (pasted JWK Set, GitHub Actions preset); once. */
export async function registerBenchFederated(db: Db, clientId: string, key: PlatformKey): Promise<void> {
  await db.insert(clientFederatedCredentials).values({
    clientId,
    name: 'bench deploy',
    preset: 'github_actions',
    issuer: BENCH_PLATFORM_ISSUER,
    audience: BENCH_PLATFORM_AUDIENCE,
    subject: `${SUBJECT_PREFIX}*${SUBJECT_SUFFIX}`,
    subjectOperator: 'glob',
    conditions: [{ claim: 'repository_owner', operator: 'equals', values: ['acme'] }],
    jwks: { keys: [key.publicJwk] },
    singleUse: true,
    createdBy: 'bench',
  })
    // The case runs against both servers of ours (metrics and log on, and off): one credential serves both.
    .onConflictDoNothing();
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT', kid: KID })).toString('base64url');

/** One form body: client_id and a fresh GitHub Actions-shaped token. */
export function federatedBody(clientId: string, key: PlatformKey): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = {
    jti: randomUUID(),
    sub: `${SUBJECT_PREFIX}api${SUBJECT_SUFFIX}`,
    aud: BENCH_PLATFORM_AUDIENCE,
    ref: 'refs/heads/main',
    repository: 'acme/api',
    repository_owner: 'acme',
    run_id: '9876543210',
    workflow: 'Deploy',
    event_name: 'push',
    ref_type: 'branch',
    job_workflow_ref: 'acme/api/.github/workflows/deploy.yml@refs/heads/main',
    runner_environment: 'github-hosted',
    iss: BENCH_PLATFORM_ISSUER,
    nbf: now - 5,
    iat: now - 5,
    exp: now + 300,
  };
  const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), key.privateKey).toString('base64url');
  return new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_assertion_type: JWT_BEARER, client_assertion: `${input}.${signature}` }).toString();
}

/** The bench's Load shape (bench/token.bench.ts), for the federated bodies. */
type FederatedLoad = { url: string; next: () => { body: string }; beforeRun: () => void; afterRun: () => void };

/** Bodies signed ahead of each run (`perRun`), after one checked request; more on demand if a run outlasts them. */
export async function federatedLoad(
  url: string,
  clientId: string,
  key: PlatformKey,
  sizes: { warmup: number; perRun: number },
  post: (url: string, body: string) => Promise<{ status: number; json: Record<string, unknown> }>,
): Promise<FederatedLoad> {
  for (let attempt = 0; ; attempt++) {
    // A keep-alive connection the server closed while this process was busy signing (a previous case's pool) fails
    // once: asked again on a new one.
    const answer = await post(url, federatedBody(clientId, key)).catch((err: Error) => ({ status: 0, json: { error: err.message } as Record<string, unknown> }));
    if (answer.status === 200) break;
    if (attempt === 20) throw new Error(`federated credential at ${url}: the token request answered ${answer.status} ${JSON.stringify(answer.json)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  const poolOf = (n: number) => {
    const pool = Array.from({ length: n }, () => federatedBody(clientId, key));
    let i = 0;
    return () => (i < pool.length ? pool[i++] : federatedBody(clientId, key));
  };
  let pool = poolOf(sizes.warmup);
  return {
    url,
    beforeRun: () => (pool = poolOf(sizes.perRun)),
    afterRun: () => (pool = () => federatedBody(clientId, key)),
    next: () => ({ body: pool() }),
  };
}

/**
 * The floor's federated check (BENCH_FEDERATED_JWK, the platform's public JWK): the RS256 signature, iss, aud, exp,
 * iat age, the subject prefix/suffix and the owner claim, the jti kept in memory. null without the variable.
 */
export function floorFederatedVerifier(publicJwk: string | undefined): ((assertion: string) => boolean) | null {
  if (!publicJwk) return null;
  const key = createPublicKey({ key: JSON.parse(publicJwk), format: 'jwk' });
  const seen = new Set<string>();
  return (assertion) => {
    const parts = assertion.split('.');
    if (parts.length !== 3) return false;
    try {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
      const c = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
      const now = Date.now() / 1000;
      const ok =
        header.alg === 'RS256' && header.kid === KID && c.iss === BENCH_PLATFORM_ISSUER && c.aud === BENCH_PLATFORM_AUDIENCE &&
        c.exp > now && now - c.iat < 3600 && typeof c.sub === 'string' && c.sub.startsWith(SUBJECT_PREFIX) && c.sub.endsWith(SUBJECT_SUFFIX) &&
        c.repository_owner === 'acme' && typeof c.jti === 'string' && !seen.has(c.jti) &&
        verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), key, Buffer.from(parts[2], 'base64url'));
      if (ok) seen.add(c.jti);
      return ok;
    } catch {
      return false;
    }
  };
}
