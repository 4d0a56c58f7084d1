import { randomUUID } from 'node:crypto';
import { calculateJwkThumbprint, exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose';
import { accessTokenHash } from '../dpop';

/** Tests: a DPoP key pair and hand-made proofs (RFC 9449 section 4), to present good ones and every kind of bad one. */
export type DpopKey = { alg: string; privateKey: CryptoKey; publicJwk: JWK; privateJwk: JWK; jkt: string };

export async function dpopKey(alg: 'ES256' | 'RS256' | 'PS256' | 'EdDSA' = 'ES256'): Promise<DpopKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true, ...(alg === 'EdDSA' ? { crv: 'Ed25519' } : {}) });
  const publicJwk = await exportJWK(publicKey);
  return { alg, privateKey, publicJwk, privateJwk: await exportJWK(privateKey), jkt: await calculateJwkThumbprint(publicJwk) };
}

/**
 * A proof for `htm` `htu`; `accessToken` adds ath. `claims` overrides (undefined removes) claims, `header` the
 * protected header (e.g. a private jwk).
 */
export async function dpopProof(
  key: DpopKey,
  htm: string,
  htu: string,
  opts: { accessToken?: string; nonce?: string; claims?: Record<string, unknown>; header?: Record<string, unknown> } = {},
): Promise<string> {
  const claims: Record<string, unknown> = {
    jti: randomUUID(),
    htm,
    htu,
    iat: Math.floor(Date.now() / 1000),
    ...(opts.accessToken ? { ath: accessTokenHash(opts.accessToken) } : {}),
    ...(opts.nonce ? { nonce: opts.nonce } : {}),
    ...opts.claims,
  };
  for (const [k, v] of Object.entries(claims)) if (v === undefined) delete claims[k];
  return new SignJWT(claims).setProtectedHeader({ alg: key.alg, typ: 'dpop+jwt', jwk: key.publicJwk, ...opts.header }).sign(key.privateKey);
}

/** An unsigned JWS (alg none) with a proof's header and claims. */
export function unsignedProof(key: DpopKey, htm: string, htu: string): string {
  const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');
  return `${b64({ alg: 'none', typ: 'dpop+jwt', jwk: key.publicJwk })}.${b64({ jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000) })}.`;
}

/** An HS256 "proof" (a symmetric key is never accepted: the server could not tell who made it). */
export async function hmacProof(htm: string, htu: string): Promise<string> {
  const secret = new TextEncoder().encode('a shared secret that anyone could use 0123456789');
  return new SignJWT({ jti: randomUUID(), htm, htu, iat: Math.floor(Date.now() / 1000) })
    .setProtectedHeader({ alg: 'HS256', typ: 'dpop+jwt', jwk: { kty: 'oct', k: Buffer.from(secret).toString('base64url') } as never })
    .sign(secret);
}
