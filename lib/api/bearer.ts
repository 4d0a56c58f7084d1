import type { JsonWebKey } from 'node:crypto';
import { getDbHandle, type Db, type DbHandle } from '../db';
import type { SigningAlg } from '../tokens/config';
import { KEYS_CHANGED_CHANNEL } from '../tokens/invalidation';
import { importPublicJwk, verifyAccessToken, type VerificationKey } from '../tokens/jwt';
import { listPublishedKeys } from '../tokens/signing-keys';
import { kidOf, NBF_LEEWAY_SECONDS } from '../tokens/compact-jws';

/**
 * Verifying our own access tokens inside Next's route handlers. The token service (server.ts's fast path) holds its
 * keys in another module graph, so the API loads the published public keys from the database itself and keeps them
 * on a globalThis key (one copy per process). They are re-read every KEY_TTL_MS, at once when keys:rotate announces
 * a change, and when a token names a kid we have not seen (a key published since), at most once per MISS_RELOAD_MS.
 */
const KEY_TTL_MS = 30_000;
const MISS_RELOAD_MS = 1_000;

type CachedKey = { verification: VerificationKey; retiredAt: number | null };
type KeyCache = {
  keys: Map<string, CachedKey>;
  loadedAt: number;
  lastMissReload: number;
  loading: Promise<void> | null;
  listening: DbHandle | null;
};

const cache = ((globalThis as Record<string, unknown>).__tscApiKeyCache ??= {
  keys: new Map(),
  loadedAt: 0,
  lastMissReload: 0,
  loading: null,
  listening: null,
}) as KeyCache;

async function loadKeys(db: Db, now: number) {
  const rows = await listPublishedKeys(db, new Date(now));
  const next = new Map<string, CachedKey>();
  for (const row of rows) {
    const known = cache.keys.get(row.kid);
    next.set(row.kid, {
      verification: known?.verification ?? { alg: row.alg as SigningAlg, publicKey: importPublicJwk(row.publicJwk as JsonWebKey) },
      retiredAt: row.retiredAt ? row.retiredAt.getTime() : null,
    });
  }
  cache.keys = next;
  cache.loadedAt = now;
}

function reload(db: Db, now: number): Promise<void> {
  cache.loading ??= loadKeys(db, now).finally(() => {
    cache.loading = null;
  });
  return cache.loading;
}

async function listenForRotation(handle: DbHandle) {
  if (cache.listening === handle) return;
  cache.listening = handle;
  try {
    await handle.listen(KEYS_CHANGED_CHANNEL, () => {
      cache.loadedAt = 0;
    });
    // A rotation announced while the listening connection was down was missed: re-read the keys.
    handle.onListenGap(() => {
      cache.loadedAt = 0;
    });
  } catch (err) {
    // The TTL still bounds how long a withdrawn key is trusted.
    console.error('[api] listening for signing key changes failed:', (err as Error).message);
  }
}

/** Tests: forget the cached keys (e.g. after switching databases). */
export function resetApiKeyCache() {
  cache.keys = new Map();
  cache.loadedAt = 0;
  cache.lastMissReload = 0;
  cache.listening = null;
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
  void listenForRotation(handle);
  if (now - cache.loadedAt >= KEY_TTL_MS) await reload(handle.db, now);
  else if (!cache.keys.has(kid) && now - cache.lastMissReload >= MISS_RELOAD_MS) {
    cache.lastMissReload = now;
    await reload(handle.db, now);
  }
  const claims = verifyAccessToken(token, (k) => {
    const key = cache.keys.get(k);
    return key && (key.retiredAt === null || key.retiredAt > now) ? key.verification : undefined;
  });
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
