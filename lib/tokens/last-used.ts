import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { tokenStats } from './stats';

/**
 * "Last used" stamps for client secrets without a database write per token: the newest time per secret is kept in
 * memory and written in one statement every few seconds, and once more at shutdown. A stamp only moves forward,
 * so instances flushing in any order agree.
 */
export class LastUsedRecorder {
  private pending = new Map<number, number>();
  /** client_keys: the algorithm of the newest stamp (written as last_used_alg with it). */
  private algs = new Map<number, string>();
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  /** `table`: client_secrets, client_keys (private_key_jwt) or client_federated_credentials (same id and last_used_at columns). */
  constructor(
    private readonly db: Db,
    private readonly table: 'client_secrets' | 'client_keys' | 'client_federated_credentials' = 'client_secrets',
  ) {}

  /** `alg` (client_keys only): the algorithm the key's assertion used, kept with the newest stamp. */
  stamp(secretId: number, at: number, alg?: string) {
    if ((this.pending.get(secretId) ?? 0) > at) return;
    this.pending.set(secretId, at);
    if (alg !== undefined) this.algs.set(secretId, alg);
  }

  get pendingCount() {
    return this.pending.size;
  }

  start(intervalMs: number) {
    this.timer ??= setInterval(() => {
      this.flush().catch((err) => console.error('[tokens] writing last-used stamps failed:', (err as Error).message));
    }, intervalMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Write every pending stamp. On failure the stamps are kept for the next attempt. */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing;
    if (this.pending.size === 0) return;
    const batch = this.pending;
    const algs = this.algs;
    this.pending = new Map();
    this.algs = new Map();
    this.flushing = this.write(batch, algs)
      .catch((err) => {
        for (const [id, at] of batch) {
          if ((this.pending.get(id) ?? 0) < at) {
            this.pending.set(id, at);
            const alg = algs.get(id);
            if (alg !== undefined) this.algs.set(id, alg);
          }
        }
        throw err;
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }

  private async write(batch: Map<number, number>, algs: Map<number, string>) {
    tokenStats?.count('last-used flushes');
    const entries = [...batch];
    const withAlg = this.table === 'client_keys';
    for (let i = 0; i < entries.length; i += 500) {
      const values = sql.join(
        entries
          .slice(i, i + 500)
          .map(([id, at]) =>
            withAlg
              ? sql`(${id}::integer, ${new Date(at).toISOString()}::timestamptz, ${algs.get(id) ?? null}::text)`
              : sql`(${id}::integer, ${new Date(at).toISOString()}::timestamptz)`,
          ),
        sql`, `,
      );
      await this.db.execute(
        withAlg
          ? sql`
        update client_keys as s set last_used_at = v.at, last_used_alg = coalesce(v.alg, s.last_used_alg)
        from (values ${values}) as v(id, at, alg)
        where s.id = v.id and (s.last_used_at is null or s.last_used_at < v.at)`
          : sql`
        update ${sql.identifier(this.table)} as s set last_used_at = v.at
        from (values ${values}) as v(id, at)
        where s.id = v.id and (s.last_used_at is null or s.last_used_at < v.at)`,
      );
    }
  }
}
