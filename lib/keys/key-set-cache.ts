import type { ParsedPublicKey } from './public-key';

/**
 * Remote key sets (a client's JWKS URL, a federated issuer's keys) in memory, per instance, with the same rules:
 * - a set is trusted for `ttlMs` after it was fetched;
 * - a kid the set does not hold may be a key published since (rotation): re-fetched, but at most every `missRefetchMs`;
 * - a failed fetch is remembered for `failureRetryMs` (a negative cache), so a dead or hostile URL costs one fetch per
 *   period, not one per token request; the last good set is kept until its own TTL ends;
 * - concurrent callers share one fetch; at most `maxEntries` sets (oldest dropped first).
 */
export type KeySetFetch = { ok: true; keys: ParsedPublicKey[] } | { ok: false; message: string };

type Entry = {
  keys: ParsedPublicKey[];
  /** When the current keys were fetched (0: never). */
  fetchedAt: number;
  /** When the last fetch, good or bad, started. */
  attemptAt: number;
  /** The last fetch's failure message, null after a success. */
  failure: string | null;
  inflight: Promise<ParsedPublicKey[]> | null;
};

export type KeySetCacheOptions = { ttlMs: number; missRefetchMs: number; failureRetryMs: number; maxEntries?: number };

export class KeySetCache {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly fetcher: (key: string) => Promise<KeySetFetch>,
    private readonly options: KeySetCacheOptions,
  ) {}

  /** The keys for `key` (a URL, an issuer), fetching when needed by the rules above. Never rejects. */
  async keys(key: string, wantKid?: string, now = Date.now()): Promise<ParsedPublicKey[]> {
    const { ttlMs, missRefetchMs, failureRetryMs } = this.options;
    let entry = this.entries.get(key);
    if (entry) {
      const fresh = entry.fetchedAt > 0 && now - entry.fetchedAt < ttlMs;
      const usable = fresh ? entry.keys : [];
      const holdsKid = wantKid === undefined || usable.some((k) => k.kid === wantKid);
      if (fresh && holdsKid) return usable;
      if (entry.inflight) return entry.inflight;
      const sinceAttempt = now - entry.attemptAt;
      if (entry.failure !== null && sinceAttempt < failureRetryMs) return usable;
      if (fresh && sinceAttempt < missRefetchMs) return usable;
    } else {
      entry = { keys: [], fetchedAt: 0, attemptAt: 0, failure: null, inflight: null };
      this.entries.set(key, entry);
      if (this.entries.size > (this.options.maxEntries ?? 10_000)) this.entries.delete(this.entries.keys().next().value!);
    }
    const e = entry;
    e.attemptAt = now;
    e.inflight = this.fetcher(key)
      .catch((err: unknown): KeySetFetch => ({ ok: false, message: (err as Error)?.message ?? 'The keys could not be fetched.' }))
      .then((r) => {
        if (r.ok) {
          e.keys = r.keys;
          e.fetchedAt = now;
          e.failure = null;
        } else {
          e.failure = r.message;
          if (now - e.fetchedAt >= ttlMs) e.keys = [];
        }
        return e.fetchedAt > 0 && now - e.fetchedAt < ttlMs ? e.keys : [];
      })
      .finally(() => {
        e.inflight = null;
      });
    return e.inflight;
  }

  /** The last failure for `key` (for an administrator's "last failure reason"), or null. */
  lastFailure(key: string): string | null {
    return this.entries.get(key)?.failure ?? null;
  }

  forget(key: string) {
    this.entries.delete(key);
  }

  clear() {
    this.entries.clear();
  }
}
