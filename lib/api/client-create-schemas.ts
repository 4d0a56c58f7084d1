import { z } from 'zod';
import { createClientSchema } from '../clients/create-client.schema';
import { DEFAULT_TOKEN_LIFETIME } from '../clients/limits';
import { federatedCreateRequest, federatedResponse } from './federated-schemas';
import { keyCreateRequest, keyResponse } from './key-schemas';
import { clientResponse, enabledField, expirationText, lifetimeText, requestSchemas, responseSchemas } from './schemas';

/*
 * POST ClientCredentialClients: the product's body {Id, Name, Enabled, AccessTokenLifetime, RoleIds, SecretDescription,
 * SecretExpirationDate}, which makes the client's first secret, or, instead of a secret, the client's first federated
 * credential (FederatedCredential, the body of POST .../FederatedCredentials) or public key (PublicKey, the body of
 * POST .../Keys without JwksUrl). The same choice as the console's Create Secret step (createClientSchema's
 * `credential`), in one transaction: a tenant whose policy forbids secrets can add clients over the API too.
 * Its own module because it refers to the Keys and FederatedCredentials bodies, which build on lib/api/schemas.ts.
 */
const create = createClientSchema.shape;
const secretOnly = 'Only with a secret: leave it out with FederatedCredential or PublicKey.';

export const clientPublicKeyRequest = keyCreateRequest
  .omit({ JwksUrl: true })
  .extend({ Key: keyCreateRequest.shape.Key.unwrap().meta({ description: 'The public key: PEM text or a JWK (object or JSON text). A private key is refused (400) and never stored.' }) })
  .meta({ description: 'The client\'s first public key (private_key_jwt), instead of a secret. A JWKS URL can be added afterwards with POST .../Keys.' });

export const clientCreateRequest = z
  .object({
    Id: create.clientId.meta({
      description: 'The Client Id (a GUID). Generated when left out; a 409 when a client with this Id exists.',
      format: 'uuid',
    }),
    Name: create.name.meta({ description: 'The client\'s name. No control characters (tabs, line breaks).' }),
    Enabled: enabledField.optional().meta({ description: 'Whether the client can get tokens. Default true.' }),
    AccessTokenLifetime: create.tokenLifetime.meta({ description: `${lifetimeText} Default ${DEFAULT_TOKEN_LIFETIME}.` }),
    RoleIds: create.roleIds.meta({
      description: 'Ids of tenant or community roles to give the client. Tenant Member is always added.',
      items: { type: 'string', format: 'uuid' },
    }),
    SecretDescription: create.description.meta({ description: `Description of the first secret. ${secretOnly}` }),
    SecretExpirationDate: create.expiresAt.meta({
      description: `When the first secret expires. ${expirationText} Left out: one year from now. null: the secret never expires. ${secretOnly}`,
    }),
    FederatedCredential: federatedCreateRequest.optional().meta({
      description:
        'Instead of a secret: the client\'s first federated credential (as POST .../FederatedCredentials takes it). The client gets no secret; ' +
        'allowed when the tenant\'s policy forbids secrets.',
    }),
    PublicKey: clientPublicKeyRequest.optional(),
  })
  .register(requestSchemas, {
    id: 'ClientCredentialClientCreate',
    description: 'A new client-credentials client with its first secret, or with a federated credential or a public key instead (give at most one of the two).',
  });

const secretField = (description: string) => description + ' Present when the client was added with a secret.';
export const clientCreatedResponse = clientResponse
  .extend({
    ClientSecret: z.string().optional().meta({ description: secretField('The secret. Shown only in this answer: store it now; it cannot be read again.') }),
    SecretId: z.number().int().optional().meta({ description: secretField('The id of the secret, for .../Secrets/{secretId}.') }),
    SecretDescription: z.string().optional().meta({ description: secretField('The secret\'s description.') }),
    SecretExpirationDate: z.string().meta({ format: 'date-time' }).nullable().optional().meta({ description: secretField('null: the secret never expires.') }),
    FederatedCredential: federatedResponse.optional().meta({ description: 'The federated credential, when the client was added with one.' }),
    PublicKey: keyResponse.optional().meta({ description: 'The public key, when the client was added with one.' }),
  })
  .register(responseSchemas, {
    id: 'ClientCredentialClientCreateResponse',
    description: 'The new client with its one-time secret, or with the federated credential or public key it was added with.',
  });

export type ClientCreatedBody = z.output<typeof clientCreatedResponse>;
