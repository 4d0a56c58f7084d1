import { MAX_KEYS_PER_CLIENT, MAX_SECRETS_PER_CLIENT } from './limits';

/** Messages shared by the console and the API. An unknown id and another tenant's id get the same message. */
export const CLIENT_NOT_FOUND = 'This client does not exist: it may have been removed. Go back to the list of clients.';
export const SECRET_NOT_FOUND = 'This secret does not exist any more: it may have been removed. Reload the list of secrets.';
export const SECRET_LIMIT = `This client already has ${MAX_SECRETS_PER_CLIENT} secrets, the most it can have. Remove a secret before adding another.`;
export const conflictMessage = (by: string) =>
  `This client was changed by ${by} after you opened it. Reload to see the current values, then make your change again.`;
export const KEY_NOT_FOUND = 'This key does not exist any more: it may have been removed. Reload the list of keys.';
export const KEY_LIMIT = `This client already has ${MAX_KEYS_PER_CLIENT} keys, the most it can have. Remove a key before adding another.`;
export const UNASSIGNABLE_ROLES = 'One or more of the selected roles do not exist in this tenant or its communities.';
