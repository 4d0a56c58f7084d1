// In this order: each area's schema module registers its components when first imported, and the registries'
// order is the document's component order (lib/api/openapi.ts).
import { KEY_OPERATIONS } from './key-operations';
import { FEDERATED_OPERATIONS } from './federated-operations';
import { NOTIFICATION_OPERATIONS } from './notification-operations';
import { API_OPERATIONS, apiAccessOperations } from './apis-operations';
import { CLIENT_OPERATIONS, userClientOperations } from './operations';
import { AUTHORIZATION_CODE_CLIENTS, CLIENT_CREDENTIAL_CLIENTS, DEVICE_CODE_CLIENTS, HYBRID_CLIENTS } from './client-kinds';
import type { OperationSpec } from './operation-spec';

export type { HttpMethod, OperationSpec, PathParams } from './operation-spec';

/**
 * The REST API as one contract: every operation once, its OpenAPI description together with its handler. The
 * OpenAPI document (lib/api/openapi.ts) and the router that answers /api/v1 (lib/api/router.ts, used by
 * app/api/v1/[...path]/route.ts and the API test server) are both generated from this table. Its order is the
 * document's.
 */
export const CONTRACT: readonly OperationSpec[] = [
  ...CLIENT_OPERATIONS,
  ...KEY_OPERATIONS,
  ...FEDERATED_OPERATIONS,
  ...NOTIFICATION_OPERATIONS,
  ...userClientOperations('AuthorizationCodeClients'),
  ...userClientOperations('HybridClients'),
  ...userClientOperations('DeviceCodeClients'),
  ...API_OPERATIONS,
  ...apiAccessOperations(CLIENT_CREDENTIAL_CLIENTS, 'ClientCredentialClient', 'a client-credentials'),
  ...apiAccessOperations(AUTHORIZATION_CODE_CLIENTS, 'AuthorizationCodeClient', 'an Authorization Code'),
  ...apiAccessOperations(HYBRID_CLIENTS, 'HybridClient', 'a Hybrid'),
  ...apiAccessOperations(DEVICE_CODE_CLIENTS, 'DeviceCodeClient', 'a Device Code'),
];
