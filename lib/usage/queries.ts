import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { ISSUED } from '../tokens/usage-recorder';

/** What the Usage tab shows for one client over a range: a series of buckets, totals, sources, failure reasons. */
export const USAGE_RANGES = {
  '24h': { label: 'Last 24 hours', ms: 24 * 3_600_000, bucketMs: 3_600_000 },
  '7d': { label: 'Last 7 days', ms: 7 * 86_400_000, bucketMs: 6 * 3_600_000 },
  '30d': { label: 'Last 30 days', ms: 30 * 86_400_000, bucketMs: 86_400_000 },
} as const;
export type UsageRange = keyof typeof USAGE_RANGES;
export const isUsageRange = (v: unknown): v is UsageRange => typeof v === 'string' && v in USAGE_RANGES;

export type ClientUsage = {
  range: UsageRange;
  /** Bucket start times (ms), and per bucket the tokens issued and the failures. */
  buckets: number[];
  issued: number[];
  failures: number[];
  totals: { issued: number; failures: number; sources: number };
  reasons: { reason: string; count: number }[];
};

function rowsOf<T>(result: unknown): T[] {
  return (result as { rows: T[] }).rows;
}

export async function clientUsage(db: Db, clientId: string, range: UsageRange, now: number = Date.now()): Promise<ClientUsage> {
  const { ms, bucketMs } = USAGE_RANGES[range];
  const end = Math.floor(now / bucketMs) * bucketMs + bucketMs;
  const start = end - Math.ceil(ms / bucketMs) * bucketMs;
  const from = new Date(start).toISOString();
  const rows = rowsOf<{ bucket: string | number; outcome: string; n: string | number }>(
    await db.execute(sql`
      select floor(extract(epoch from bucket_start) * 1000 / ${bucketMs})::bigint * ${bucketMs} as bucket, outcome, sum(count) as n
      from client_usage where client_id = ${clientId} and bucket_start >= ${from}::timestamptz
      group by 1, 2`),
  );
  const buckets: number[] = [];
  for (let t = start; t < end; t += bucketMs) buckets.push(t);
  const issued = buckets.map(() => 0);
  const failures = buckets.map(() => 0);
  const reasons = new Map<string, number>();
  for (const r of rows) {
    const i = Math.floor((Number(r.bucket) - start) / bucketMs);
    if (i < 0 || i >= buckets.length) continue;
    const n = Number(r.n);
    if (r.outcome === ISSUED) issued[i] += n;
    else {
      failures[i] += n;
      reasons.set(r.outcome, (reasons.get(r.outcome) ?? 0) + n);
    }
  }
  const [sources] = rowsOf<{ n: string | number }>(
    await db.execute(sql`
      select count(distinct source_address) as n from client_usage_sources
      where client_id = ${clientId} and hour_start >= ${new Date(Math.floor(start / 3_600_000) * 3_600_000).toISOString()}::timestamptz`),
  );
  const sum = (a: number[]) => a.reduce((x, y) => x + y, 0);
  return {
    range,
    buckets,
    issued,
    failures,
    totals: { issued: sum(issued), failures: sum(failures), sources: Number(sources?.n ?? 0) },
    reasons: [...reasons].map(([reason, count]) => ({ reason, count })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
  };
}

/** Minute buckets older than two days become hour buckets; everything older than 90 days goes. (The scheduler runs it.) */
export async function compactUsage(db: Db, now: Date): Promise<number> {
  const cutoff = new Date(now.getTime() - 2 * 86_400_000).toISOString();
  const horizon = new Date(now.getTime() - 90 * 86_400_000).toISOString();
  await db.execute(sql`delete from client_usage where bucket_start < ${horizon}::timestamptz`);
  await db.execute(sql`delete from client_usage_sources where hour_start < ${horizon}::timestamptz`);
  await db.execute(sql`
    with moved as (
      delete from client_usage
      where bucket_start < ${cutoff}::timestamptz and bucket_start <> date_trunc('hour', bucket_start, 'UTC')
      returning client_id, bucket_start, credential_kind, credential_id, outcome, count)
    insert into client_usage (client_id, bucket_start, credential_kind, credential_id, outcome, count)
    select client_id, date_trunc('hour', bucket_start, 'UTC'), credential_kind, credential_id, outcome, sum(count)
    from moved group by 1, 2, 3, 4, 5
    on conflict (client_id, bucket_start, credential_kind, credential_id, outcome) do update set count = client_usage.count + excluded.count`);
  return 0;
}
