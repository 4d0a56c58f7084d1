/** Client types offered in the Client Type dropdown: only types that can be created are listed. */
export type ClientType = 'client_credentials';
export const CLIENT_TYPES: { value: ClientType; label: string }[] = [
  // Authorization Code and Hybrid clients are not built yet, so they are not offered.
  { value: 'client_credentials', label: 'Client-Credentials Client' },
];
export const isClientType = (v: unknown): v is ClientType => CLIENT_TYPES.some((t) => t.value === v);
