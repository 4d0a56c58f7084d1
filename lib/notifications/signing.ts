import { randomBytes } from 'node:crypto';
import { Webhook } from 'standardwebhooks';
import { decryptPrivateKey, encryptPrivateKey } from '../tokens/key-encryption';

/**
 * Webhook signing secrets (Standard Webhooks): "whsec_" + base64 of 32 random bytes, shown once when the channel is
 * created. It must be read back to sign, so it is stored encrypted (AES-256-GCM under AUTH_SECRET, the channel id as
 * additional data so a ciphertext cannot be moved to another channel), never hashed, and never shown again.
 */
export const SIGNING_SECRET_PREFIX = 'whsec_';

export function generateSigningSecret(): string {
  return `${SIGNING_SECRET_PREFIX}${randomBytes(32).toString('base64')}`;
}

export const signingSecretHint = (secret: string) => `${secret.slice(0, SIGNING_SECRET_PREFIX.length + 4)}…`;

const aad = (channelId: string) => `webhook-channel:${channelId}`;
export const encryptSigningSecret = (secret: string, channelId: string) => encryptPrivateKey(secret, aad(channelId));
export const decryptSigningSecret = (stored: string, channelId: string) => decryptPrivateKey(stored, aad(channelId));

/** The three Standard Webhooks headers for one attempt: the id stays the same across attempts, the time is now. */
export function signedHeaders(secret: string, messageId: string, body: string, at: Date = new Date()): Record<string, string> {
  const signature = new Webhook(secret).sign(messageId, at, body);
  return {
    'Content-Type': 'application/json',
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signature,
  };
}
