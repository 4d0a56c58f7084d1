/** The product's limits for clients (at most 50,000 of all types per tenant, 10 secrets per client), in one place for the console, the API and tests. */
export const MAX_CLIENTS_PER_TENANT = 50_000;
export const MAX_SECRETS_PER_CLIENT = 10;
export const DEFAULT_TOKEN_LIFETIME = 3600;
export const MIN_TOKEN_LIFETIME = 60;
export const MAX_TOKEN_LIFETIME = 3600;
export const NAME_MAX = 100;
export const SECRET_DESCRIPTION_MAX = 200;
/** A secret expiring within this many days is flagged "Expiring soon". */
export const EXPIRING_SOON_DAYS = 30;
export const DAY_MS = 86_400_000;
export const MAX_KEYS_PER_CLIENT = 10;
