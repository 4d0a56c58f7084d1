/**
 * Failed client authentication, throttled per (client id, source address). After `maxFailures` failures within
 * `windowMs`, that pair is refused for `blockMs` without its secret even being compared, so online guessing gets
 * nowhere. Only the pair is refused: the legitimate client, calling from its own address, keeps getting tokens
 * however many failures a stranger causes elsewhere. Per instance and in memory (a bounded map).
 */
export type ThrottleOptions = { maxFailures: number; windowMs: number; blockMs: number; maxEntries?: number };

type Entry = { failures: number; firstAt: number; blockedUntil: number };

export class ClientAuthThrottle {
  private entries = new Map<string, Entry>();
  private readonly maxEntries: number;

  constructor(private readonly options: ThrottleOptions) {
    this.maxEntries = options.maxEntries ?? 100_000;
  }

  static key(clientId: string, sourceAddress: string): string {
    return `${clientId.slice(0, 100)}\n${sourceAddress}`;
  }

  private live(key: string, now: number): Entry | undefined {
    const e = this.entries.get(key);
    if (!e) return undefined;
    const over = e.blockedUntil ? now >= e.blockedUntil : now - e.firstAt >= this.options.windowMs;
    if (over) {
      this.entries.delete(key);
      return undefined;
    }
    return e;
  }

  isBlocked(key: string, now = Date.now()): boolean {
    return Boolean(this.live(key, now)?.blockedUntil);
  }

  /** Count a failure; true when this failure starts a throttled period (the moment to write one audit event). */
  recordFailure(key: string, now = Date.now()): boolean {
    const e = this.live(key, now);
    if (!e) {
      this.makeRoom(now);
      this.entries.set(key, { failures: 1, firstAt: now, blockedUntil: 0 });
      return this.options.maxFailures <= 1 ? this.block(key, now) : false;
    }
    if (e.blockedUntil) return false;
    e.failures += 1;
    return e.failures >= this.options.maxFailures ? this.block(key, now) : false;
  }

  private block(key: string, now: number): true {
    this.entries.get(key)!.blockedUntil = now + this.options.blockMs;
    return true;
  }

  recordSuccess(key: string) {
    if (this.entries.size) this.entries.delete(key);
  }

  failures(key: string, now = Date.now()): number {
    return this.live(key, now)?.failures ?? 0;
  }

  private makeRoom(now: number) {
    if (this.entries.size < this.maxEntries) return;
    // Make room for a tenth more at once, so a flood costs one sweep per many insertions.
    const target = Math.floor(this.maxEntries * 0.9);
    for (const key of [...this.entries.keys()]) this.live(key, now);
    // Still full: forget the oldest unblocked pairs first, keeping the ones being refused.
    for (const [key, e] of this.entries) {
      if (this.entries.size <= target) break;
      if (!e.blockedUntil) this.entries.delete(key);
    }
    for (const key of this.entries.keys()) {
      if (this.entries.size <= target) break;
      this.entries.delete(key);
    }
  }
}
