import { z } from 'zod';
import { jwksUrlProblem, KEY_TEXT_MAX, keyTextProblem } from '../keys/key-text';
import { ALWAYS, checkExpiration, expiresAtField, guidField, neverExpiresField, secretDescriptionField } from './fields.schema';

const keyId = z.coerce.number({ error: 'Unknown key.' }).int('Unknown key.').positive('Unknown key.').max(2 ** 31 - 1, 'Unknown key.');

export const KEY_SOURCES = ['key', 'jwks_url'] as const;

/**
 * Add Key: a public key (PEM or JWK, in `publicKey`) or a JWKS URL, a description and an expiration. The checks
 * here run in the browser too (no crypto): a private key is refused before it leaves the page. The server then parses
 * the key fully (lib/keys/public-key.ts) or fetches the JWKS URL (lib/keys/jwks-url.ts) in addKey.
 */
export const addKeySchema = z
  .object({
    clientId: guidField('Unknown client.'),
    source: z.enum(KEY_SOURCES, { error: 'Choose Public Key or JWKS URL.' }).default('key'),
    publicKey: z
      .string({ error: 'Paste the public key.' })
      .max(KEY_TEXT_MAX + 1000, `The key is longer than ${KEY_TEXT_MAX} characters: paste one public key.`)
      .default(''),
    jwksUrl: z.string({ error: 'Enter the JWKS URL.' }).max(5000, 'Use a URL of at most 2000 characters.').default(''),
    description: secretDescriptionField,
    neverExpires: neverExpiresField,
    expiresAt: expiresAtField,
  })
  .superRefine((v, ctx) => {
    if (v.source === 'jwks_url') {
      const problem = typeof v.jwksUrl === 'string' ? jwksUrlProblem(v.jwksUrl) : 'Enter the JWKS URL.';
      if (problem) ctx.addIssue({ code: 'custom', path: ['jwksUrl'], message: problem });
    } else if (v.source === 'key') {
      const problem = typeof v.publicKey === 'string' ? keyTextProblem(v.publicKey) : 'Paste the public key.';
      if (problem) ctx.addIssue({ code: 'custom', path: ['publicKey'], message: problem });
    }
    checkExpiration(v, ctx);
  }, ALWAYS);
export type AddKeyInput = z.output<typeof addKeySchema>;

export const removeKeySchema = z.object({ clientId: guidField('Unknown client.'), keyId });
export type RemoveKeyInput = z.output<typeof removeKeySchema>;
