import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import { cryptoWorker, type KeyOptions } from './crypto-worker';
import { algorithmsOf, type KeyAlg } from '../keys/public-key';

/** A client's public key as the token service holds it: imported once per cache load. */
export type AuthKey =
  | { id: number; kind: 'key'; kid: string; algs: KeyAlg[]; publicKey: KeyObject; expiresAt: number | null }
  | { id: number; kind: 'jwks_url'; url: string; expiresAt: number | null };

export type KeyRow = {
  id: number;
  kid: string | null;
  alg: string | null;
  /** false: the key was registered without an algorithm and verifies every algorithm of its type. */
  algExact?: boolean | null;
  jwk: Record<string, unknown> | null;
  jwksUrl: string | null;
  expiresAt: number | string | null;
};

export function loadedKeys(rows: KeyRow[]): AuthKey[] {
  const out: AuthKey[] = [];
  for (const r of rows) {
    const expiresAt = r.expiresAt === null ? null : Number(r.expiresAt);
    if (r.jwksUrl) {
      out.push({ id: Number(r.id), kind: 'jwks_url', url: r.jwksUrl, expiresAt });
      continue;
    }
    if (!r.jwk || !r.kid || !r.alg) continue;
    try {
      const publicKey = createPublicKey({ key: r.jwk as JsonWebKey, format: 'jwk' });
      out.push({
        id: Number(r.id),
        kind: 'key',
        kid: r.kid,
        algs: r.algExact === false ? algorithmsOf(publicKey) : [r.alg as KeyAlg],
        publicKey,
        expiresAt,
      });
    } catch {
      // A stored key that no longer imports can never verify anything: leave it out.
    }
  }
  return out;
}

type VerifyParams = { digest: string | null; options: KeyObject | Parameters<typeof verify>[2] };

/** How node:crypto checks `alg` with `key`, or null when the key cannot be of that algorithm. */
function verifyParams(alg: string, key: KeyObject): VerifyParams | null {
  switch (alg) {
    case 'RS256':
      return key.asymmetricKeyType === 'rsa' ? { digest: 'sha256', options: key } : null;
    case 'PS256':
      return key.asymmetricKeyType === 'rsa'
        ? { digest: 'sha256', options: { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 } }
        : null;
    case 'ES256':
      return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' ? { digest: 'sha256', options: { key, dsaEncoding: 'ieee-p1363' } } : null;
    case 'ES384':
      return key.asymmetricKeyDetails?.namedCurve === 'secp384r1' ? { digest: 'sha384', options: { key, dsaEncoding: 'ieee-p1363' } } : null;
    case 'EdDSA':
      return key.asymmetricKeyType === 'ed25519' ? { digest: null, options: key } : null;
    default:
      return null;
  }
}

/**
 * A JWS signature check for the client assertion algorithms we accept, on the crypto worker
 * (lib/tokens/crypto-worker.ts): a busy token endpoint keeps parsing and answering on the event loop while assertions
 * are checked on the other core. Never rejects; false for anything that does not verify.
 */
export function verifySignature(alg: string, key: KeyObject, data: Buffer, signature: Buffer): Promise<boolean> {
  const params = verifyParams(alg, key);
  if (!params) return Promise.resolve(false);
  return cryptoWorker().verify(params.digest, data, params.options as KeyOptions, signature);
}
