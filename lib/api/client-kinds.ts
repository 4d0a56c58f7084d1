import type { ClientType } from '../clients/client-types';

/**
 * The REST API's client collections, one per client type. Each collection answers only for clients of its type: a
 * client of another type is "not found" there, exactly like an unknown id or another tenant's id.
 */
export type ApiClientKind = {
  clientType: ClientType;
  collection: 'ClientCredentialClients' | 'AuthorizationCodeClients' | 'HybridClients' | 'DeviceCodeClients';
};

export const CLIENT_CREDENTIAL_CLIENTS = { clientType: 'client_credentials', collection: 'ClientCredentialClients' } as const satisfies ApiClientKind;
export const AUTHORIZATION_CODE_CLIENTS = { clientType: 'authorization_code', collection: 'AuthorizationCodeClients' } as const satisfies ApiClientKind;
export const HYBRID_CLIENTS = { clientType: 'hybrid', collection: 'HybridClients' } as const satisfies ApiClientKind;
export const DEVICE_CODE_CLIENTS = { clientType: 'device_code', collection: 'DeviceCodeClients' } as const satisfies ApiClientKind;

export function clientUrlOf(kind: ApiClientKind, tenantId: string, clientId: string) {
  return `/api/v1/Tenants/${tenantId}/${kind.collection}/${clientId}`;
}
