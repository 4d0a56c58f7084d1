import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';

/**
 * Private signing keys are stored encrypted: AES-256-GCM under a key derived with HKDF-SHA-256 from AUTH_SECRET.
 * The key id is the additional authenticated data, so a ciphertext cannot be moved to another row.
 * Every instance sharing the database must share AUTH_SECRET; a different one fails loudly on decryption.
 */
const FORMAT = 'v1';
const SALT = 'tenant-security-console/signing-keys';
const INFO = 'aes-256-gcm private jwk v1';

function encryptionKey(secret: string | undefined = process.env.AUTH_SECRET): Buffer {
  if (!secret) throw new Error('AUTH_SECRET is not set: it is needed to encrypt and decrypt the token signing keys.');
  return Buffer.from(hkdfSync('sha256', secret, SALT, INFO, 32));
}

export function encryptPrivateKey(plaintext: string, kid: string, secret?: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv('aes-256-gcm', encryptionKey(secret), iv);
  cipher.setAAD(Buffer.from(kid));
  const ct = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
  return [FORMAT, iv.toString('base64url'), ct.toString('base64url'), cipher.getAuthTag().toString('base64url')].join('.');
}

export class KeyDecryptionError extends Error {}

export function decryptPrivateKey(stored: string, kid: string, secret?: string): string {
  const [format, iv, ct, tag] = stored.split('.');
  if (format !== FORMAT || !iv || !ct || !tag) throw new KeyDecryptionError(`Signing key ${kid} is stored in an unknown format.`);
  try {
    const decipher = createDecipheriv('aes-256-gcm', encryptionKey(secret), Buffer.from(iv, 'base64url'));
    decipher.setAAD(Buffer.from(kid));
    decipher.setAuthTag(Buffer.from(tag, 'base64url'));
    return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
  } catch {
    throw new KeyDecryptionError(
      `Cannot decrypt signing key ${kid}: this instance's AUTH_SECRET differs from the one that created the key. ` +
        'Every instance sharing the database must use the same AUTH_SECRET. If that secret is lost, ' +
        '`npm run keys:rotate -- --immediate` replaces the signing keys (tokens signed by the old keys stop verifying).',
    );
  }
}
