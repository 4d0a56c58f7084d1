import { getDbHandle, type DbHandle } from '../db';
import { KEYS_CHANGED_CHANNEL } from '../tokens/invalidation';
import { verifyAccessToken } from '../tokens/jwt';
import { KeyStore } from '../tokens/key-store';
import { kidOf, NBF_LEEWAY_SECONDS } from '../tokens/compact-jws';

/**
 * Verifying our own access tokens inside Next's route handlers. The token service (server.ts's fast path) holds its
 * keys in another module graph, so the API keeps a KeyStore of its own in verify mode (public keys only; the same
 * class, lib/tokens/key-store.ts), on a globalThis key (one per process). Keys are read again every KEY_TTL_MS, at once
 * when keys:rotate announces a change (or the LISTEN connection had a gap), and when a token names a kid not seen
 * yet (a key published since), at most once per MISS_RELOAD_MS.
 */
const KEY_TTL_MS = 30_000;
const MISS_RELOAD_MS = 1_000;

type ApiKeys = { store: KeyStore; handle: DbHandle };
const slot = globalThis as { __tscApiKeys?: ApiKeys | null };

function keysOf(handle: DbHandle): KeyStore {
  const current = slot.__tscApiKeys;
  if (current && current.handle === handle) return current.store;
  // The algorithm matters for signing only; in verify mode every published key is loaded, whatever its algorithm.
  const store = new KeyStore(handle.db, 'ES256', KEY_TTL_MS, Date.now, 'verify');
  slot.__tscApiKeys = { store, handle };
  void listenForRotation(handle, store);
  return store;
}

async function listenForRotation(handle: DbHandle, store: KeyStore) {
  try {
    await handle.listen(KEYS_CHANGED_CHANNEL, () => store.expire());
    // A rotation announced while the listening connection was down was missed: read the keys again.
    handle.onListenGap(() => store.expire());
  } catch (err) {
    // The TTL still bounds how long a withdrawn key is trusted.
    console.error('[api] listening for signing key changes failed:', (err as Error).message);
  }
}

/** Tests: forget the cached keys (e.g. after switching databases). */
export function resetApiKeyCache() {
  slot.__tscApiKeys = null;
}

export type AccessTokenClaims = { clientId: string; tenantId: string; claims: Record<string, unknown> };
export type BearerCheck = { ok: true; token: AccessTokenClaims } | { ok: false; reason: string };

/**
 * Signature (a key we publish, its algorithm, typ at+jwt: lib/tokens/jwt.ts), expiry, not-before, issuer and
 * audience. Whether the client may still act is checked against the database by the caller.
 */
export async function verifyBearerToken(
  token: string,
  expected: { issuer: string; audience: string },
  opts: { handle?: DbHandle; now?: number } = {},
): Promise<BearerCheck> {
  const invalid = { ok: false as const, reason: 'The access token is invalid.' };
  if (token.length > 8192) return invalid;
  const kid = kidOf(token);
  if (!kid) return invalid;
  const now = opts.now ?? Date.now();
  const handle = opts.handle ?? (await getDbHandle());
  const key = await keysOf(handle).currentVerificationKey(kid, MISS_RELOAD_MS);
  const claims = key ? verifyAccessToken(token, (k) => (k === kid ? key : undefined)) : null;
  if (!claims) return invalid;
  const seconds = Math.floor(now / 1000);
  const { exp, nbf, iss, aud, client_id: clientId, tenant_id: tenantId } = claims;
  if (typeof exp !== 'number' || exp <= seconds) return { ok: false, reason: 'The access token has expired.' };
  if (typeof nbf === 'number' && nbf > seconds + NBF_LEEWAY_SECONDS) return { ok: false, reason: 'The access token is not valid yet.' };
  if (iss !== expected.issuer) return { ok: false, reason: 'The access token was issued for another server.' };
  const audiences = Array.isArray(aud) ? aud : [aud];
  if (!audiences.includes(expected.audience)) return { ok: false, reason: 'The access token is meant for another audience.' };
  if (typeof clientId !== 'string' || typeof tenantId !== 'string') return invalid;
  return { ok: true, token: { clientId: clientId.toLowerCase(), tenantId: tenantId.toLowerCase(), claims } };
}
