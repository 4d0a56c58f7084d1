import { keysOfJwks, JWKS_CACHE_TTL_MS, JWKS_FAILURE_RETRY_MS, JWKS_MAX_KEYS, JWKS_MISS_REFETCH_MS } from '../../keys/jwks-url';
import { KeySetCache, type KeySetFetch } from '../../keys/key-set-cache';
import { PRIVATE_JWK_MEMBERS } from '../../keys/key-text';
import type { ParsedPublicKey } from '../../keys/public-key';
import { checkOutboundUrl, fetchOutboundJson } from '../../net/outbound-fetch';

/**
 * A federated issuer's signing keys: from its OIDC discovery document (`{issuer}/.well-known/openid-configuration`,
 * whose `issuer` must be the same string, then its `jwks_uri`), both fetched through lib/net (https, public addresses
 * only, pinned connections, size and time limits), cached like JWKS URLs (lib/keys/key-set-cache.ts: TTL, refetch on
 * an unknown kid at most every 30 s, failures remembered for 30 s); or a JWK Set the administrator pasted.
 */
export const ISSUER_LABEL = 'The issuer';

export function discoveryUrl(issuer: string): string {
  return `${issuer.replace(/\/+$/, '')}/.well-known/openid-configuration`;
}

/** Discovery, then the JWKS it names. */
export async function fetchIssuerKeys(issuer: string): Promise<KeySetFetch> {
  const checked = checkOutboundUrl(issuer, ISSUER_LABEL, 'https://token.actions.githubusercontent.com');
  if (!checked.ok) return checked;
  const doc = await fetchOutboundJson(discoveryUrl(issuer), { label: `${ISSUER_LABEL}'s discovery document`, redirects: 'checked' });
  if (!doc.ok) return { ok: false, message: doc.reason === 'refused' ? `${ISSUER_LABEL} points to a private or local network address: paste its JWK Set instead.` : doc.message };
  if (doc.value.issuer !== issuer) {
    return { ok: false, message: `The discovery document names another issuer (${String(doc.value.issuer).slice(0, 200)}): use exactly the issuer of the tokens.` };
  }
  const jwksUri = doc.value.jwks_uri;
  if (typeof jwksUri !== 'string') return { ok: false, message: 'The discovery document has no jwks_uri.' };
  const label = `${ISSUER_LABEL}'s jwks_uri`;
  const jwks = await fetchOutboundJson(jwksUri, { label, redirects: 'checked', accept: 'application/json, application/jwk-set+json' });
  if (!jwks.ok) return { ok: false, message: jwks.reason === 'refused' ? `${label} points to a private or local network address: paste the JWK Set instead.` : jwks.message };
  return keysOfJwks(jwks.value, label);
}

const cache = ((globalThis as Record<string, unknown>).__tscIssuerKeyCache ??= new KeySetCache(fetchIssuerKeys, {
  ttlMs: JWKS_CACHE_TTL_MS,
  missRefetchMs: JWKS_MISS_REFETCH_MS,
  failureRetryMs: JWKS_FAILURE_RETRY_MS,
})) as KeySetCache;

/** The issuer's keys for the token endpoint (cached); [] when they cannot be had (see issuerKeyFailure). */
export function issuerKeys(issuer: string, wantKid?: string, now = Date.now()): Promise<ParsedPublicKey[]> {
  return cache.keys(issuer, wantKid, now);
}

/** Why the issuer's keys could not be fetched the last time, or null. */
export function issuerKeyFailure(issuer: string): string | null {
  return cache.lastFailure(issuer);
}

/** Tests: forget fetched issuer keys. */
export function clearIssuerKeyCache() {
  cache.clear();
}

/**
 * A pasted JWK Set: JSON with "keys", public signing keys only. A private key anywhere in it is refused (and the
 * message never repeats the text).
 */
export function parsePastedJwks(raw: unknown): { ok: true; jwks: { keys: Record<string, unknown>[] }; keys: ParsedPublicKey[] } | { ok: false; message: string } {
  let doc: unknown = raw;
  if (typeof raw === 'string') {
    try {
      doc = JSON.parse(raw.trim());
    } catch {
      return { ok: false, message: 'The JWK Set is not valid JSON.' };
    }
  }
  const list = (doc as { keys?: unknown })?.keys;
  if (!doc || typeof doc !== 'object' || Array.isArray(doc) || !Array.isArray(list)) {
    return { ok: false, message: 'Paste a JWK Set: a JSON object with "keys", such as the output of kubectl get --raw /openid/v1/jwks.' };
  }
  if (list.length > JWKS_MAX_KEYS) return { ok: false, message: `The JWK Set holds more than ${JWKS_MAX_KEYS} keys.` };
  if (list.some((k) => k && typeof k === 'object' && PRIVATE_JWK_MEMBERS.some((m) => m in (k as object)))) {
    return { ok: false, message: 'The JWK Set holds a private or secret key. Paste the public keys only: nothing was saved.' };
  }
  const parsed = keysOfJwks(doc, 'The JWK Set');
  if (!parsed.ok) return parsed;
  // Stored as the public JWKs we parsed (normalized: kid, alg, use), never members we did not understand.
  return { ok: true, jwks: { keys: parsed.keys.map((k) => k.jwk) }, keys: parsed.keys };
}
