import { createPrivateKey, createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';
import type { SigningAlg } from './config';
import { cryptoWorker } from './crypto-worker';
import type { VerifiedTokenCache } from './verified-tokens';
import { parseJsonObject, signatureOf, signingInputOf, splitCompactJws } from './compact-jws';

/**
 * Compact JWS for access tokens, straight on node:crypto: the header is encoded once per key, the private key is
 * imported once, and ES256 signatures are produced directly in the JOSE (r||s, "ieee-p1363") form; jose would redo
 * the key handling on every call. Signatures are computed on a worker thread in batches (lib/tokens/crypto-worker.ts),
 * so the event loop keeps parsing and answering requests while they are computed on the other core.
 */
export const ACCESS_TOKEN_TYP = 'at+jwt';
export const ID_TOKEN_TYP = 'JWT';

export type Signer = { kid: string; alg: SigningAlg; sign: (claims: Record<string, unknown>) => Promise<string> };

export function importPrivateJwk(jwk: JsonWebKey): KeyObject {
  return createPrivateKey({ key: jwk, format: 'jwk' });
}

export function importPublicJwk(jwk: JsonWebKey): KeyObject {
  return createPublicKey({ key: jwk, format: 'jwk' });
}

export function signatureOptions(alg: SigningAlg, key: KeyObject) {
  return alg === 'ES256' ? { key, dsaEncoding: 'ieee-p1363' as const } : key;
}

/** `typ`: at+jwt for access tokens (RFC 9068), JWT for OpenID Connect ID tokens. Signed on the crypto worker. */
export function createSigner(kid: string, alg: SigningAlg, privateKey: KeyObject, typ = ACCESS_TOKEN_TYP): Signer {
  const headerB64 = Buffer.from(JSON.stringify({ alg, typ, kid })).toString('base64url') + '.';
  const worker = cryptoWorker();
  const keyRef = worker.key(signatureOptions(alg, privateKey));
  return {
    kid,
    alg,
    async sign(claims) {
      const input = headerB64 + Buffer.from(JSON.stringify(claims)).toString('base64url');
      return input + '.' + (await worker.sign(keyRef, input));
    },
  };
}

export type { VerificationKey } from './config';
import type { VerificationKey } from './config';


type Prepared = { input: Buffer; signature: Buffer; kid: string; key: VerificationKey; payload: string };

/** Everything but the signature check: shape, typ at+jwt, a kid we publish, the alg that key is for. */
function prepare(token: string, keyFor: (kid: string) => VerificationKey | undefined): Prepared | null {
  const jws = splitCompactJws(token);
  if (!jws) return null;
  const header = parseJsonObject(jws.header);
  if (!header || header.typ !== ACCESS_TOKEN_TYP || typeof header.kid !== 'string' || header.crit !== undefined) return null;
  const key = keyFor(header.kid);
  if (!key || header.alg !== key.alg) return null;
  return { input: signingInputOf(jws), signature: signatureOf(jws), kid: header.kid, key, payload: jws.payload };
}

/**
 * Verify an access token we issued: typ at+jwt, a kid we publish, the alg that key is for, a valid signature.
 * Returns the claims, or null for anything else (never throws on malformed input).
 */
export function verifyAccessToken(
  token: string,
  keyFor: (kid: string) => VerificationKey | undefined,
): Record<string, unknown> | null {
  const p = prepare(token, keyFor);
  if (!p) return null;
  let ok = false;
  try {
    ok = verify('sha256', p.input, signatureOptions(p.key.alg, p.key.publicKey), p.signature);
  } catch {
    ok = false;
  }
  return ok ? parseJsonObject(p.payload) : null;
}

/**
 * The same check with the signature verified on the crypto worker, as signing is:
 * introspection under load keeps the event loop free. ES256 verification costs about twice a signature; with
 * `cache`, a token whose signature verified before (with the key still published under its kid) is not checked
 * again. The claims returned are shared with the cache: read them, never change them.
 */
export function verifyAccessTokenAsync(
  token: string,
  keyFor: (kid: string) => VerificationKey | undefined,
  cache?: VerifiedTokenCache,
): Promise<Record<string, unknown> | null> {
  const hit = cache?.get(token, keyFor);
  if (hit) return Promise.resolve(hit);
  const p = prepare(token, keyFor);
  if (!p) return Promise.resolve(null);
  return cryptoWorker()
    .verify('sha256', p.input, signatureOptions(p.key.alg, p.key.publicKey), p.signature)
    .then((ok) => {
      const claims = ok ? parseJsonObject(p.payload) : null;
      if (claims && cache) cache.set(token, claims, p.kid, p.key);
      return claims;
    });
}
