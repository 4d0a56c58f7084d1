import client from 'prom-client';

/**
 * Prometheus metrics (prom-client): counters the code increments where things happen, and gauges read when /metrics is
 * scraped (database pool, LISTEN connection, crypto worker). Label values come from small fixed sets (grant types,
 * authentication methods, refusal reasons): never a client id, user, address or path, so the series stay few.
 *
 * METRICS_ENABLED: unset, collected and served on MANAGEMENT_PORT (when set); 1, also served at /metrics on the main
 * port; 0, not collected at all (every metric below is a no-op). See README "Operating it".
 *
 * For other modules: `import { metrics } from '@/lib/metrics'` (or a relative path), then e.g.
 * `metrics.signInThrottleBlocks.inc()`; they work (as no-ops) in tests and scripts too.
 */
type Inc<L extends string> = { inc(labels?: Partial<Record<L, string>> | number, value?: number): void };
type Observe<L extends string> = { observe(labels: Partial<Record<L, string>> | number, value?: number): void };

export type Metrics = {
  /** The registry to serve, or null when METRICS_ENABLED=0. */
  registry: client.Registry | null;
  /** Access tokens issued by the token endpoint, by grant type and client authentication method. */
  tokensIssued: Inc<'grant_type' | 'auth_method'>;
  /** Client authentications refused, by reason (lib/tokens/token-service.ts AuthFailureReason). */
  clientAuthFailures: Inc<'reason'>;
  /** A (client id, address) pair starting a throttled period after too many failures. */
  clientAuthThrottleBlocks: Inc<never>;
  /** Sign-in attempts refused by the sign-in throttle (lib/auth). */
  signInThrottleBlocks: Inc<never>;
  /** Token, introspection and revocation endpoint latency in seconds, body read to answer written. */
  identityRequestSeconds: Observe<'endpoint'>;
  /** Introspection answers: active, inactive, or refused (the caller failed authentication or sent a bad request). */
  introspections: Inc<'result'>;
  /** Revocation answers: done (200, whatever the token was) or refused. */
  revocations: Inc<'result'>;
  /** Token service client cache lookups: hit or miss (a miss reads the database). */
  clientCacheLookups: Inc<'result'>;
  /** Client cache entries dropped by a change notification: one client, or all (a role change, a LISTEN gap). */
  clientCacheInvalidations: Inc<'scope'>;
  /** The LISTEN connection (PostgreSQL): times lost, times re-established. */
  listenConnectionLosses: Inc<never>;
  listenReconnects: Inc<never>;
  /** Every HTTP request by area (identity, api, console, health, metrics) and status class (2xx..5xx). */
  httpRequests: Inc<'area' | 'status_class'>;
};

/** What only the running server can tell: read at scrape time. */
export type RuntimeSources = {
  /** The database pool (PostgreSQL): connections open, idle, and queries waiting for one. */
  pool?: () => { total: number; idle: number; waiting: number } | null;
  /** True while LISTEN/NOTIFY delivers change notifications. */
  listening?: () => boolean;
  /** Batches sent to the crypto worker thread, and jobs done on the event loop instead. */
  cryptoWorker?: () => { batches: number; inline: number };
  /** Requests on the main port whose answer is not finished yet. */
  inProgress?: () => number;
};

const NOOP = { inc() {}, observe() {}, set() {} };

function disabled(): Metrics {
  return {
    registry: null,
    tokensIssued: NOOP,
    clientAuthFailures: NOOP,
    clientAuthThrottleBlocks: NOOP,
    signInThrottleBlocks: NOOP,
    identityRequestSeconds: NOOP,
    introspections: NOOP,
    revocations: NOOP,
    clientCacheLookups: NOOP,
    clientCacheInvalidations: NOOP,
    listenConnectionLosses: NOOP,
    listenReconnects: NOOP,
    httpRequests: NOOP,
  };
}

