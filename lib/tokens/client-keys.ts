import { constants, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { KeyAlg } from '../keys/public-key';

/** A client's public key as the token service holds it: imported once per cache load. */
export type AuthKey =
  | { id: number; kind: 'key'; kid: string; alg: KeyAlg; publicKey: KeyObject; expiresAt: number | null }
  | { id: number; kind: 'jwks_url'; url: string; expiresAt: number | null };

export type KeyRow = {
  id: number;
  kid: string | null;
  alg: string | null;
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
      out.push({
        id: Number(r.id),
        kind: 'key',
        kid: r.kid,
        alg: r.alg as KeyAlg,
        publicKey: createPublicKey({ key: r.jwk as JsonWebKey, format: 'jwk' }),
        expiresAt,
      });
    } catch {
      // A stored key that no longer imports can never verify anything: leave it out.
    }
  }
  return out;
}

/** A JWS signature check for the client assertion algorithms we accept. Never throws. */
export function verifySignature(alg: string, key: KeyObject, data: Buffer, signature: Buffer): boolean {
  try {
    switch (alg) {
      case 'RS256':
        return key.asymmetricKeyType === 'rsa' && verify('sha256', data, key, signature);
      case 'PS256':
        return (
          key.asymmetricKeyType === 'rsa' &&
          verify('sha256', data, { key, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 }, signature)
        );
      case 'ES256':
        return key.asymmetricKeyDetails?.namedCurve === 'prime256v1' && verify('sha256', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'ES384':
        return key.asymmetricKeyDetails?.namedCurve === 'secp384r1' && verify('sha384', data, { key, dsaEncoding: 'ieee-p1363' }, signature);
      case 'EdDSA':
        return key.asymmetricKeyType === 'ed25519' && verify(null, data, key, signature);
      default:
        return false;
    }
  } catch {
    return false;
  }
}
