import { z } from 'zod';
import { checkJwksUrl } from '../keys/jwks-url';
import { KEY_TEXT_MAX, parsePublicKey } from '../keys/public-key';
import { ALWAYS, checkExpiration, expiresAtField, guidField, neverExpiresField, secretDescriptionField } from './fields.schema';

const keyId = z.coerce.number({ error: 'Unknown key.' }).int('Unknown key.').positive('Unknown key.').max(2 ** 31 - 1, 'Unknown key.');

export const KEY_SOURCES = ['key', 'jwks_url'] as const;

/**
 * Add Key: a public key (PEM or JWK, in `publicKey`) or a JWKS URL, a description and an expiration. The key is
 * parsed here so the form and the server give the same field message; a private key is refused and its text never
 * appears in any message. The JWKS URL is only checked for its form here; addKey fetches it.
 */
export const addKeySchema = z
  .object({
    clientId: guidField('Unknown client.'),
    source: z.enum(KEY_SOURCES, { error: 'Choose Public Key or JWKS URL.' }).default('key'),
    publicKey: z.string({ error: 'Paste the public key.' }).max(KEY_TEXT_MAX + 1000, `The key is longer than ${KEY_TEXT_MAX} characters: paste one public key.`).default(''),
    jwksUrl: z.string({ error: 'Enter the JWKS URL.' }).max(5000, 'Use a URL of at most 2000 characters.').default(''),
    description: secretDescriptionField,
    neverExpires: neverExpiresField,
    expiresAt: expiresAtField,
  })
  .superRefine((v, ctx) => {
    if (typeof v !== 'object' || v === null) return;
    if (v.source === 'jwks_url') {
      const checked = checkJwksUrl(v.jwksUrl);
      if (!checked.ok) ctx.addIssue({ code: 'custom', path: ['jwksUrl'], message: checked.message });
    } else if (v.source === 'key') {
      const parsed = parsePublicKey(v.publicKey ?? '');
      if (!parsed.ok) ctx.addIssue({ code: 'custom', path: ['publicKey'], message: parsed.message });
    }
    checkExpiration(v, ctx);
  }, ALWAYS);
export type AddKeyInput = z.output<typeof addKeySchema>;

export const removeKeySchema = z.object({ clientId: guidField('Unknown client.'), keyId });
export type RemoveKeyInput = z.output<typeof removeKeySchema>;
