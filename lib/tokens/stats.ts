import { createHistogram, monitorEventLoopDelay, PerformanceObserver, type RecordableHistogram } from 'node:perf_hooks';

/**
 * Token endpoint timings for `npm run bench:token`: event-loop delay, GC pauses, and where a request's time goes
 * (parse, lookup, hash, sign or verify, replay, write). Off unless TOKEN_STATS=1: then `tokenStats` is null and every call site is a
 * single null check, so production pays nothing. Read over the IPC channel of a parent process only (the bench
 * spawns the server with one), never over HTTP.
 */
/** `replay`: private_key_jwt's jti record (group commit: one INSERT per batch, lib/tokens/client-assertion.ts), while the token is signed. */
export const STAGES = ['parse', 'lookup', 'hash', 'sign', 'verify', 'replay', 'write', 'total'] as const;
export type Stage = (typeof STAGES)[number];

type Quantiles = { count: number; p50: number; p90: number; p99: number; max: number };
export type TokenStatsSnapshot = {
  eventLoopDelayMs: Quantiles;
  gc: { count: number; totalMs: number; maxMs: number };
  /** Milliseconds per stage. */
  stagesMs: Record<Stage, Quantiles>;
  /** Background database work of the token service (cache refills, last-used flushes, audit writes). */
  background: Record<string, number>;
};

/** Histograms record integers: stage times are kept in microseconds. */
const US_PER_MS = 1000;

function quantiles(h: { count: number; percentile: (p: number) => number; max: number }, perMs: number): Quantiles {
  const round = (v: number) => Math.round((v / perMs) * 1000) / 1000;
  return { count: h.count, p50: round(h.percentile(50)), p90: round(h.percentile(90)), p99: round(h.percentile(99)), max: round(h.max) };
}

class TokenStats {
  private readonly loop = monitorEventLoopDelay({ resolution: 5 });
  private readonly stages = new Map<Stage, RecordableHistogram>(STAGES.map((s) => [s, createHistogram()]));
  private gcCount = 0;
  private gcTotal = 0;
  private gcMax = 0;
  private background = new Map<string, number>();

  constructor() {
    this.loop.enable();
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) {
        this.gcCount += 1;
        this.gcTotal += e.duration;
        this.gcMax = Math.max(this.gcMax, e.duration);
      }
    }).observe({ entryTypes: ['gc'] });
  }

  /** Record the time since `startedAt` (a performance.now() reading) for `stage`. */
  record(stage: Stage, startedAt: number) {
    this.stages.get(stage)!.record(Math.max(1, Math.round((performance.now() - startedAt) * US_PER_MS)));
  }

  count(what: string) {
    this.background.set(what, (this.background.get(what) ?? 0) + 1);
  }

  snapshot(): TokenStatsSnapshot {
    const stagesMs = {} as Record<Stage, Quantiles>;
    for (const [s, h] of this.stages) stagesMs[s] = quantiles(h, US_PER_MS);
    return {
      eventLoopDelayMs: quantiles(this.loop, 1e6),
      gc: { count: this.gcCount, totalMs: Math.round(this.gcTotal), maxMs: Math.round(this.gcMax * 10) / 10 },
      stagesMs,
      background: Object.fromEntries(this.background),
    };
  }

  reset() {
    this.loop.reset();
    for (const h of this.stages.values()) h.reset();
    this.gcCount = this.gcTotal = this.gcMax = 0;
    this.background = new Map();
  }
}

function create(): TokenStats | null {
  if (process.env.TOKEN_STATS !== '1') return null;
  const stats = new TokenStats();
  // { type: 'token-stats', reset?: boolean } from the parent answers with a snapshot (then resets when asked).
  process.on('message', (msg: { type?: string; reset?: boolean }) => {
    if (msg?.type !== 'token-stats') return;
    process.send?.({ type: 'token-stats', snapshot: stats.snapshot() });
    if (msg.reset) stats.reset();
  });
  return stats;
}

/** null unless TOKEN_STATS=1 (see above). On globalThis: one per process even if two module graphs load this file. */
export const tokenStats: TokenStats | null = ((globalThis as Record<string, unknown>).__tscTokenStats ??= create()) as TokenStats | null;
