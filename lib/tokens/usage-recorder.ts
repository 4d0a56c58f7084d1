import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { PeriodicFlush } from './periodic-flush';

/**
 * Per-client usage counts (the client's Usage tab) without a database write per token: counts per (client, minute,
 * credential, outcome) and the source addresses per (client, hour) are added up in memory and written in a few
 * statements every few seconds, and once more at shutdown, like "last used" stamps (lib/tokens/last-used.ts).
 * Instances add to the same rows (ON CONFLICT ... count + excluded.count), so nothing depends on who flushes when.
 * A client id that does not exist is dropped at the write (the join on clients), so made-up ids cost nothing.
 */
export type CredentialRef = { kind: 'secret' | 'key' | 'federated'; id: number };
export const ISSUED = 'issued';
const MINUTE = 60_000;
const HOUR = 3_600_000;
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** Memory bound between flushes: beyond it new keys are dropped (counted as dropped), existing keys still count. */
const MAX_KEYS = 100_000;
const BATCH = 500;

type UsageBatch = { counts: Map<string, number>; sources: Set<string> };

export class UsageRecorder extends PeriodicFlush<UsageBatch> {
  private counts = new Map<string, number>();
  private sources = new Set<string>();
  dropped = 0;

  constructor(private readonly db: Db) {
    super('[usage] writing usage counts');
  }

  /** A token was issued to the client with this credential. */
  issued(clientId: string, credential: CredentialRef | undefined, sourceAddress: string, now: number) {
    this.add(clientId, now, credential, ISSUED, sourceAddress);
  }

  /** A client authentication failed for this reason (lib/tokens/token-service.ts AuthFailureReason). */
  failed(clientId: string, reason: string, sourceAddress: string, now: number) {
    this.add(clientId, now, undefined, reason, sourceAddress);
  }

  private add(clientId: string, now: number, credential: CredentialRef | undefined, outcome: string, sourceAddress: string) {
    if (!GUID.test(clientId)) return;
    const key = `${clientId}|${Math.floor(now / MINUTE) * MINUTE}|${credential?.kind ?? 'none'}|${credential?.id ?? 0}|${outcome}`;
    const n = this.counts.get(key);
    if (n === undefined && this.counts.size >= MAX_KEYS) {
      this.dropped++;
      return;
    }
    this.counts.set(key, (n ?? 0) + 1);
    if (this.sources.size < MAX_KEYS) this.sources.add(`${clientId}|${Math.floor(now / HOUR) * HOUR}|${sourceAddress.slice(0, 64)}`);
  }

  get pendingCount() {
    return this.counts.size;
  }

  protected take(): UsageBatch | null {
    if (this.counts.size === 0 && this.sources.size === 0) return null;
    const batch = { counts: this.counts, sources: this.sources };
    this.counts = new Map();
    this.sources = new Set();
    return batch;
  }

  /** A failed write's counts are added back for the next attempt. */
  protected restore({ counts, sources }: UsageBatch) {
    for (const [k, n] of counts) this.counts.set(k, (this.counts.get(k) ?? 0) + n);
    for (const s of sources) this.sources.add(s);
  }

  protected async write({ counts, sources }: UsageBatch) {
    const rows = [...counts];
    for (let i = 0; i < rows.length; i += BATCH) {
      const values = sql.join(
        rows.slice(i, i + BATCH).map(([key, n]) => {
          const [clientId, at, kind, credentialId, outcome] = key.split('|');
          return sql`(${clientId}::uuid, ${new Date(Number(at)).toISOString()}::timestamptz, ${kind}, ${Number(credentialId)}::integer, ${outcome}, ${n}::integer)`;
        }),
        sql`, `,
      );
      await this.db.execute(sql`
        insert into client_usage (client_id, bucket_start, credential_kind, credential_id, outcome, count)
        select v.client_id, v.bucket_start, v.kind, v.credential_id, v.outcome, v.n
        from (values ${values}) as v(client_id, bucket_start, kind, credential_id, outcome, n)
        join clients c on c.id = v.client_id
        on conflict (client_id, bucket_start, credential_kind, credential_id, outcome)
        do update set count = client_usage.count + excluded.count`);
    }
    const list = [...sources];
    for (let i = 0; i < list.length; i += BATCH) {
      const values = sql.join(
        list.slice(i, i + BATCH).map((key) => {
          const [clientId, at, address] = key.split('|');
          return sql`(${clientId}::uuid, ${new Date(Number(at)).toISOString()}::timestamptz, ${address})`;
        }),
        sql`, `,
      );
      await this.db.execute(sql`
        insert into client_usage_sources (client_id, hour_start, source_address)
        select v.client_id, v.hour_start, v.address from (values ${values}) as v(client_id, hour_start, address)
        join clients c on c.id = v.client_id
        on conflict do nothing`);
    }
  }
}
