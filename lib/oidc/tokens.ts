import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Authorization codes, refresh tokens and device codes (lib/oidc/device.ts): 256 random bits, base64url, with a readable prefix so a leaked one is
 * recognisable. Stored as SHA-256 only: like client secrets, they are far too random to brute-force, so a fast hash
 * is enough and a stolen table holds nothing usable.
 */
export const CODE_PREFIX = 'tsac_';
export const REFRESH_TOKEN_PREFIX = 'tsrt_';
export const CODE_LIFETIME_SECONDS = 60;

export function generateCode(): string {
  return CODE_PREFIX + randomBytes(32).toString('base64url');
}

export function generateRefreshToken(): string {
  return REFRESH_TOKEN_PREFIX + randomBytes(32).toString('base64url');
}

const OPAQUE_RE = /^ts(?:ac|rt|dc)_[A-Za-z0-9_-]{43}$/;

/** Format only: anything else was not issued here and needs no database work. */
export function isWellFormedOpaque(value: string, prefix: string): boolean {
  return value.startsWith(prefix) && OPAQUE_RE.test(value);
}

export function hashOpaque(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** RFC 7636 4.1: 43 to 128 unreserved characters; 4.2: a S256 challenge is 43 base64url characters. */
const VERIFIER_RE = /^[A-Za-z0-9\-._~]{43,128}$/;
const S256_CHALLENGE_RE = /^[A-Za-z0-9_-]{43}$/;

export function isS256Challenge(value: string): boolean {
  return S256_CHALLENGE_RE.test(value);
}

/** BASE64URL(SHA256(verifier)) === challenge, compared in constant time. */
export function verifyPkce(verifier: string, challenge: string): boolean {
  if (!VERIFIER_RE.test(verifier)) return false;
  const computed = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const expected = Buffer.from(challenge);
  return computed.length === expected.length && timingSafeEqual(computed, expected);
}