function enabled(): Metrics {
  const registry = new client.Registry();
  // Process metrics: CPU, memory, heap, GC, open file descriptors, event-loop delay (nodejs_eventloop_lag_*).
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });
  const counter = <L extends string>(name: string, help: string, labelNames: L[] = []) =>
    new client.Counter<L>({ name, help, labelNames, registers: [registry] });
  return {
    registry,
    tokensIssued: counter('tsc_tokens_issued_total', 'Access tokens issued by the token endpoint.', ['grant_type', 'auth_method']),
    clientAuthFailures: counter('tsc_client_auth_failures_total', 'Client authentications refused, by reason.', ['reason']),
    clientAuthThrottleBlocks: counter(
      'tsc_client_auth_throttle_blocks_total',
      'Client id and address pairs blocked after too many failed client authentications.',
    ),
    signInThrottleBlocks: counter('tsc_sign_in_throttle_blocks_total', 'Console sign-in attempts refused by the sign-in throttle.'),
    identityRequestSeconds: new client.Histogram<'endpoint'>({
      name: 'tsc_identity_request_duration_seconds',
      help: 'Token, introspection and revocation endpoint latency (body read to answer written).',
      labelNames: ['endpoint'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
    introspections: counter('tsc_introspections_total', 'Introspection answers: active, inactive or refused.', ['result']),
    revocations: counter('tsc_revocations_total', 'Revocation answers: done or refused.', ['result']),
    clientCacheLookups: counter('tsc_client_cache_lookups_total', 'Token service client cache lookups: hit or miss.', ['result']),
    clientCacheInvalidations: counter(
      'tsc_client_cache_invalidations_total',
      'Client cache entries dropped by change notifications: one client, or all.',
      ['scope'],
    ),
    listenConnectionLosses: counter('tsc_listen_connection_losses_total', 'Times the LISTEN/NOTIFY connection was lost.'),
    listenReconnects: counter('tsc_listen_reconnects_total', 'Times the LISTEN/NOTIFY connection was re-established.'),
    httpRequests: counter('tsc_http_requests_total', 'HTTP requests by area and status class.', ['area', 'status_class']),
  };
}

type Holder = { metrics?: Metrics; sources?: RuntimeSources; bound?: boolean };
// On globalThis: server.ts and Next's compiled server code are two module graphs in one process.
const holder = ((globalThis as Record<string, unknown>).__tscMetrics ??= {}) as Holder;

export const metrics: Metrics = (holder.metrics ??= process.env.METRICS_ENABLED === '0' ? disabled() : enabled());

/** The server tells where the scrape-time gauges read from (once; later calls replace the sources). */
export function bindRuntimeMetrics(sources: RuntimeSources) {
  holder.sources = sources;
  const registry = metrics.registry;
  if (!registry || holder.bound) return;
  holder.bound = true;
  const src = () => holder.sources ?? {};
  new client.Gauge({
    name: 'tsc_db_pool_connections',
    help: 'Database pool (PostgreSQL): connections in use and idle, and queries waiting for a connection.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const p = src().pool?.();
      if (!p) return;
      this.set({ state: 'in_use' }, p.total - p.idle);
      this.set({ state: 'idle' }, p.idle);
      this.set({ state: 'waiting' }, p.waiting);
    },
  });
  new client.Gauge({
    name: 'tsc_http_requests_in_progress',
    help: 'Requests on the main port whose answer is not finished yet.',
    registers: [registry],
    collect() {
      const n = src().inProgress?.();
      if (n !== undefined) this.set(n);
    },
  });
  new client.Gauge({
    name: 'tsc_listen_connected',
    help: '1 while the LISTEN/NOTIFY connection delivers change notifications (always 1 on embedded PGlite).',
    registers: [registry],
    collect() {
      const listening = src().listening;
      if (listening) this.set(listening() ? 1 : 0);
    },
  });
  let batches = 0;
  let inline = 0;
  new client.Counter({
    name: 'tsc_crypto_worker_batches_total',
    help: 'Batches of signatures and verifications sent to the crypto worker thread.',
    registers: [registry],
    collect() {
      const c = src().cryptoWorker?.();
      if (c && c.batches > batches) this.inc(c.batches - batches);
      if (c) batches = c.batches;
    },
  });
  new client.Counter({
    name: 'tsc_crypto_worker_inline_jobs_total',
    help: 'Signatures and verifications done on the event loop because no worker thread could take them.',
    registers: [registry],
    collect() {
      const c = src().cryptoWorker?.();
      if (c && c.inline > inline) this.inc(c.inline - inline);
      if (c) inline = c.inline;
    },
  });
}

/** The Prometheus text exposition (or null when METRICS_ENABLED=0). */
export async function metricsText(): Promise<{ contentType: string; body: string } | null> {
  const registry = metrics.registry;
  if (!registry) return null;
  return { contentType: registry.contentType, body: await registry.metrics() };
}
