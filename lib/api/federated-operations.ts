import { MAX_FEDERATED_PER_CLIENT } from '../clients/federated/federated-credential.schema';
import { createFederatedOp, deleteFederatedOp, getFederatedOp, listFederatedOp, updateFederatedOp } from './federated-handlers';
import { federatedCreateRequest, federatedResponse, federatedUpdateRequest } from './federated-schemas';
import type { OperationSpec } from './operation-spec';

const CLIENT = '/api/v1/Tenants/{tenantId}/ClientCredentialClients/{clientId}';
const NOT_FOUND = { status: 404, description: 'No such client in this tenant (ids of other tenants alike).' } as const;
const ITEM_NOT_FOUND = { status: 404, description: 'No such client in this tenant, or no such federated credential of the client.' } as const;

/** The FederatedCredentials operations, listed in the contract (lib/api/contract.ts). */
export const FEDERATED_OPERATIONS: OperationSpec[] = [
  {
    method: 'get',
    path: `${CLIENT}/FederatedCredentials`,
    operationId: 'listFederatedCredentials',
    handler: listFederatedOp,
    tag: 'FederatedCredentials',
    summary: 'List a client\'s federated credentials',
    description: 'Oldest first, with last use and last failure reason. The total is in the Total-Count header.',
    paging: true,
    success: { status: 200, schema: federatedResponse, array: true, description: 'The federated credentials on this page.' },
    errors: [{ status: 400, description: 'skip or count is invalid.' }, NOT_FOUND],
  },
  {
    method: 'post',
    path: `${CLIENT}/FederatedCredentials`,
    operationId: 'createFederatedCredential',
    handler: createFederatedOp,
    tag: 'FederatedCredentials',
    summary: 'Add a federated credential',
    description:
      `Lets the client authenticate at the token endpoint with a platform token (client_assertion_type=urn:ietf:params:oauth:client-assertion-type:jwt-bearer, ` +
      `client_assertion=<the platform's JWT>, client_id). At most ${MAX_FEDERATED_PER_CLIENT} per client. Without Jwks, the issuer's discovery document is fetched now (https, public addresses only).`,
    request: federatedCreateRequest,
    example: {
      Name: 'deploy-main',
      Preset: 'github_actions',
      Issuer: 'https://token.actions.githubusercontent.com',
      Subject: 'repo:acme/*:ref:refs/heads/main',
      SubjectMatch: 'Glob',
      Conditions: [{ Claim: 'job_workflow_ref', Operator: 'Glob', Values: ['acme/api/.github/workflows/deploy.yml@*'] }],
    },
    success: { status: 201, schema: federatedResponse, description: 'The federated credential as stored.' },
    errors: [
      { status: 400, description: `Invalid fields (an unreachable or private issuer, a private key in Jwks, a glob of only wildcards), or the client already has ${MAX_FEDERATED_PER_CLIENT}.` },
      NOT_FOUND,
      { status: 413, description: 'The body is larger than 32 KiB.' },
      { status: 415, description: 'The body is not application/json.' },
    ],
  },
  {
    method: 'get',
    path: `${CLIENT}/FederatedCredentials/{credentialId}`,
    operationId: 'getFederatedCredential',
    handler: getFederatedOp,
    tag: 'FederatedCredentials',
    summary: 'Get a federated credential',
    description: 'One federated credential, with its last use and last failure reason.',
    success: { status: 200, schema: federatedResponse, description: 'The federated credential.' },
    errors: [ITEM_NOT_FOUND],
  },
  {
    method: 'put',
    path: `${CLIENT}/FederatedCredentials/{credentialId}`,
    operationId: 'updateFederatedCredential',
    handler: updateFederatedOp,
    tag: 'FederatedCredentials',
    summary: 'Edit a federated credential',
    description:
      'Changes any of its fields, and Enabled (a disabled credential accepts no token). Fields left out keep their stored values. ' +
      'Validated as when it was added (without Jwks, the issuer\'s discovery document is fetched again); audited with the fields that changed.',
    request: federatedUpdateRequest,
    example: { Subject: 'repo:acme/api:environment:production', Conditions: [{ Claim: 'environment', Operator: 'Equals', Values: ['production'] }], Enabled: true },
    success: { status: 200, schema: federatedResponse, description: 'The federated credential as saved.' },
    errors: [
      { status: 400, description: 'Invalid fields (an unreachable or private issuer, a private key in Jwks, a glob of only wildcards).' },
      ITEM_NOT_FOUND,
      { status: 413, description: 'The body is larger than 32 KiB.' },
      { status: 415, description: 'The body is not application/json.' },
    ],
  },
  {
    method: 'delete',
    path: `${CLIENT}/FederatedCredentials/{credentialId}`,
    operationId: 'deleteFederatedCredential',
    handler: deleteFederatedOp,
    tag: 'FederatedCredentials',
    summary: 'Remove a federated credential',
    description: 'Tokens it accepted get no more access tokens, at once.',
    success: { status: 204, description: 'Removed.' },
    errors: [ITEM_NOT_FOUND],
  },
];
