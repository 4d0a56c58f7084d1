import { createHash, verify } from 'node:crypto';
import type { SigningAlg } from '../tokens/config';
import { parseJsonObject, signatureOf, signingInputOf, splitCompactJws } from '../tokens/compact-jws';
import { ID_TOKEN_TYP, signatureOptions, type VerificationKey } from '../tokens/jwt';


/**
 * at_hash (OpenID Connect Core 3.1.3.6, optional for the code flow): the left half of the hash of the access token's
 * ASCII octets, base64url, with the hash of the ID token's alg. ES256 and RS256 (all we sign with) both use SHA-256.
 */
export function atHash(accessToken: string, alg: SigningAlg): string {
  const hash = alg === 'ES256' || alg === 'RS256' ? 'sha256' : null;
  if (!hash) throw new Error(`at_hash: no hash for ${String(alg)}`);
  const digest = createHash(hash).update(accessToken, 'ascii').digest();
  return digest.subarray(0, digest.length / 2).toString('base64url');
}

/**
 * An ID token we issued (typ JWT, a published kid, that key's alg, a valid signature), for id_token_hint at
 * end-session. Expiry is not checked: OpenID Connect RP-Initiated Logout 1.0 accepts an expired hint.
 */
export function verifyIdTokenHint(
  token: string,
  issuer: string,
  keyFor: (kid: string) => VerificationKey | undefined,
): { sub: string; aud: string; authTime: number | null } | null {
  const jws = splitCompactJws(token);
  if (!jws) return null;
  const header = parseJsonObject(jws.header);
  if (!header || header.typ !== ID_TOKEN_TYP || typeof header.kid !== 'string' || header.crit !== undefined) return null;
  const key = keyFor(header.kid);
  if (!key || header.alg !== key.alg) return null;
  let ok = false;
  try {
    ok = verify('sha256', signingInputOf(jws), signatureOptions(key.alg, key.publicKey), signatureOf(jws));
  } catch {
    ok = false;
  }
  const claims = ok ? parseJsonObject(jws.payload) : null;
  if (!claims || claims.iss !== issuer || typeof claims.sub !== 'string' || typeof claims.aud !== 'string') return null;
  return { sub: claims.sub, aud: claims.aud, authTime: typeof claims.auth_time === 'number' ? claims.auth_time : null };
}
