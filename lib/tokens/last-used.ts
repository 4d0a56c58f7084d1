import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { tokenStats } from './stats';
import { PeriodicFlush } from './periodic-flush';

/**
 * "Last used" stamps for client secrets without a database write per token: the newest time per secret is kept in
 * memory and written in one statement every few seconds, and once more at shutdown. A stamp only moves forward,
 * so instances flushing in any order agree.
 */
type Stamps = { batch: Map<number, number>; algs: Map<number, string> };

export class LastUsedRecorder extends PeriodicFlush<Stamps> {
  private pending = new Map<number, number>();
  /** client_keys: the algorithm of the newest stamp (written as last_used_alg with it). */
  private algs = new Map<number, string>();

  /** `table`: client_secrets, client_keys (private_key_jwt) or client_federated_credentials (same id and last_used_at columns). */
  constructor(
    private readonly db: Db,
    private readonly table: 'client_secrets' | 'client_keys' | 'client_federated_credentials' = 'client_secrets',
  ) {
    super('[tokens] writing last-used stamps');
  }

  /** `alg` (client_keys only): the algorithm the key's assertion used, kept with the newest stamp. */
  stamp(secretId: number, at: number, alg?: string) {
    if ((this.pending.get(secretId) ?? 0) > at) return;
    this.pending.set(secretId, at);
    if (alg !== undefined) this.algs.set(secretId, alg);
  }

  get pendingCount() {
    return this.pending.size;
  }

  protected take(): Stamps | null {
    if (this.pending.size === 0) return null;
    const stamps = { batch: this.pending, algs: this.algs };
    this.pending = new Map();
    this.algs = new Map();
    return stamps;
  }

  /** A failed write's stamps are kept for the next attempt (unless a newer stamp came meanwhile). */
  protected restore({ batch, algs }: Stamps) {
    for (const [id, at] of batch) {
      if ((this.pending.get(id) ?? 0) < at) {
        this.pending.set(id, at);
        const alg = algs.get(id);
        if (alg !== undefined) this.algs.set(id, alg);
      }
    }
  }

  protected async write({ batch, algs }: Stamps) {
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
