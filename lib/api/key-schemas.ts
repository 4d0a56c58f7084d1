import { z } from 'zod';
import { addKeySchema } from '../clients/key.schema';
import { MAX_KEYS_PER_CLIENT } from '../clients/limits';
import { expiresField, requestSchemas, responseSchemas } from './schemas';

/* The REST API's bodies for a client's public keys (private_key_jwt), in the product's field style. */

const add = addKeySchema.shape;
const expirationText = 'An ISO 8601 date and time in the future, with its offset, e.g. 2027-01-31T12:00:00Z.';
const dateTime = z.string().meta({ format: 'date-time' });

export const keyCreateRequest = z
  .object({
    Key: z
      .union([add.publicKey, z.record(z.string(), z.unknown())])
      .optional()
      .meta({
        description:
          'The public key: PEM text (-----BEGIN PUBLIC KEY----- or a certificate) or a JWK (object or JSON text). RSA of 2048 bits or more, EC P-256 or P-384, or Ed25519. A private key is refused (400) and never stored. Give Key or JwksUrl.',
      }),
    JwksUrl: add.jwksUrl.optional().meta({ description: 'An https URL that serves the client\'s JWK Set; fetched now and cached. Give Key or JwksUrl.' }),
    Description: add.description.meta({ description: 'What the key is for.' }),
    Expiration: add.expiresAt.meta({ description: `${expirationText} Required when Expires is true.` }),
    Expires: expiresField.optional().meta({
      description: 'false: the key never expires (leave Expiration out). Left out with no Expiration: expires one year from now.',
    }),
  })
  .register(requestSchemas, { id: 'ClientKeyCreate', description: `A new public key (at most ${MAX_KEYS_PER_CLIENT} per client).` });

export const keyResponse = z
  .object({
    Id: z.number().int().meta({ description: 'The key\'s id, for .../Keys/{keyId}.' }),
    Source: z.enum(['PEM', 'JWK', 'JwksUrl']).meta({ description: 'How the key was given.' }),
    KeyId: z.string().nullable().meta({ description: 'The kid an assertion names (the JWK\'s kid, else the thumbprint). null for a JWKS URL.' }),
    Algorithm: z.string().nullable().meta({ description: 'The signing algorithm the key is for: RS256, PS256, ES256, ES384 or EdDSA (for a key registered without one, the default of its type). null for a JWKS URL.' }),
    Algorithms: z.array(z.string()).meta({
      description: 'The algorithms an assertion signed with this key may use: the JWK\'s "alg" only, or for a key registered without one (a PEM, a JWK without "alg") every algorithm of its type (RS256 and PS256 for RSA). Empty for a JWKS URL.',
    }),
    Thumbprint: z.string().nullable().meta({ description: 'RFC 7638 SHA-256 thumbprint (base64url). null for a JWKS URL.' }),
    JwksUrl: z.string().nullable().meta({ description: 'The JWKS URL, for a key set fetched from there.' }),
    Description: z.string(),
    Expiration: dateTime.nullable().meta({ description: 'null when the key never expires.' }),
    Expires: z.boolean(),
    CreatedDate: dateTime,
    CreatedBy: z.string(),
    LastUsedDate: dateTime.nullable().meta({ description: 'When an assertion signed with the key last got a token (updated every few seconds).' }),
    LastUsedAlgorithm: z.string().nullable().meta({ description: 'The algorithm of that assertion.' }),
  })
  .register(responseSchemas, { id: 'ClientKey', description: 'A client\'s public key. Only public keys are ever stored.' });

export type KeyBody = z.output<typeof keyResponse>;
