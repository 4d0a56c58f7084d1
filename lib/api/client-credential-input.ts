import { isPlainObject } from './body';
import { federatedFieldName, federatedInput } from './federated-handlers';
import { apiFieldName } from '../http/api-answers';
import { KEY_FIELDS } from './key-handlers';
import { CREATE_CLIENT_FIELDS, secretInput } from './translate';

/**
 * POST ClientCredentialClients: which credential the new client gets. Without FederatedCredential and PublicKey, its
 * first secret (the product's body, as before); with one of them, that instead and no secret: the console's Create
 * Secret choice (createClientSchema's `credential`, `federated`, `publicKey`), so the same schema validates both and
 * createClient writes the client and its credential in one transaction.
 */
export type ClientCredentialInput = {
  /** Fields to put over createClientInput's input. */
  input: Record<string, unknown>;
  errors: Record<string, string>;
  /** A lib field path of createClientSchema -> the API's field name, for this choice. */
  fieldName: (path: string) => string;
};

const has = (o: Record<string, unknown>, key: string) => Object.prototype.hasOwnProperty.call(o, key) && o[key] !== undefined;
const NO_SECRET = 'Leave this out with FederatedCredential or PublicKey: the client gets no secret.';

export function clientCredentialInput(body: Record<string, unknown>, defaultAudience: string): ClientCredentialInput {
  const errors: Record<string, string> = {};
  const federated = body.FederatedCredential;
  const key = body.PublicKey;
  const hasFederated = federated !== undefined && federated !== null;
  const hasKey = key !== undefined && key !== null;
  if (!hasFederated && !hasKey) {
    // A secret. The secretless policy's refusal names the fields that would avoid it.
    return { input: {}, errors, fieldName: (path) => (path === 'credential' ? 'FederatedCredential' : apiFieldName(path, CREATE_CLIENT_FIELDS)) };
  }
  if (hasFederated && hasKey) errors.PublicKey = 'Give FederatedCredential or PublicKey, not both.';
  for (const field of ['SecretDescription', 'SecretExpirationDate']) if (has(body, field)) errors[field] = NO_SECRET;

  if (hasFederated) {
    if (!isPlainObject(federated)) {
      errors.FederatedCredential = 'FederatedCredential must be a JSON object: the body POST .../FederatedCredentials takes.';
      return { input: { credential: 'federated' }, errors, fieldName: (path) => apiFieldName(path, CREATE_CLIENT_FIELDS) };
    }
    const translated = federatedInput(federated, '', defaultAudience);
    for (const [field, message] of Object.entries(translated.errors)) errors[`FederatedCredential.${field}`] = message;
    // The credential's fields without clientId (the client is new: createClientSchema has its own).
    const fields: Record<string, unknown> = { ...translated.input };
    delete fields.clientId;
    return {
      input: { credential: 'federated', federated: fields, description: '', neverExpires: true, expiresAt: null },
      errors,
      fieldName: (path) => (path.startsWith('federated.') ? `FederatedCredential.${federatedFieldName(path.slice('federated.'.length))}` : apiFieldName(path, CREATE_CLIENT_FIELDS)),
    };
  }

  if (!isPlainObject(key)) {
    errors.PublicKey = 'PublicKey must be a JSON object: {"Key": "<PEM or JWK>", "Description": ..., "Expiration": ..., "Expires": ...}.';
    return { input: { credential: 'key' }, errors, fieldName: (path) => apiFieldName(path, CREATE_CLIENT_FIELDS) };
  }
  const expiry = secretInput(key);
  for (const [field, message] of Object.entries(expiry.errors)) errors[`PublicKey.${field}`] = message;
  if (has(key, 'JwksUrl')) errors['PublicKey.JwksUrl'] = 'A new client takes a key in Key; add a JWKS URL afterwards with POST .../Keys.';
  const publicKey = key.Key === undefined || key.Key === null ? '' : isPlainObject(key.Key) ? JSON.stringify(key.Key) : key.Key;
  const keyFields: Record<string, string> = { publicKey: 'Key', description: 'Description', expiresAt: 'Expiration', neverExpires: 'Expires' };
  return {
    input: { credential: 'key', publicKey, ...expiry.input },
    errors,
    fieldName: (path) => (keyFields[path.split('.')[0]] ? `PublicKey.${apiFieldName(path, KEY_FIELDS)}` : apiFieldName(path, CREATE_CLIENT_FIELDS)),
  };
}
