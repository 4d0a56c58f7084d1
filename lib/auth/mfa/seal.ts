import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * TOTP seeds are stored encrypted: AES-256-GCM under a key derived with HKDF-SHA-256 from AUTH_SECRET, as the signing
 * keys are (lib/tokens/key-encryption.ts), with a salt of their own so the two keys never coincide. The user id is the
 * additional authenticated data: a ciphertext copied to another user's row does not decrypt.
 */
const FORMAT = 'v1';
const SALT = 'tenant-security-console/totp-seeds';
const INFO = 'aes-256-gcm totp seed v1';

function sealKey(secret: string | undefined = process.env.AUTH_SECRET): Buffer {
  if (!secret) throw new Error('AUTH_SECRET is not set: it is needed to encrypt and decrypt authenticator app seeds.');
  return Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32));
}

export function sealTotpSeed(seed: string, userId: string, secret?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', sealKey(secret), iv);
  cipher.setAAD(Buffer.from(`totp:${userId}`));
  const ct = Buffer.concat([cipher.update(seed, 'utf8'), cipher.final()]);
  return [FORMAT, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

export class SeedDecryptionError extends Error {}

export function openTotpSeed(stored: string, userId: string, secret?: string): string {
  const [format, iv, ct, tag] = stored.split('.');
  if (format !== FORMAT || !iv || !ct || !tag) throw new SeedDecryptionError('An authenticator app seed is stored in an unknown format.');
  try {
    const decipher = createDecipheriv('aes-256-gcm', sealKey(secret), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(`totp:${userId}`));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    // Never the seed or the ciphertext in the message.
    throw new SeedDecryptionError(
      "Cannot decrypt an authenticator app seed: this instance's AUTH_SECRET differs from the one that stored it. " +
        'Every instance sharing the database must use the same AUTH_SECRET.',
    );
  }
}
