/** Client types offered in the Client Type dropdown; each lists its own clients. */
export type ClientType = 'client_credentials' | 'authorization_code' | 'hybrid' | 'device_code';
export const CLIENT_TYPES: { value: ClientType; label: string }[] = [
  { value: 'client_credentials', label: 'Client-Credentials Client' },
  { value: 'authorization_code', label: 'Authorization Code Client' },
  { value: 'hybrid', label: 'Hybrid Client' },
  { value: 'device_code', label: 'Device Code Client' },
];
export const isClientType = (v: unknown): v is ClientType => CLIENT_TYPES.some((t) => t.value === v);
export const clientTypeLabel = (v: string) => CLIENT_TYPES.find((t) => t.value === v)?.label ?? v;
/** Clients that sign users in (lib/oidc): refresh tokens; redirect URLs except Device Code clients. */
export type UserClientType = Exclude<ClientType, 'client_credentials'>;
export const isUserClientType = (v: unknown): v is UserClientType =>
  v === 'authorization_code' || v === 'hybrid' || v === 'device_code';
/**
 * Device Code clients (RFC 8628): public, like Authorization Code clients (a TV or a CLI cannot keep a secret), and
 * with no redirect URLs: the user approves the device on another screen, at /device.
 */
export const isDeviceClientType = (v: unknown): v is 'device_code' => v === 'device_code';
/** Public clients: client_id alone at the token endpoint (PKCE or the device code is the proof). */
export const isPublicClientType = (v: unknown): boolean => v === 'authorization_code' || v === 'device_code';
