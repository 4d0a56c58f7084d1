import type { VerificationKey } from './config';

type Entry = { claims: Record<string, unknown>; expMs: number; kid: string; key: VerificationKey };

/**
 * Access tokens whose signature this process has already verified, by their exact compact form, until they expire.
 * A resource server introspects the same token again and again; the ES256 check (about twice the cost of a
 * signature) is then done once per token instead of once per request. A hit still goes through every other check
 * (exp, nbf, tenant, the client enabled, revocation), and counts only while the key that verified it is still the one
 * published under its kid: a key removed or replaced makes every token it verified a miss (checked again).
 * Bounded: the oldest entry goes first.
 */
export class VerifiedTokenCache {
  private entries = new Map<string, Entry>();

  constructor(
    private readonly maxEntries = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  get(token: string, keyFor: (kid: string) => VerificationKey | undefined): Record<string, unknown> | null {
    const entry = this.entries.get(token);
    if (!entry) return null;
    if (entry.expMs <= this.now() || keyFor(entry.kid) !== entry.key) {
      this.entries.delete(token);
      return null;
    }
    return entry.claims;
  }

  /** `claims` as the signature check returned them for `token`, verified with `key` (published as `kid`). */
  set(token: string, claims: Record<string, unknown>, kid: string, key: VerificationKey) {
    const exp = claims.exp;
    if (typeof exp !== 'number' || exp * 1000 <= this.now()) return;
    if (this.entries.size >= this.maxEntries && !this.entries.has(token)) {
      this.entries.delete(this.entries.keys().next().value!);
    }
    this.entries.set(token, { claims, expMs: exp * 1000, kid, key });
  }

  get size() {
    return this.entries.size;
  }

  clear() {
    this.entries.clear();
  }
}
