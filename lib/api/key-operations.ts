import { MAX_KEYS_PER_CLIENT } from '../clients/limits';
import { createKeyOp, deleteKeyOp, getKeyOp, listKeysOp } from './key-handlers';
import { keyCreateRequest, keyResponse } from './key-schemas';
import type { OperationSpec } from './operation-spec';

const CLIENT = '/api/v1/Tenants/{tenantId}/ClientCredentialClients/{clientId}';
const NOT_FOUND = { status: 404, description: 'No such client in this tenant (ids of other tenants alike).' } as const;
const KEY_NOT_FOUND = { status: 404, description: 'No such client in this tenant, or no such key of the client.' } as const;
const NEXT_YEAR = `${new Date().getUTCFullYear() + 1}-06-30T00:00:00Z`;

/** The Keys operations (private_key_jwt public keys), listed in the contract (lib/api/contract.ts). */
export const KEY_OPERATIONS: OperationSpec[] = [
  {
    method: 'get',
    path: `${CLIENT}/Keys`,
    operationId: 'listClientCredentialClientKeys',
    handler: listKeysOp,
    tag: 'Keys',
    summary: 'List a client\'s public keys',
    description: 'The public keys the client signs its assertions with (private_key_jwt), oldest first. The total is in the Total-Count header.',
    paging: true,
    success: { status: 200, schema: keyResponse, array: true, description: 'The keys on this page.' },
    errors: [{ status: 400, description: 'skip or count is invalid.' }, NOT_FOUND],
  },
  {
    method: 'post',
    path: `${CLIENT}/Keys`,
    operationId: 'createClientCredentialClientKey',
    handler: createKeyOp,
    tag: 'Keys',
    summary: 'Add a public key',
    description: `Adds a public key (PEM or JWK) or a JWKS URL to the client (at most ${MAX_KEYS_PER_CLIENT}). A private key is refused and never stored.`,
    request: keyCreateRequest,
    example: { Key: '-----BEGIN PUBLIC KEY-----\n...\n-----END PUBLIC KEY-----', Description: 'historian-01', Expiration: NEXT_YEAR, Expires: true },
    success: { status: 201, schema: keyResponse, description: 'The key as stored.' },
    errors: [
      { status: 400, description: `Invalid fields (a private key, a weak or unsupported key, an unreachable JWKS URL), or the client already has ${MAX_KEYS_PER_CLIENT} keys.` },
      NOT_FOUND,
      { status: 413, description: 'The body is larger than 32 KiB.' },
      { status: 415, description: 'The body is not application/json.' },
    ],
  },
  {
    method: 'get',
    path: `${CLIENT}/Keys/{keyId}`,
    operationId: 'getClientCredentialClientKey',
    handler: getKeyOp,
    tag: 'Keys',
    summary: 'Get a public key',
    description: 'One key: kid, algorithm, thumbprint, dates.',
    success: { status: 200, schema: keyResponse, description: 'The key.' },
    errors: [KEY_NOT_FOUND],
  },
  {
    method: 'delete',
    path: `${CLIENT}/Keys/{keyId}`,
    operationId: 'deleteClientCredentialClientKey',
    handler: deleteKeyOp,
    tag: 'Keys',
    summary: 'Remove a public key',
    description: 'Removes the key; assertions signed with it get no more tokens, at once.',
    success: { status: 204, description: 'Removed.' },
    errors: [KEY_NOT_FOUND],
  },
];
