import { checkOutboundUrl, fetchOutboundJson, OUTBOUND_MAX_BYTES, OUTBOUND_TIMEOUT_MS, OUTBOUND_URL_MAX } from '../net/outbound-fetch';
import { KeySetCache } from './key-set-cache';
import { parsePublicKey, type ParsedPublicKey } from './public-key';

export { isInternalAddress } from '../net/address';

/**
 * JWKS URLs: a client's keys fetched from its own endpoint. The console's server fetches a URL an administrator
 * typed, so it goes through lib/net/outbound-fetch.ts (https only, public addresses only with the connection pinned
 * to the checked address, redirects only to the same origin and checked again, a timeout and a size cap; plain http
 * only to loopback with JWKS_URL_ALLOW_HTTP_LOOPBACK=1, for tests and local development).
 * Fetched sets are cached per URL for JWKS_CACHE_TTL_MS, and failures for JWKS_FAILURE_RETRY_MS (lib/keys/key-set-cache.ts).
 */
export const JWKS_URL_MAX = OUTBOUND_URL_MAX;
export const JWKS_TIMEOUT_MS = OUTBOUND_TIMEOUT_MS;
export const JWKS_MAX_BYTES = OUTBOUND_MAX_BYTES;
export const JWKS_CACHE_TTL_MS = 5 * 60_000;
/** A kid we do not know may be a key published since: re-fetch, but at most this often. */
export const JWKS_MISS_REFETCH_MS = 30_000;
/** A URL that failed is not asked again for this long, however many token requests name it. */
export const JWKS_FAILURE_RETRY_MS = 30_000;
export const JWKS_MAX_KEYS = 20;

export type JwksFetchResult = { ok: true; keys: ParsedPublicKey[] } | { ok: false; message: string };

const LABEL = 'The JWKS URL';

/** The URL as accepted for storing, or the message for the field. */
export function checkJwksUrl(raw: unknown): { ok: true; url: URL } | { ok: false; message: string } {
  return checkOutboundUrl(raw, LABEL, 'https://app.example.com/.well-known/jwks.json');
}

/**
 * The usable keys of a JWK Set document: public signing keys of the accepted kinds (encryption keys, private keys and
 * unsupported kinds are skipped, never used), at most JWKS_MAX_KEYS. `label` names the source in messages.
 */
export function keysOfJwks(doc: unknown, label = LABEL): JwksFetchResult {
  const list = (doc as { keys?: unknown })?.keys;
  if (!Array.isArray(list)) return { ok: false, message: `${label} did not answer with a JWK Set ({"keys": [...]}).` };
  const keys: ParsedPublicKey[] = [];
  for (const item of list.slice(0, JWKS_MAX_KEYS)) {
    const parsed = parsePublicKey(item);
    if (parsed.ok) keys.push(parsed.key);
  }
  if (keys.length === 0) return { ok: false, message: 'The JWK Set holds no usable public signing key.' };
  return { ok: true, keys };
}

/** Fetch and parse a JWKS (no cache). */
export async function fetchJwks(raw: string, label = LABEL): Promise<JwksFetchResult> {
  const checked = checkJwksUrl(raw);
  if (!checked.ok) return checked;
  const got = await fetchOutboundJson(checked.url, { label, accept: 'application/json, application/jwk-set+json', redirects: 'same-origin' });
  if (!got.ok) return { ok: false, message: got.reason === 'format' ? `${label} did not answer with JSON.` : got.message };
  return keysOfJwks(got.value, label);
}

const cache = ((globalThis as Record<string, unknown>).__tscJwksUrlCache2 ??= new KeySetCache((url) => fetchJwks(url), {
  ttlMs: JWKS_CACHE_TTL_MS,
  missRefetchMs: JWKS_MISS_REFETCH_MS,
  failureRetryMs: JWKS_FAILURE_RETRY_MS,
})) as KeySetCache;

/**
 * The keys of a JWKS URL for the token endpoint: from the cache while fresh; `wantKid` not among them re-fetches
 * (at most every JWKS_MISS_REFETCH_MS); a failure is not retried for JWKS_FAILURE_RETRY_MS. A failed fetch keeps the
 * last good set until its TTL ends.
 */
export function jwksKeys(url: string, wantKid?: string, now = Date.now()): Promise<ParsedPublicKey[]> {
  return cache.keys(url, wantKid, now);
}

/** Tests: forget fetched sets. */
export function clearJwksCache() {
  cache.clear();
}
