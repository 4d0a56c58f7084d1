/**
 * The private_key_jwt case of bench:token: the same token endpoint, the client authenticating with a signed client
 * assertion (RFC 7523) instead of a secret. Every request carries a fresh assertion (a new jti: a replayed one is
 * refused), so the bodies are signed ahead of each run, outside the measured time; if a run outlasts the pool, the
 * rest are signed as the requests go out (which costs the load generator some CPU: the figure is then a little
 * pessimistic). Each accepted assertion costs the server one INSERT (the jti, for replay protection across
 * instances): the ratio to the secret path in the same run shows that price.
 */
import { generateKeyPairSync, randomUUID, sign, type KeyObject } from 'node:crypto';
import type { Db } from '../../lib/db';

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';

export type AssertionSigner = { clientId: string; privateKey: KeyObject; kid: string };

/** The bench's assertion key: an EC P-256 pair, made before the servers start (the floor is told its public half). */
export function benchAssertionKey(): { privateKey: KeyObject; publicJwk: Record<string, unknown> } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { privateKey, publicJwk: { ...publicKey.export({ format: 'jwk' }), kid: 'bench', alg: 'ES256' } };
}

const registered = new Map<string, Promise<void>>();

/**
 * Register the public key for the client as the console's Add Key stores it: once per client and key (each round of
 * the bench asks again; a second insert of the same thumbprint is refused by the database).
 */
export async function registerBenchKey(
  db: Db,
  clientId: string,
  key: ReturnType<typeof benchAssertionKey>,
): Promise<AssertionSigner> {
  const once = `${clientId} ${JSON.stringify(key.publicJwk)}`;
  if (!registered.has(once)) {
    registered.set(
      once,
      import('../../lib/tokens/testing/client-keys').then(({ registerTestKey }) =>
        registerTestKey(db, clientId, { publicKey: JSON.stringify(key.publicJwk) }).then(() => undefined),
      ),
    );
  }
  await registered.get(once);
  return { clientId, privateKey: key.privateKey, kid: 'bench' };
}

const HEADER = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'JWT', kid: 'bench' })).toString('base64url');

/** One form body with a fresh assertion for `audience` (the token endpoint URL). */
export function assertionBody(signer: AssertionSigner, audience: string): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: signer.clientId, sub: signer.clientId, aud: audience, iat: now, exp: now + 120, jti: randomUUID() };
  const input = `${HEADER}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
  const signature = sign('sha256', Buffer.from(input), { key: signer.privateKey, dsaEncoding: 'ieee-p1363' }).toString('base64url');
  return new URLSearchParams({
    grant_type: 'client_credentials',
    client_assertion_type: JWT_BEARER,
    client_assertion: `${input}.${signature}`,
  }).toString();
}

/** `count` bodies signed now, then more on demand. */
export function assertionPool(signer: AssertionSigner, audience: string, count: number): () => string {
  const pool = Array.from({ length: count }, () => assertionBody(signer, audience));
  let i = 0;
  return () => (i < pool.length ? pool[i++] : assertionBody(signer, audience));
}
