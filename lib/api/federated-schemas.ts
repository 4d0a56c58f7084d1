import { z } from 'zod';
import { MAX_AGE_MINUTES_MAX, MAX_CONDITIONS, MAX_FEDERATED_PER_CLIENT, MAX_ONE_OF_VALUES } from '../clients/federated/federated-credential.schema';
import { PRESET_IDS } from '../clients/federated/presets';
import { expiresField, requestSchemas, responseSchemas } from './schemas';

/* The REST API's bodies for a client's federated credentials, in the product's field style (lib/clients/federated). */

const dateTime = z.string().meta({ format: 'date-time' });
const SUBJECT_MATCH = ['Exact', 'Glob'] as const;
const OPERATORS = ['Equals', 'Glob', 'OneOf'] as const;

const condition = z.object({
  Claim: z.string().meta({ description: 'A top-level claim name (repository, ref, environment, job_workflow_ref), or a path to a nested claim starting with / (RFC 6901 JSON Pointer: /kubernetes.io/namespace, /kubernetes.io/serviceaccount/name; ~1 for a / inside a name, ~0 for ~).' }),
  Operator: z.enum(OPERATORS).meta({ description: 'Equals: exactly the value. Glob: * any characters, ? one, \\ escapes. OneOf: any of the values.' }),
  Values: z.array(z.string()).max(MAX_ONE_OF_VALUES).meta({ description: 'One value (Equals, Glob) or up to 50 (OneOf).' }),
});

export const federatedCreateRequest = z
  .object({
    Name: z.string().meta({ description: 'Unique within the client, e.g. deploy-production.' }),
    Preset: z.enum(PRESET_IDS).optional().meta({ description: 'Which preset the credential follows (display only). Default oidc.' }),
    Issuer: z.string().meta({ description: 'The exact iss of the platform\'s tokens, e.g. https://token.actions.githubusercontent.com.' }),
    Audience: z.string().optional().meta({ description: 'The aud the tokens must contain. Default: this server\'s issuer URL ({base}/identity).' }),
    Subject: z.string().meta({ description: 'The sub the tokens must have, e.g. repo:acme/api:ref:refs/heads/main.' }),
    SubjectMatch: z.enum(SUBJECT_MATCH).optional().meta({ description: 'Exact (default) or Glob.' }),
    Conditions: z.array(condition).max(MAX_CONDITIONS).optional().meta({ description: `Further claim conditions, all of which must hold (at most ${MAX_CONDITIONS}).` }),
    Jwks: z
      .union([z.string(), z.record(z.string(), z.unknown())])
      .optional()
      .meta({ description: 'The issuer\'s public JWK Set (object or JSON text), for issuers whose keys are not public. Left out: the keys come from the issuer\'s OIDC discovery, fetched now and cached.' }),
    MaxTokenAgeMinutes: z.number().int().min(1).max(MAX_AGE_MINUTES_MAX).optional().meta({ description: 'How old a token may be, from its iat. Default 60.' }),
    SingleUse: z.boolean().optional().meta({ description: 'Accept each token (iss + jti) once. Default true; false for Kubernetes projected tokens.' }),
    Expiration: dateTime.nullable().optional().meta({ description: 'When the credential stops working. Required when Expires is true.' }),
    Expires: expiresField.optional().meta({ description: 'Default false: the credential never expires.' }),
  })
  .register(requestSchemas, { id: 'FederatedCredentialCreate', description: `A new federated credential (at most ${MAX_FEDERATED_PER_CLIENT} per client).` });

export const federatedUpdateRequest = federatedCreateRequest
  .extend({
    Enabled: z.boolean().optional().meta({ description: 'false: the credential keeps its settings but accepts no token. Left out: unchanged.' }),
  })
  .partial()
  .meta({ 'x-unchanged-when-omitted': true })
  .register(requestSchemas, {
    id: 'FederatedCredentialUpdate',
    description:
      'Edit a federated credential: the fields of FederatedCredentialCreate and Enabled. Fields left out keep their stored values ' +
      '(Jwks left out keeps a pasted JWK Set; Jwks null switches to OIDC discovery, fetched now). The same checks as when it was added.',
  });

export const federatedResponse = z
  .object({
    Id: z.number().int(),
    Name: z.string(),
    Preset: z.string(),
    Issuer: z.string(),
    Audience: z.string(),
    Subject: z.string(),
    SubjectMatch: z.enum(SUBJECT_MATCH),
    Conditions: z.array(condition),
    KeySource: z.enum(['Discovery', 'Pasted']),
    KeyIds: z.array(z.string()).meta({ description: 'The kids of a pasted JWK Set (empty with discovery).' }),
    MaxTokenAgeMinutes: z.number().int(),
    SingleUse: z.boolean(),
    Enabled: z.boolean().meta({ description: 'false: the credential accepts no token (its settings are kept).' }),
    Expiration: dateTime.nullable(),
    Expires: z.boolean(),
    CreatedDate: dateTime,
    CreatedBy: z.string(),
    LastUsedDate: dateTime.nullable().meta({ description: 'When a token it accepted last got an access token (updated every few seconds).' }),
    LastFailureDate: dateTime.nullable(),
    LastFailureReason: z.string().nullable().meta({ description: 'Why the last refused token was refused (the failing check and the claim it saw; never the token).' }),
  })
  .register(responseSchemas, { id: 'FederatedCredential', description: 'A federated credential: platform tokens the client authenticates with instead of a secret.' });

export type FederatedBody = z.output<typeof federatedResponse>;
