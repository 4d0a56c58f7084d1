import { createHmac, hash, randomBytes, timingSafeEqual } from 'node:crypto';

/**
 * Client secrets: "tscs_" + 43 characters of base64url (256 random bits) + "_" + 6-character checksum.
 * The fixed prefix lets secret scanners recognise a leaked secret; the checksum lets us refuse a mistyped or
 * made-up secret before any database work.
 *
 * Why a fast hash: the secret is 256 bits from a CSPRNG, so nobody can guess it or brute-force its SHA-256; slow
 * hashes (bcrypt, scrypt) only protect low-entropy passwords, and would cap the token endpoint at a few hundred
 * requests a second on two cores for no gain. An optional server-side pepper (SECRET_PEPPER) makes it an HMAC, so
 * a stolen database alone cannot even confirm a guessed secret.
 */
export const SECRET_PREFIX = 'tscs_';
export const SECRET_RANDOM_BYTES = 32;
const BODY_LENGTH = 43; // base64url of 32 bytes, no padding
const CHECKSUM_LENGTH = 6;
export const SECRET_LENGTH = SECRET_PREFIX.length + BODY_LENGTH + 1 + CHECKSUM_LENGTH;
const SECRET_RE = /^tscs_([A-Za-z0-9_-]{43})_([A-Za-z0-9_-]{6})$/;
/** Shown in lists so a person can tell secrets apart: the prefix and the first 4 random characters. */
const HINT_CHARS = 4;

function checksum(body: string): string {
  // crypto.hash: the one-shot form (no Hash object), on the token endpoint's path for every request.
  return hash('sha256', `${SECRET_PREFIX}${body}`, 'base64url').slice(0, CHECKSUM_LENGTH);
}

export function generateSecret(): string {
  const body = randomBytes(SECRET_RANDOM_BYTES).toString('base64url');
  return `${SECRET_PREFIX}${body}_${checksum(body)}`;
}

/** Format and checksum only: true for a well-formed secret we could have issued. No database work. */
export function isWellFormedSecret(value: unknown): value is string {
  if (typeof value !== 'string' || value.length !== SECRET_LENGTH) return false;
  const m = SECRET_RE.exec(value);
  if (!m) return false;
  // Both are 6 base64url characters: a constant-time comparison of equal lengths.
  return timingSafeEqual(Buffer.from(checksum(m[1]), 'latin1'), Buffer.from(m[2], 'latin1'));
}

export function displayHint(secret: string): string {
  return `${secret.slice(0, SECRET_PREFIX.length + HINT_CHARS)}…`;
}

/** Hex SHA-256 of the secret, or HMAC-SHA-256 keyed with SECRET_PEPPER when set. This is what secret_hash holds. */
export function hashSecret(secret: string): string {
  return hashSecretBytes(secret).toString('hex');
}

/** hashSecret's 32 bytes (what the token endpoint compares with the stored hashes). */
export function hashSecretBytes(secret: string): Buffer {
  const pepper = process.env.SECRET_PEPPER;
  return pepper ? createHmac('sha256', pepper).update(secret).digest() : hash('sha256', secret, 'buffer');
}

/** Constant-time comparison of two hex hashes. */
export function secretHashesEqual(a: string, b: string): boolean {
  const ab = Buffer.from(a, 'hex');
  const bb = Buffer.from(b, 'hex');
  return ab.length === bb.length && ab.length > 0 && timingSafeEqual(ab, bb);
}
