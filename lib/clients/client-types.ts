/** Client types offered in the Client Type dropdown; each lists its own clients. */
export type ClientType = 'client_credentials' | 'authorization_code' | 'hybrid';
export const CLIENT_TYPES: { value: ClientType; label: string }[] = [
  { value: 'client_credentials', label: 'Client-Credentials Client' },
  { value: 'authorization_code', label: 'Authorization Code Client' },
  { value: 'hybrid', label: 'Hybrid Client' },
];
export const isClientType = (v: unknown): v is ClientType => CLIENT_TYPES.some((t) => t.value === v);
export const clientTypeLabel = (v: string) => CLIENT_TYPES.find((t) => t.value === v)?.label ?? v;
/** Clients that sign users in (lib/oidc): redirect URLs, refresh tokens. */
export type UserClientType = Exclude<ClientType, 'client_credentials'>;
export const isUserClientType = (v: unknown): v is UserClientType => v === 'authorization_code' || v === 'hybrid';
