/**
 * npm run bench:token
 *
 * Token endpoint throughput and latency under the cases a busy tenant produces, measured in one run against two
 * baselines (compare figures only within one run: the load generator shares the machine's cores with the servers):
 *   floor: bare node:http that parses the form, checks a SHA-256 hash (a Map of the bench's clients) and signs
 *   ES256. Measured with the load of each case that sends other bodies (1,000 clients; 5% wrong secrets, which it
 *   refuses with a 401) and, for private_key_jwt, verifying a fresh ES256 client assertion (jti kept in memory), so
 *   the load generator does the same work on both sides of a ratio;
 *   floor + per-request features (with the hot client): the floor's handler inside what the product does around every
 *   request (lib/http/request-tracking.ts: request id, drain count, request metric, access log line, request context;
 *   the security and answer headers and the token endpoint's metrics): not a target, it shows what those features cost
 *   on their own ("the per-request features on their own" below the tables);
 *   oidc-provider: panva/oidc-provider, client_credentials with ES256 JWT access tokens (resource indicators);
 *   ours: the production server (`npm start`'s dist/server.js, bundled from server.ts at the start; Next included) on PostgreSQL, with TOKEN_STATS=1 so it
 *   reports event-loop delay, GC pauses and per-stage timings (parse, lookup, hash, sign/verify, write) over IPC.
 *   Metrics are collected and the access log is on (stdout to a file), as in production; every case of ours also
 *   runs against a second server with both off (METRICS_ENABLED=0, ACCESS_LOG=0), in the same rounds, and the table
 *   "metrics + access log on vs off" prints both (BENCH_OBSERVABILITY=on: the first server only).
 *   BENCH_VARIANT (a second bundle, e.g. `npx esbuild ... --outfile=/tmp/b.js` from a changed tree) and/or
 *   BENCH_VARIANT_ENV (JSON: environment for it, e.g. '{"TOKEN_CRYPTO_INLINE_MAX":"64"}') make that second server a
 *   variant of the production default instead, measured in the same rounds: on this VM the floor alone moves by 20 to
 *   40% between runs, so a change is only seen against its own "before" in paired rounds ("variant / ours" below).
 * Cases (CASES below, one entry each): one hot client; 1,000 of 10,000 clients; 5% wrong secrets (throttle and audit
 * path); an invalidation storm over NOTIFY every 100 ms; private_key_jwt; a federated credential; DPoP client_credentials
 * (a fresh RFC 9449 proof per request, against a floor that verifies the same proof and signs a bound token); introspection.
 * autocannon: 50 connections, keep-alive, 3 s per measurement, ten rounds, median reported. Each round measures every
 * case between two measurements of its baseline (floor, a, floor, b, floor, ...), and a case's ratio in a round is its
 * req/s over the mean of those two neighbours; the ratio reported is the median over rounds. The machine's speed
 * drifts (shared cores: the floor alone moves by 20% from one 5 s measurement to the next, seen here): both sides of
 * such a ratio drift alike, and many short rounds leave the median to the common case, not to one disturbed round.
 * Targets: every case of ours >= 0.9 x the floor's req/s under the same load (for the storm and introspection: the
 * hot client's; private_key_jwt: the floor doing the same crypto work) and
 * p99 <= 20 ms (private_key_jwt: or no worse than that floor's p99, where the floor itself cannot make 20 ms);
 * one hot client >= 1.5 x oidc-provider;
 * no non-2xx beyond the refused share a case asks for.
 *
 * DATABASE_URL: the PostgreSQL to use (a bench tenant and its clients are added, then removed). Unset: a temporary
 * database is created on postgres://postgres@127.0.0.1:5432 and dropped afterwards. BENCH_CASES (comma separated
 * parts of case names) runs only those cases of ours, beside the baselines. Runs `npm run build` when the
 * build (NEXT_DIST_DIR, default .next) is missing. BENCH_DURATION (seconds) and BENCH_RUNS shorten a trial run.
 * BENCH_CPU_PROF=dir writes a V8 CPU profile of ours there when the bench ends (BENCH_CPU_PROF_INTERVAL, default
 * 100 us): how lib/tokens/crypto-worker.ts was found (a quarter of the event loop went to thread-pool hand-offs).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, randomUUID, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { and, eq, sql } from 'drizzle-orm';
import type { Db, DbHandle } from '../lib/db';
import { clients, clientSecrets, roles, tenants } from '../lib/db/schema';
import { displayHint, generateSecret, hashSecret } from '../lib/secrets/secret';
import { STAGES, type TokenStatsSnapshot } from '../lib/tokens/stats';
import { assertionBody, assertionPool, benchAssertionKey, registerBenchKey, type AssertionSigner } from './cases/private-key-jwt';
import { benchPlatformKey, FEDERATED_PER_SECOND, federatedLoad, floorFederatedVerifier, registerBenchFederated } from './cases/federated';
import { benchDpopKey, DPOP_PER_SECOND, dpopLoad, floorDpopVerifier } from './cases/dpop';

const CONNECTIONS = 50;
const DURATION = Number(process.env.BENCH_DURATION || 3);
const RUNS = Number(process.env.BENCH_RUNS || 10);
const WARMUP = 3;
/**
 * private_key_jwt: assertions signed ahead of each run, per second of it: more than either private_key_jwt case
 * answers here (under 10,000/s), so the load generator does not sign while it measures (it shares the 2 cores with
 * the servers); let go of after the run, so the other cases' load generation does not carry a large heap.
 */
const ASSERTIONS_PER_SECOND = 12_000;
/** The whole bench stops by itself, whatever happens. */

type Mode = 'oidc-provider' | 'floor' | 'floor-features';

// ---------------------------------------------------------------------------------------------------------------
// Child modes: `tsx bench/token.bench.ts --serve <mode> <port>` with the client in BENCH_CLIENT_ID/SECRET.
// ---------------------------------------------------------------------------------------------------------------

async function serveOidcProvider(port: number, clientId: string, secret: string) {
  // @ts-expect-error -- oidc-provider publishes no type declarations
  const { default: Provider } = (await import('oidc-provider')) as {
    default: new (issuer: string, config: Record<string, unknown>) => { callback: () => http.RequestListener };
  };
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const resource = 'urn:bench:api';
  const provider = new Provider(`http://127.0.0.1:${port}`, {
    clients: [
      {
        client_id: clientId,
        client_secret: secret,
        grant_types: ['client_credentials'],
        response_types: [],
        redirect_uris: [],
        token_endpoint_auth_method: 'client_secret_post',
        id_token_signed_response_alg: 'ES256',
      },
    ],
    jwks: { keys: [{ ...privateKey.export({ format: 'jwk' }), kid: 'bench', alg: 'ES256', use: 'sig' }] as never },
    cookies: { keys: [randomUUID()] },
    features: {
      devInteractions: { enabled: false },
      clientCredentials: { enabled: true },
      // Resource indicators with a default resource make client_credentials tokens JWTs signed with ES256.
      resourceIndicators: {
        enabled: true,
        defaultResource: () => resource,
        useGrantedResource: () => true,
        getResourceServerInfo: () => ({
          scope: 'api',
          audience: resource,
          accessTokenTTL: 3600,
          accessTokenFormat: 'jwt',
          jwt: { sign: { alg: 'ES256' } },
        }),
      },
    },
  });
  http.createServer(provider.callback()).listen(port, '127.0.0.1', () => process.send?.('ready'));
}

/**
 * The floor: the least a token endpoint can do. With BENCH_ASSERTION_JWK (a public JWK) it also takes a client
 * assertion signed by that key (private_key_jwt's floor): claims checked, the ES256 signature verified, the jti kept
 * in memory against replays (one process: no database).
 */
type FloorAnswer = (res: http.ServerResponse, status: 200 | 401, body: string) => void;

/** The floor's own answer: two headers (a refusal: one). */
const floorAnswer: FloorAnswer = (res, status, body) => {
  res.writeHead(status, status === 200 ? { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' } : { 'Content-Type': 'application/json' }).end(body);
};

function serveFloor(port: number, clientId: string, secret: string) {
  http.createServer(floorHandler(port, clientId, secret, floorAnswer)).listen(port, '127.0.0.1', () => process.send?.('ready'));
}

/**
 * "floor + per-request features": the floor's handler inside what our server does around every request and
 * answer, with the product's own code: server.ts's request tracking (request id, drain count, request metric, access
 * log line, the request context for log lines; lib/http/request-tracking.ts), the security headers of every identity
 * answer, the token endpoint's answer headers and its two metrics (lib/identity/http.ts). Not the token service's work
 * (throttle, usage counts, last-used stamps, client cache): the floor's hash Map and signature stand for that. It shows
 * what those per-request features cost on their own, against the bare floor, in the same rounds.
 */
async function serveFloorWithFeatures(port: number, clientId: string, secret: string) {
  const { setIdentityHeaders, trackedRequests } = await import('../lib/http/request-tracking');
  const { Drain } = await import('../lib/server/drain');
  const { requestContext } = await import('../lib/log/logger');
  const { JSON_NO_STORE, send } = await import('../lib/tokens/http/send');
  const { metrics } = await import('../lib/metrics');
  const STARTED = Symbol('started');
  const answer: FloorAnswer = (res, status, body) => {
    send(res, status, JSON_NO_STORE, body);
    const startedAt = (res as http.ServerResponse & { [STARTED]?: number })[STARTED] ?? performance.now();
    metrics.identityRequestSeconds.observe({ endpoint: 'token' }, (performance.now() - startedAt) / 1000);
    if (status === 200) metrics.tokensIssued.inc({ grant_type: 'client_credentials', auth_method: 'client_secret_post' });
  };
  const handler = floorHandler(port, clientId, secret, answer);
  const route = (req: http.IncomingMessage, res: http.ServerResponse) => {
    (res as http.ServerResponse & { [STARTED]?: number })[STARTED] = performance.now();
    setIdentityHeaders(res);
    handler(req, res);
  };
  http
    .createServer(trackedRequests({ drain: new Drain(), trustProxy: true, accessLog: true, context: requestContext() }, route))
    .listen(port, '127.0.0.1', () => process.send?.('ready'));
}

function floorHandler(port: number, clientId: string, secret: string, answer: FloorAnswer): http.RequestListener {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key: KeyObject = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const storedHash = createHash('sha256').update(secret).digest();
  // The spread clients' secrets (BENCH_SPREAD_FILE: [client id, secret] pairs), so the floor answers the same load.
  const hashes = new Map<string, Buffer>([[clientId, storedHash]]);
  if (process.env.BENCH_SPREAD_FILE) {
    for (const [id, s] of JSON.parse(fs.readFileSync(process.env.BENCH_SPREAD_FILE, 'utf8')) as [string, string][]) {
      hashes.set(id, createHash('sha256').update(s).digest());
    }
  }
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid: 'floor' })).toString('base64url');
  const issuer = `http://127.0.0.1:${port}`;
  const assertionKey = process.env.BENCH_ASSERTION_JWK
    ? createPublicKey({ key: JSON.parse(process.env.BENCH_ASSERTION_JWK), format: 'jwk' })
    : null;
  const seen = new Set<string>();
  // A platform token with client_id: the federated credential's floor (bench/cases/federated.ts).
  const federatedOk = floorFederatedVerifier(process.env.BENCH_FEDERATED_JWK);
  // A DPoP proof in the DPoP header: the DPoP case's floor (bench/cases/dpop.ts); the token is bound to its key.
  const dpopOk = floorDpopVerifier(`${issuer}/token`);
  const assertionOk = (assertion: string): boolean => {
    const parts = assertion.split('.');
    if (!assertionKey || parts.length !== 3) return false;
    try {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString());
      const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString());
      const ok =
        header.alg === 'ES256' && claims.iss === clientId && claims.sub === clientId && claims.aud === `${issuer}/token` &&
        claims.exp > Date.now() / 1000 && typeof claims.jti === 'string' && !seen.has(claims.jti) &&
        verify('sha256', Buffer.from(`${parts[0]}.${parts[1]}`), { key: assertionKey, dsaEncoding: 'ieee-p1363' }, Buffer.from(parts[2], 'base64url'));
      if (ok) seen.add(claims.jti);
      return ok;
    } catch {
      return false;
    }
  };
  return (req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (d: string) => (body += d));
    req.on('end', () => {
      const form = new URLSearchParams(body);
      const assertion = form.get('client_assertion');
      const presentedId = form.get('client_id') ?? '';
      const stored = hashes.get(presentedId);
      const authenticated =
        assertion !== null
          ? federatedOk && presentedId === clientId
            ? federatedOk(assertion)
            : assertionOk(assertion)
          : !!stored && timingSafeEqual(createHash('sha256').update(form.get('client_secret') ?? '').digest(), stored);
      const proof = req.headers.dpop;
      const jkt = typeof proof === 'string' ? dpopOk(proof) : null;
      if (form.get('grant_type') !== 'client_credentials' || !authenticated || (proof !== undefined && jkt === null)) {
        answer(res, 401, '{"error":"invalid_client"}');
        return;
      }
      const iat = Math.floor(Date.now() / 1000);
      const sub = assertion !== null ? clientId : presentedId;
      const claims = { iss: issuer, sub, aud: `${issuer}/resources`, exp: iat + 3600, nbf: iat, iat, jti: randomUUID(), client_id: sub, ...(jkt ? { cnf: { jkt } } : {}) };
      const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
      const token = `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
      answer(res, 200, JSON.stringify({ access_token: token, token_type: jkt ? 'DPoP' : 'Bearer', expires_in: 3600 }));
    });
  };
}

// ---------------------------------------------------------------------------------------------------------------
// The bench itself.
// ---------------------------------------------------------------------------------------------------------------

const children: ChildProcess[] = [];
const cleanups: (() => Promise<void>)[] = [];

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = http.createServer();
    s.on('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * `logFile`: the child writes to this file instead of a pipe to the bench (our servers: with the access log on they
 * write a line per request, which the bench must neither hold in memory nor spend its share of the cores reading).
 */
function start(args: string[], env: NodeJS.ProcessEnv, label: string, logFile?: string, tsx = true): { child: ChildProcess; log: () => string } {
  const fd = logFile ? fs.openSync(logFile, 'w') : null;
  const child = spawn(process.execPath, tsx ? ['--import', 'tsx', ...args] : args, {
    env,
    stdio: fd !== null ? ['ignore', fd, fd, 'ipc'] : ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  if (fd !== null) fs.closeSync(fd);
  let output = '';
  child.stdout?.on('data', (d) => (output += d));
  child.stderr?.on('data', (d) => (output += d));
  const log = () => {
    if (!logFile) return output;
    // The last 16 KB: where a failure's reason is.
    const text = fs.readFileSync(logFile, 'utf8');
    return text.length > 16_384 ? `...${text.slice(-16_384)}` : text;
  };
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`  ${label} exited early (${signal ?? code}):\n${log()}`);
  });
  children.push(child);
  return { child, log };
}

async function waitFor(url: string, label: string, log: () => string, timeoutMs = 60_000) {
  const until = Date.now() + timeoutMs;
  while (Date.now() < until) {
    try {
      await fetch(url);
      return; // listening
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`${label} did not start within ${timeoutMs / 1000} s:\n${log()}`);
}

async function post(url: string, body: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded', ...headers }, body });
  return { status: res.status, json: (await res.json().catch(() => ({}))) as Record<string, unknown> };
}

async function checkToken(url: string, body: string, label: string) {
  const { status, json } = await post(url, body);
  const token = json.access_token;
  if (status !== 200 || typeof token !== 'string') throw new Error(`${label}: token request answered ${status} ${JSON.stringify(json)}`);
  const header = JSON.parse(Buffer.from(token.split('.')[0], 'base64url').toString());
  if (header.alg !== 'ES256') throw new Error(`${label}: expected an ES256 JWT, got header ${JSON.stringify(header)}`);
  return { header: header as Record<string, string>, token };
}

type AutocannonResult = {
  requests: { average: number; total: number };
  latency: { p50: number; p90: number; p99: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
};

type Run = {
  rps: number;
  p50: number;
  p90: number;
  p99: number;
  max: number;
  non2xx: number;
  errors: number;
  sent: number;
  /** Requests answered in the measurement. */
  total: number;
  /** CPU milliseconds per request: the server process (all its threads), and PostgreSQL's processes. */
  cpuMs?: { server: number; database: number };
  stats?: TokenStatsSnapshot;
};

/** What one case sends: a fixed body, or one chosen per request (`next`), to `url`. */
export type Load = {
  url: string;
  body?: string;
  /** A request of its own per call: body and extra headers (e.g. X-Forwarded-For). */
  next?: () => { body: string; headers?: Record<string, string> };
  /** Started before the measurement, stopped after it (e.g. the invalidation storm). */
  during?: () => () => Promise<string>;
  /** Share of requests that should be refused (the wrong-secret case); 0 by default. */
  refusedShare?: number;
  /** Called before each measured run (e.g. fresh source addresses). */
  beforeRun?: (run: number) => void;
  /** Called after it (e.g. let go of what only that run needed, so the load generator's heap stays small). */
  afterRun?: () => void;
};

/**
 * ours-off: the same server with metrics and the access log off (METRICS_ENABLED=0, ACCESS_LOG=0), for comparison; or,
 * with BENCH_VARIANT / BENCH_VARIANT_ENV, the variant being compared with the production default.
 */
type Target = 'ours' | 'ours-off' | 'oidc-provider' | 'floor' | 'floor-features';
const isOurs = (t: Target) => t === 'ours' || t === 'ours-off';

const VARIANT_ENV: Record<string, string> | null = process.env.BENCH_VARIANT_ENV ? JSON.parse(process.env.BENCH_VARIANT_ENV) : null;
const VARIANT = process.env.BENCH_VARIANT || VARIANT_ENV ? { script: process.env.BENCH_VARIANT || 'dist/server.js', env: VARIANT_ENV ?? {} } : null;
const SECOND_LABEL = VARIANT ? 'variant' : 'metrics+log off';

/** The case of ours again, against the second server (metrics and the access log off, or the variant). */
function observabilityOff(c: BenchCase): BenchCase {
  return {
    ...c,
    name: `${c.name} (${SECOND_LABEL})`,
    target: 'ours-off',
    load: (ctx) => c.load({ ...ctx, urls: { ...ctx.urls, ours: ctx.urls['ours-off'] } }),
  };
}

/** The servers and data every case can use. */
type BenchContext = {
  urls: Record<Target, { token: string; introspect: string }>;
  db: Db;
  handle: DbHandle;
  tenantId: string;
  hot: { clientId: string; secret: string; body: string };
  /** 1,000 clients with a secret each (form bodies), among the tenant's 10,000; the floor knows them too. */
  spread: string[];
  /** A client no case sends requests for (the storm disables and enables it). */
  bystanderId: string;
  /** private_key_jwt: the key the hot client's assertions are signed with (the floor knows its public half). */
  assertionKey: ReturnType<typeof benchAssertionKey>;
  /** Federated credential: the platform's key its tokens are signed with (the floor knows its public half). */
  platformKey: ReturnType<typeof benchPlatformKey>;
  /** DPoP: the key the hot client's proofs are signed with (the proofs carry its public half). */
  dpopKey: ReturnType<typeof benchDpopKey>;
};

/**
 * One case: a target and the load it gets. Cases are measured in one run, interleaved, and compared with the floor's
 * hot-client figure of the same run. A new case is one more entry in CASES.
 */
export type BenchCase = {
  name: string;
  target: Target;
  /** A baseline that runs only when one of the cases of ours named here runs too. */
  onlyWith?: string[];
  /** The case of the same run this one's throughput target compares with (default: the floor's hot client). */
  baseline?: string;
  load: (ctx: BenchContext) => Promise<Load> | Load;
};

const formBody = (clientId: string, secret: string) =>
  new URLSearchParams({ grant_type: 'client_credentials', client_id: clientId, client_secret: secret }).toString();

/** Fresh assertions for `url`, signed ahead of each run; checked first (retried while a new key is announced). */
async function assertionLoad(url: string, signer: AssertionSigner): Promise<Load> {
  for (let attempt = 0; ; attempt++) {
    const { status, json } = await post(url, assertionBody(signer, url));
    if (status === 200) break;
    if (attempt === 20) throw new Error(`private_key_jwt at ${url}: the token request answered ${status} ${JSON.stringify(json)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  let pool = assertionPool(signer, url, ASSERTIONS_PER_SECOND * WARMUP);
  return {
    url,
    beforeRun: () => (pool = assertionPool(signer, url, ASSERTIONS_PER_SECOND * DURATION)),
    afterRun: () => (pool = () => assertionBody(signer, url)),
    next: () => ({ body: pool() }),
  };
}

/** 1,000 of 10,000 clients: each request for one of the spread clients, picked at random. */
const spreadLoad = (url: string, spread: string[]): Load => ({ url, next: () => ({ body: spread[Math.floor(Math.random() * spread.length)] }) });

/**
 * 5% wrong secrets, from 10 other addresses (X-Forwarded-For; ours runs with TRUST_PROXY=1), fresh ones each run:
 * every pair goes through failures, the throttle and its audit event, while the client keeps getting tokens.
 */
function wrongSecretsLoad(url: string, hot: BenchContext['hot']): Load {
  const wrong = formBody(hot.clientId, generateSecret());
  let prefix = 0;
  return {
    url,
    refusedShare: 0.05,
    beforeRun: (run) => (prefix = run + 1),
    next: () =>
      Math.random() < 0.05
        ? { body: wrong, headers: { 'x-forwarded-for': `10.${prefix}.0.${Math.floor(Math.random() * 10)}` } }
        : { body: hot.body },
  };
}

export const CASES: BenchCase[] = [
  // The floor given exactly the load of a case of ours (the same bodies, picked the same way by the load generator).
  {
    name: 'floor: 1,000 of 10,000 clients',
    target: 'floor',
    onlyWith: ['ours: 1,000 of 10,000 clients'],
    load: ({ urls, spread }) => spreadLoad(urls.floor.token, spread),
  },
  {
    name: 'floor: 5% wrong secrets',
    target: 'floor',
    onlyWith: ['ours: 5% wrong secrets'],
    load: ({ urls, hot }) => wrongSecretsLoad(urls.floor.token, hot),
  },
  { name: 'floor (bare node:http)', target: 'floor', load: ({ urls, hot }) => ({ url: urls.floor.token, body: hot.body }) },
  {
    // The floor inside the product's per-request features (serveFloorWithFeatures): what they cost on their own.
    name: 'floor + per-request features',
    target: 'floor-features',
    onlyWith: ['ours: one hot client'],
    load: ({ urls, hot }) => ({ url: urls['floor-features'].token, body: hot.body }),
  },
  {
    // The floor doing private_key_jwt's work: the same fresh ES256 assertions, verified, jti kept in memory.
    name: 'floor: private_key_jwt',
    target: 'floor',
    onlyWith: ['ours: private_key_jwt'],
    load: ({ urls, hot, assertionKey }) => assertionLoad(urls.floor.token, { clientId: hot.clientId, privateKey: assertionKey.privateKey, kid: 'bench' }),
  },
  { name: 'oidc-provider', target: 'oidc-provider', load: ({ urls, hot }) => ({ url: urls['oidc-provider'].token, body: hot.body }) },
  { name: 'ours: one hot client', target: 'ours', load: ({ urls, hot }) => ({ url: urls.ours.token, body: hot.body }) },
  {
    name: 'ours: 1,000 of 10,000 clients',
    target: 'ours',
    baseline: 'floor: 1,000 of 10,000 clients',
    load: ({ urls, spread }) => spreadLoad(urls.ours.token, spread),
  },
  {
    name: 'ours: 5% wrong secrets',
    target: 'ours',
    baseline: 'floor: 5% wrong secrets',
    load: ({ urls, hot }) => wrongSecretsLoad(urls.ours.token, hot),
  },
  {
    // Every 100 ms: the bystander client disabled or enabled, and the hot client's Token Lifetime edited, each
    // committed from this process (another instance, as the console would be) and announced over NOTIFY by the
    // database's change triggers (drizzle/0005).
    name: 'ours: invalidation storm',
    target: 'ours',
    load: ({ urls, hot, db, bystanderId }) => ({
      url: urls.ours.token,
      body: hot.body,
      during: () => {
        let tick = 0;
        let stopped = false;
        const loop = (async () => {
          while (!stopped) {
            const started = Date.now();
            tick += 1;
            await db.update(clients).set({ enabled: tick % 2 === 0 }).where(eq(clients.id, bystanderId));
            await db.update(clients).set({ tokenLifetime: 3600 - (tick % 2) }).where(eq(clients.id, hot.clientId));
            await new Promise((r) => setTimeout(r, Math.max(0, 100 - (Date.now() - started))));
          }
        })();
        return async () => {
          stopped = true;
          await loop;
          return `${tick * 2} changes + NOTIFY`;
        };
      },
    }),
  },
  {
    // The hot client authenticating with a signed client assertion (RFC 7523) instead of its secret: a fresh jti
    // per request (each costs the server one INSERT for replay protection), signed ahead of each run.
    name: 'ours: private_key_jwt',
    target: 'ours',
    baseline: 'floor: private_key_jwt',
    load: async ({ urls, hot, db, assertionKey }) => {
      const url = urls.ours.token;
      const signer = await registerBenchKey(db, hot.clientId, assertionKey);
      // Written straight to the database: its change triggers tell the server (drizzle/0005), within milliseconds.
      return assertionLoad(url, signer);
    },
  },
  {
    // The floor doing the federated case's work: verify the RS256 platform token and its claims, sign ES256.
    name: 'floor: federated credential',
    target: 'floor',
    onlyWith: ['ours: federated credential'],
    load: ({ urls, hot, platformKey }) =>
      federatedLoad(urls.floor.token, hot.clientId, platformKey, { warmup: FEDERATED_PER_SECOND * WARMUP, perRun: FEDERATED_PER_SECOND * DURATION }, post),
  },
  {
    // The hot client authenticating with a GitHub Actions-shaped platform token (bench/cases/federated.ts).
    name: 'ours: federated credential',
    target: 'ours',
    baseline: 'floor: federated credential',
    load: async ({ urls, hot, db, platformKey }) => {
      await registerBenchFederated(db, hot.clientId, platformKey);
      return federatedLoad(urls.ours.token, hot.clientId, platformKey, { warmup: FEDERATED_PER_SECOND * WARMUP, perRun: FEDERATED_PER_SECOND * DURATION }, post);
    },
  },
  {
    // The floor doing the DPoP case's work: import the proof's jwk, verify it and its claims, sign a bound ES256 token.
    name: 'floor: DPoP client_credentials',
    target: 'floor',
    onlyWith: ['ours: DPoP client_credentials'],
    load: ({ urls, hot, dpopKey }) => dpopLoad(urls.floor.token, hot.body, dpopKey, { warmup: DPOP_PER_SECOND * WARMUP, perRun: DPOP_PER_SECOND * DURATION }, post),
  },
  {
    // The hot client's secret with a fresh DPoP proof per request (RFC 9449): a bound token (bench/cases/dpop.ts).
    name: 'ours: DPoP client_credentials',
    target: 'ours',
    baseline: 'floor: DPoP client_credentials',
    load: ({ urls, hot, dpopKey }) => dpopLoad(urls.ours.token, hot.body, dpopKey, { warmup: DPOP_PER_SECOND * WARMUP, perRun: DPOP_PER_SECOND * DURATION }, post),
  },
  {
    name: 'ours: introspection',
    target: 'ours',
    load: async ({ urls, hot }) => {
      const { token } = await checkToken(urls.ours.token, hot.body, 'introspection token');
      const body = `${hot.body}&token=${token}`;
      const { status, json } = await post(urls.ours.introspect, body);
      if (status !== 200 || json.active !== true) throw new Error(`introspection answered ${status} ${JSON.stringify(json)}`);
      return { url: urls.ours.introspect, body };
    },
  },
];

async function measure(load: Load, seconds: number): Promise<Run> {
  // @ts-expect-error -- autocannon publishes no type declarations
  const { default: autocannon } = (await import('autocannon')) as { default: (opts: Record<string, unknown>) => Promise<AutocannonResult> };
  let sent = 0;
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  const next = load.next;
  const result = await autocannon({
    url: load.url,
    method: 'POST',
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    headers,
    body: load.body,
    ...(next
      ? {
          requests: [
            {
              method: 'POST',
              setupRequest: (req: Record<string, unknown>) => {
                sent += 1;
                const r = next();
                return { ...req, body: r.body, headers: r.headers ? { ...headers, ...r.headers } : headers };
              },
            },
          ],
        }
      : {}),
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p90: result.latency.p90,
    p99: result.latency.p99,
    max: result.latency.max,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
    sent,
    total: result.requests.total,
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

let stopping = false;

async function cleanup() {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  await Promise.all(
    children.map(
      (child) =>
        new Promise<void>((resolve) => {
          if (child.exitCode !== null || child.signalCode !== null) return resolve();
          const t = setTimeout(() => {
            child.kill('SIGKILL');
            resolve();
          }, 5000);
          child.once('exit', () => {
            clearTimeout(t);
            resolve();
          });
        }),
    ),
  );
  for (const fn of cleanups.reverse()) await fn().catch((err) => console.error('  cleanup:', (err as Error).message));
}

async function prepareDatabase(): Promise<string> {
  if (process.env.DATABASE_URL) return process.env.DATABASE_URL;
  const { Client } = await import('pg');
  const base = 'postgres://postgres@127.0.0.1:5432';
  const name = `tsc_bench_${process.pid}`;
  const admin = new Client({ connectionString: `${base}/postgres` });
  await admin.connect().catch((err) => {
    throw new Error(`Set DATABASE_URL, or run PostgreSQL on 127.0.0.1:5432 (user postgres): ${(err as Error).message}`);
  });
  await admin.query(`create database "${name}"`);
  await admin.end();
  cleanups.push(async () => {
    const c = new Client({ connectionString: `${base}/postgres` });
    await c.connect();
    await c.query(`drop database if exists "${name}" with (force)`);
    await c.end();
  });
  console.log(`  Temporary database ${name} (set DATABASE_URL to use another).`);
  return `${base}/${name}`;
}

function ensureBuild() {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  if (fs.existsSync(path.join(distDir, 'BUILD_ID'))) return;
  console.log(`  No production build in ${distDir}: running npm run build...`);
  const r = spawnSync('npm', ['run', 'build'], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) throw new Error('npm run build failed');
}

/** What `npm start` runs (dist/server.js), bundled from this tree's server.ts now (a second with esbuild), so never stale. */
function buildServer() {
  const r = spawnSync('npm', ['run', 'build:server'], { stdio: 'inherit', env: process.env });
  if (r.status !== 0) throw new Error('npm run build:server failed');
}

/** 10,000 clients in the bench tenant, 1,000 of them with a secret (returned as [client id, secret]), one role each. */
async function seedSpread(db: Db, tenantId: string): Promise<[string, string][]> {
  const [member] = await db.select({ id: roles.id }).from(roles).where(and(eq(roles.tenantId, tenantId), eq(roles.roleType, 'tenant_member')));
  const withSecret = Array.from({ length: 1000 }, (_, i) => ({ id: randomUUID(), secret: generateSecret(), i }));
  for (let i = 0; i < withSecret.length; i += 500) {
    const chunk = withSecret.slice(i, i + 500);
    await db.insert(clients).values(
      chunk.map((c) => ({ id: c.id, tenantId, name: `Spread client ${c.i}`, tokenLifetime: 3600, createdBy: 'bench', updatedBy: 'bench' })),
    );
    await db.insert(clientSecrets).values(
      chunk.map((c) => ({ clientId: c.id, secretHash: hashSecret(c.secret), displayHint: displayHint(c.secret), createdBy: 'bench' })),
    );
  }
  await db.execute(sql`
    insert into clients (tenant_id, name, token_lifetime, created_by, updated_by)
    select ${tenantId}, 'Idle client ' || g, 3600, 'bench', 'bench' from generate_series(1, 9000) g`);
  await db.execute(sql`
    insert into client_roles (client_id, role_id)
    select id, ${member.id} from clients c where c.tenant_id = ${tenantId}
    and not exists (select 1 from client_roles cr where cr.client_id = c.id)`);
  await db.execute(sql`analyze clients; analyze client_roles; analyze client_secrets`);
  return withSecret.map((c) => [c.id, c.secret] as [string, string]);
}

/** Ask the server (TOKEN_STATS=1, IPC) for its timings since the last reset, and reset them. */
function serverStats(child: ChildProcess, reset: boolean): Promise<TokenStatsSnapshot | undefined> {
  return new Promise((resolve) => {
    const t = setTimeout(() => resolve(undefined), 2000);
    const onMessage = (msg: { type?: string; snapshot?: TokenStatsSnapshot }) => {
      if (msg?.type !== 'token-stats') return;
      clearTimeout(t);
      child.off('message', onMessage);
      resolve(msg.snapshot);
    };
    child.on('message', onMessage);
    child.send({ type: 'token-stats', reset });
  });
}

const ms = (v: number) => `${Number.isInteger(v) ? v : v.toFixed(v < 10 ? 2 : 1)}`;

/** CPU seconds (user + system, all threads) a process has used so far, from /proc; null where there is none. */
function cpuSeconds(pid: number | undefined): number | null {
  if (!pid) return null;
  try {
    // Fields after the command name (which is in parentheses and may hold spaces): utime and stime are the 12th and 13th.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
const CLOCK_TICKS = 100; // USER_HZ on Linux

/** CPU seconds used so far by every PostgreSQL process on this machine (the database's share of the work). */
function postgresCpuSeconds(): number | null {
  try {
    let total = 0;
    for (const pid of fs.readdirSync('/proc')) {
      if (!/^\d+$/.test(pid)) continue;
      try {
        if (fs.readFileSync(`/proc/${pid}/comm`, 'utf8').trim() !== 'postgres') continue;
      } catch {
        continue;
      }
      total += cpuSeconds(Number(pid)) ?? 0;
    }
    return total;
  } catch {
    return null;
  }
}

async function main() {
  /** The whole bench stops by itself, whatever happens. */
  // BENCH_CASES="1,000 of,storm": only the cases of ours whose name contains one of these (the baselines always run).
  const only = (process.env.BENCH_CASES ?? '').split(',').map((x) => x.trim()).filter(Boolean);
  const selected = (c: BenchCase) => only.length === 0 || only.some((x) => c.name.includes(x));
  const ourCases = CASES.filter((c) => c.target === 'ours' && selected(c));
  // Metrics and the access log are on in production (README "Operating it"): every case of ours runs with them on,
  // and (BENCH_OBSERVABILITY=both, the default) once more against a server with both off, in the same rounds.
  const withOff = (process.env.BENCH_OBSERVABILITY ?? 'both') === 'both' || VARIANT !== null;
  const twins = new Map<BenchCase, BenchCase>(withOff ? ourCases.map((c) => [c, observabilityOff(c)]) : []);
  const cases = [
    ...CASES.filter((c) =>
      c.target === 'ours' ? ourCases.includes(c) : !c.onlyWith || ourCases.some((o) => c.onlyWith!.includes(o.name)),
    ),
    ...twins.values(),
  ];
  const hardLimitMs = (RUNS * (2 * cases.length + 1) * (DURATION + 3) + cases.length * (WARMUP + 2) + 300) * 1000;
  const hardStop = setTimeout(() => {
    console.error('  The bench ran past its time limit: stopping.');
    void cleanup().finally(() => process.exit(1));
  }, hardLimitMs);
  hardStop.unref();

  ensureBuild();
  buildServer();
  const databaseUrl = await prepareDatabase();
  const authSecret = process.env.AUTH_SECRET || randomUUID() + randomUUID();

  // The bench clients, written straight into the database (migrations first: the server would do the same).
  process.env.DATABASE_URL = databaseUrl;
  process.env.AUTH_SECRET = authSecret;
  const { createPostgres } = await import('../lib/db');
  const { migrateDatabase } = await import('../lib/db/migrate');
  const { createTenant } = await import('../lib/tenants/tenants');
  const { createTestClient } = await import('../lib/testing/clients');
  const handle = await createPostgres(databaseUrl);
  await migrateDatabase(handle);
  const { tenant } = await createTenant(handle.db, `Bench ${randomUUID().slice(0, 8)}`);
  cleanups.push(async () => {
    await handle.db.delete(tenants).where(eq(tenants.id, tenant.id));
    await handle.close();
  });
  const client = await createTestClient(handle.db, { tenantId: tenant.id, name: 'Bench client', roleTypes: ['tenant_contributor'] });
  const bystander = await createTestClient(handle.db, { tenantId: tenant.id, name: 'Bench bystander' });
  const spreadPairs = await seedSpread(handle.db, tenant.id);
  const spread = spreadPairs.map(([id, secret]) => formBody(id, secret));
  const spreadFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-bench-')), 'spread.json');
  fs.writeFileSync(spreadFile, JSON.stringify(spreadPairs), { mode: 0o600 });
  cleanups.push(async () => fs.rmSync(path.dirname(spreadFile), { recursive: true, force: true }));
  const body = formBody(client.clientId, client.secret);

  const [portA, portB, portC, portD, portE] = [await freePort(), await freePort(), await freePort(), await freePort(), await freePort()];
  const assertionKey = benchAssertionKey();
  const platformKey = benchPlatformKey();
  const childEnv = {
    ...process.env,
    BENCH_CLIENT_ID: client.clientId,
    BENCH_CLIENT_SECRET: client.secret,
    BENCH_SPREAD_FILE: spreadFile,
    BENCH_ASSERTION_JWK: JSON.stringify(assertionKey.publicJwk),
    BENCH_FEDERATED_JWK: JSON.stringify(platformKey.publicJwk),
    NODE_ENV: 'production',
  } as NodeJS.ProcessEnv;
  // TOKEN_STATS=1: the server reports event-loop delay, GC and stage timings over IPC (lib/tokens/stats.ts).
  // Metrics collected and the access log on, as in production (stdout to a file, as a process manager would take it).
  const serverEnv: NodeJS.ProcessEnv = { ...childEnv, PORT: String(portA), HOST: '127.0.0.1', TOKEN_STATS: '1', TRUST_PROXY: '1' };
  delete serverEnv.AUTH_URL; // the issuer follows the request's Host...
  serverEnv.AUTH_URL_FROM_HOST = '1'; // ...which production allows only when told so
  delete serverEnv.METRICS_ENABLED;
  delete serverEnv.ACCESS_LOG;
  const logDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-bench-logs-'));
  cleanups.push(async () => fs.rmSync(logDir, { recursive: true, force: true }));
  // BENCH_CPU_PROF=dir: a V8 CPU profile of ours (written when the bench stops it), to see where a request's time goes.
  const profile = process.env.BENCH_CPU_PROF ? [`--cpu-prof`, `--cpu-prof-interval=${process.env.BENCH_CPU_PROF_INTERVAL ?? 100}`, `--cpu-prof-dir=${path.resolve(process.env.BENCH_CPU_PROF)}`] : [];
  const ours = start([...profile, 'dist/server.js'], serverEnv, '(a) server.ts', path.join(logDir, 'ours.log'), false);
  const oursOff = withOff
    ? VARIANT
      ? start([VARIANT.script], { ...serverEnv, PORT: String(portD), ...VARIANT.env }, `(d) variant ${VARIANT.script} ${JSON.stringify(VARIANT.env)}`, path.join(logDir, 'ours-off.log'), false)
      : start(['dist/server.js'], { ...serverEnv, PORT: String(portD), METRICS_ENABLED: '0', ACCESS_LOG: '0' }, '(d) server.ts, metrics+log off', path.join(logDir, 'ours-off.log'), false)
    : null;
  const peer = start([import.meta.filename, '--serve', 'oidc-provider', String(portB)], childEnv, '(b) oidc-provider');
  const floor = start([import.meta.filename, '--serve', 'floor', String(portC)], childEnv, '(c) floor');
  // Its access log goes to a file, as ours does (a line per request).
  const withFeatures = cases.some((c) => c.target === 'floor-features');
  const floorFeatures = withFeatures
    ? start([import.meta.filename, '--serve', 'floor-features', String(portE)], { ...childEnv, METRICS_ENABLED: '1' }, '(e) floor + features', path.join(logDir, 'floor-features.log'))
    : null;

  const servers = [
    { name: 'ours (server.ts)', token: `http://127.0.0.1:${portA}/identity/connect/token`, ready: `http://127.0.0.1:${portA}/identity/.well-known/openid-configuration`, log: ours.log },
    { name: 'oidc-provider', token: `http://127.0.0.1:${portB}/token`, ready: `http://127.0.0.1:${portB}/.well-known/openid-configuration`, log: peer.log },
    { name: 'floor', token: `http://127.0.0.1:${portC}/token`, ready: `http://127.0.0.1:${portC}/`, log: floor.log },
    ...(floorFeatures ? [{ name: 'floor + features', token: `http://127.0.0.1:${portE}/token`, ready: `http://127.0.0.1:${portE}/`, log: floorFeatures.log }] : []),
    ...(oursOff
      ? [{ name: `ours, ${SECOND_LABEL}`, token: `http://127.0.0.1:${portD}/identity/connect/token`, ready: `http://127.0.0.1:${portD}/identity/.well-known/openid-configuration`, log: oursOff.log }]
      : []),
  ];
  for (const t of servers) {
    await waitFor(t.ready, t.name, t.log);
    const { header } = await checkToken(t.token, body, t.name);
    console.log(`  ${t.name.padEnd(20)} ready, issues ${header.alg} ${header.typ ?? 'JWT'} tokens`);
  }
  const ctx: BenchContext = {
    urls: {
      ours: { token: servers[0].token, introspect: `http://127.0.0.1:${portA}/identity/connect/introspect` },
      'ours-off': { token: `http://127.0.0.1:${portD}/identity/connect/token`, introspect: `http://127.0.0.1:${portD}/identity/connect/introspect` },
      'oidc-provider': { token: servers[1].token, introspect: '' },
      floor: { token: servers[2].token, introspect: '' },
      'floor-features': { token: `http://127.0.0.1:${portE}/token`, introspect: '' },
    },
    db: handle.db,
    handle,
    tenantId: tenant.id,
    hot: { clientId: client.clientId, secret: client.secret, body },
    spread,
    bystanderId: bystander.clientId,
    assertionKey,
    platformKey,
    dpopKey: benchDpopKey(),
  };
  const loads = new Map<BenchCase, Load>();
  for (const c of cases) loads.set(c, await c.load(ctx));

  console.log(
    `\n  autocannon: ${CONNECTIONS} connections, keep-alive, ${DURATION} s per measurement, ${RUNS} rounds; each case between two of its baseline, median reported`,
  );
  console.log(`  machine: ${os.cpus().length} cores, load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} at start\n`);
  // JIT, caches and connections warm, not counted.
  for (const c of cases) {
    await measure(loads.get(c)!, WARMUP);
    loads.get(c)!.afterRun?.();
  }
  const floorCase = cases.find((c) => c.target === 'floor' && !c.onlyWith)!;
  const peerCase = cases.find((c) => c.target === 'oidc-provider')!;
  const baselineOf = (c: BenchCase) => (c.baseline && cases.find((b) => b.name === c.baseline)) || floorCase;
  const compared = cases.filter((c) => c.target !== 'floor');
  // Each round measures every case between two measurements of its baseline (F a F b F ...; a case with a baseline
  // of its own: B x B), and a case's ratio in that round is its req/s over the mean of its two neighbours: a machine
  // whose speed drifts over seconds or minutes moves both sides of a ratio alike.
  const slots: BenchCase[] = [floorCase];
  for (const c of compared.filter((c) => baselineOf(c) === floorCase)) slots.push(c, floorCase);
  for (const c of compared.filter((c) => baselineOf(c) !== floorCase)) slots.push(baselineOf(c), c, baselineOf(c));
  const pids: Record<Target, number | undefined> = {
    ours: ours.child.pid,
    'ours-off': oursOff?.child.pid,
    'oidc-provider': peer.child.pid,
    floor: floor.child.pid,
    'floor-features': floorFeatures?.child.pid,
  };
  const statsOf: Partial<Record<Target, ChildProcess>> = { ours: ours.child, ...(oursOff ? { 'ours-off': oursOff.child } : {}) };
  const runs = new Map<BenchCase, Run[]>(cases.map((c) => [c, []]));
  /** Per case, one ratio per round: req/s over the mean of the baseline measured just before and just after. */
  const paired = new Map<BenchCase, number[]>(compared.map((c) => [c, []]));
  /** Per case, one ratio per round: its CPU per request (server + PostgreSQL) over the mean of the same two neighbours'. */
  const cpuRatios = new Map<BenchCase, number[]>(compared.map((c) => [c, []]));
  const cpuTotal = (r: Run) => (r.cpuMs ? r.cpuMs.server + Math.max(0, r.cpuMs.database) : null);
  const notes = new Map<BenchCase, string>();
  for (let i = 0; i < RUNS; i++) {
    const round: Run[] = [];
    for (const c of slots) {
      const load = loads.get(c)!;
      load.beforeRun?.(i);
      if (statsOf[c.target]) await serverStats(statsOf[c.target]!, true);
      const pid = pids[c.target];
      const cpuBefore = [cpuSeconds(pid), postgresCpuSeconds()];
      const stop = load.during?.();
      const r = await measure(load, DURATION);
      const cpuAfter = [cpuSeconds(pid), postgresCpuSeconds()];
      if (cpuBefore.every((x) => x !== null) && cpuAfter.every((x) => x !== null) && r.total > 0) {
        r.cpuMs = { server: ((cpuAfter[0]! - cpuBefore[0]!) * 1000) / r.total, database: ((cpuAfter[1]! - cpuBefore[1]!) * 1000) / r.total };
      }
      if (stop) notes.set(c, await stop());
      load.afterRun?.();
      if (statsOf[c.target]) r.stats = await serverStats(statsOf[c.target]!, true);
      runs.get(c)!.push(r);
      round.push(r);
      console.log(
        `  run ${i + 1} ${c.name.padEnd(32)} ${r.rps.toFixed(0).padStart(6)} req/s  p50 ${r.p50}  p99 ${r.p99}  max ${r.max} ms` +
          `  non-2xx ${r.non2xx}  errors ${r.errors}` +
          (r.stats ? `  loop p99 ${ms(r.stats.eventLoopDelayMs.p99)} ms` : ''),
      );
    }
    slots.forEach((c, k) => {
      if (c.target === 'floor') return;
      paired.get(c)!.push(round[k].rps / ((round[k - 1].rps + round[k + 1].rps) / 2));
      const [mine, before, after] = [cpuTotal(round[k]), cpuTotal(round[k - 1]), cpuTotal(round[k + 1])];
      if (mine !== null && before !== null && after !== null) cpuRatios.get(c)!.push(mine / ((before + after) / 2));
    });
  }

  const summary = new Map(
    cases.map((c) => {
      const rs = runs.get(c)!;
      const mid = [...rs].sort((a, b) => a.rps - b.rps)[Math.floor(rs.length / 2)];
      const sent = rs.reduce((s, r) => s + r.sent, 0);
      const non2xx = rs.reduce((s, r) => s + r.non2xx, 0);
      return [
        c,
        {
          rps: median(rs.map((r) => r.rps)),
          p50: median(rs.map((r) => r.p50)),
          p90: median(rs.map((r) => r.p90)),
          p99: median(rs.map((r) => r.p99)),
          max: median(rs.map((r) => r.max)),
          non2xx,
          errors: rs.reduce((s, r) => s + r.errors, 0),
          refused: sent ? non2xx / sent : non2xx ? 1 : 0,
          stats: mid.stats,
        },
      ] as const;
    }),
  );
  /** Round by round: a case against its own baseline, or (b given) against another case, both over their baselines. */
  const roundRatios = (c: BenchCase, b?: BenchCase) => paired.get(c)!.map((x, i) => (b ? x / paired.get(b)![i] : x));
  const ratio = (c: BenchCase, b?: BenchCase) => median(roundRatios(c, b));
  /** The table's "x floor": paired where the case's baseline is the floor, else medians over medians. */
  const xFloor = (c: BenchCase) =>
    c === floorCase ? 1 : c.target !== 'floor' && baselineOf(c) === floorCase ? ratio(c) : summary.get(c)!.rps / summary.get(floorCase)!.rps;
  console.log(`\n  median of ${RUNS} rounds                req/s  x floor    p50    p90    p99    max  non-2xx  loop p99  (ms)`);
  for (const c of cases) {
    const s = summary.get(c)!;
    console.log(
      `  ${c.name.padEnd(34)} ${s.rps.toFixed(0).padStart(6)}  ${xFloor(c).toFixed(2).padStart(7)}` +
        ` ${[s.p50, s.p90, s.p99, s.max].map((v) => String(v).padStart(6)).join(' ')}  ${String(s.non2xx).padStart(7)}` +
        `  ${s.stats ? ms(s.stats.eventLoopDelayMs.p99).padStart(8) : '       -'}`,
    );
  }

  // CPU per request: steadier than req/s on a machine whose speed drifts (a busy core slows a request, it does not
  // make it cost more), so it tells whether a gap in throughput is work of ours or the machine. Issue 28's target:
  // ours <= 1.1 x its baseline's CPU per request (what >= 0.9 x its throughput needs when the cores are the limit).
  // Paired like throughput: each round, a case's CPU per request over the mean of its two baseline neighbours.
  const cpuOf = (c: BenchCase) => {
    const rs = runs.get(c)!.filter((r) => r.cpuMs);
    return rs.length ? { server: median(rs.map((r) => r.cpuMs!.server)), database: median(rs.map((r) => Math.max(0, r.cpuMs!.database))) } : null;
  };
  const us = (v: number) => (v * 1000).toFixed(0);
  if (cpuOf(floorCase)) {
    console.log('\n  CPU per request, median of rounds (microseconds): the server process (all threads) + PostgreSQL = total');
    console.log(`  ${'case'.padEnd(34)} ${'this case'.padStart(16)}   ${'its baseline'.padStart(16)}   ratio (paired per round; target <= 1.1)`);
    for (const c of cases) {
      const cpu = cpuOf(c)!;
      const cell = (x: { server: number; database: number }) => `${us(x.server)} + ${us(x.database)} = ${us(x.server + x.database)}`.padStart(16);
      if (c.target === 'floor') {
        console.log(`  ${c.name.padEnd(34)} ${cell(cpu)}`);
        continue;
      }
      const base = cpuOf(baselineOf(c))!;
      const paired = cpuRatios.get(c) ?? [];
      console.log(
        `  ${c.name.padEnd(34)} ${cell(cpu)}   ${cell(base)}   ${paired.length ? median(paired).toFixed(2) : '-'} x ${baselineOf(c).name}`,
      );
    }
  }

  console.log('\n  ours, per stage (median run): p50 / p99 ms; loop = event-loop delay; gc = pauses; background = database work');
  console.log(`  ${'case'.padEnd(34)} ${STAGES.map((s) => s.padStart(12)).join('')}`);
  for (const c of cases.filter((c) => isOurs(c.target))) {
    const st = summary.get(c)!.stats;
    if (!st) {
      console.log(`  ${c.name.padEnd(34)} (no stats from the server)`);
      continue;
    }
    const cells = STAGES.map((s) =>
      (st.stagesMs[s].count ? `${ms(st.stagesMs[s].p50)}/${ms(st.stagesMs[s].p99)}` : '-').padStart(12),
    );
    console.log(`  ${c.name.padEnd(34)} ${cells.join('')}`);
    const bg = Object.entries(st.background).map(([k, v]) => `${v} ${k}`).join(', ') || 'none';
    console.log(
      `  ${''.padEnd(34)} loop p50/p99/max ${ms(st.eventLoopDelayMs.p50)}/${ms(st.eventLoopDelayMs.p99)}/${ms(st.eventLoopDelayMs.max)}` +
        `; gc ${st.gc.count} pauses, ${st.gc.totalMs} ms total, max ${st.gc.maxMs} ms; background: ${bg}` +
        (notes.get(c) ? `; ${notes.get(c)}` : ''),
    );
  }

  const checks: [string, boolean][] = [];
  const hotCase = cases.find((c) => c.name === 'ours: one hot client');
  const rounds = (c: BenchCase, b?: BenchCase) => `rounds ${roundRatios(c, b).map((x) => x.toFixed(2)).join(', ')}`;
  if (hotCase) {
    const r = ratio(hotCase, peerCase);
    checks.push([`one hot client / oidc-provider = ${r.toFixed(2)} (target >= 1.5; ${rounds(hotCase, peerCase)})`, r >= 1.5]);
  }
  if (twins.size) {
    // Both against the same baseline in the same rounds: on / off per round, median over rounds.
    if (VARIANT) {
      console.log(`\n  variant (${VARIANT.script}, ${JSON.stringify(VARIANT.env)}) vs ours (production default), req/s and CPU per request, median of rounds`);
      for (const [ours, variant] of twins) {
        const perRound = roundRatios(variant).map((x, i) => x / roundRatios(ours)[i]);
        console.log(
          `  ${ours.name.padEnd(34)} ours ${ratio(ours).toFixed(2)}  variant ${ratio(variant).toFixed(2)} x floor  variant / ours ${median(perRound).toFixed(2)}` +
            ` (rounds ${perRound.map((x) => x.toFixed(2)).join(', ')})  p99 ours ${summary.get(ours)!.p99} / variant ${summary.get(variant)!.p99} ms`,
        );
      }
    } else {
      console.log('\n  metrics + access log on (production default) vs off, req/s x baseline, median of rounds');
      for (const [on, off] of twins) {
        const perRound = roundRatios(on).map((x, i) => x / roundRatios(off)[i]);
        console.log(
          `  ${on.name.padEnd(34)} on ${ratio(on).toFixed(2)}  off ${ratio(off).toFixed(2)}  on/off ${median(perRound).toFixed(2)}` +
            `  p99 on ${summary.get(on)!.p99} / off ${summary.get(off)!.p99} ms`,
        );
      }
    }
  }

  // Not a target: how much of the gap to the bare floor the per-request features alone account for (issue 28).
  const featuresCase = cases.find((c) => c.target === 'floor-features');
  if (featuresCase && hotCase) {
    const cpuOver = (c: BenchCase, b: BenchCase) => {
      const [xs, bs] = [cpuRatios.get(c)!, cpuRatios.get(b)!];
      return xs.length === bs.length && xs.length ? median(xs.map((x, i) => x / bs[i])).toFixed(2) : '-';
    };
    const featuresCpu = cpuRatios.get(featuresCase)!;
    console.log('\n  the per-request features on their own: the floor inside them (request id, security headers, drain, metrics, access log, request context)');
    console.log(
      `  floor + per-request features       ${ratio(featuresCase).toFixed(2)} x floor (${rounds(featuresCase)})` +
        `, CPU per request ${featuresCpu.length ? median(featuresCpu).toFixed(2) : '-'} x the floor's`,
    );
    console.log(
      `  ours: one hot client               ${ratio(hotCase, featuresCase).toFixed(2)} x floor + per-request features (${rounds(hotCase, featuresCase)})` +
        `, CPU per request ${cpuOver(hotCase, featuresCase)} x`,
    );
  }

  for (const c of cases.filter((c) => isOurs(c.target))) {
    const s = summary.get(c)!;
    const expected = loads.get(c)!.refusedShare ?? 0;
    const base = baselineOf(c);
    const r = ratio(c);
    const baseName = base !== floorCase ? base.name : 'floor';
    checks.push([`${c.name}: ${r.toFixed(2)} x ${baseName} (target >= 0.9; ${rounds(c)})`, r >= 0.9]);
    const cpuPaired = cpuRatios.get(c)!;
    if (cpuPaired.length) {
      const cr = median(cpuPaired);
      checks.push([
        `${c.name}: CPU per request ${cr.toFixed(2)} x ${baseName}'s (target <= 1.1; rounds ${cpuPaired.map((x) => x.toFixed(2)).join(', ')})`,
        cr <= 1.1,
      ]);
    }
    // A case with a baseline of its own (private_key_jwt) is held to 20 ms, or to that baseline's p99 where the bare
    // floor doing the same crypto cannot make 20 ms on this machine (at 50 connections p99 follows throughput).
    const baseP99 = base !== floorCase ? summary.get(base)!.p99 : 0;
    const p99Target = Math.max(20, baseP99);
    checks.push([
      `${c.name}: p99 ${s.p99} ms (target <= ${p99Target} ms${p99Target > 20 ? `: 20 ms, or ${baseName}'s own p99` : ''})`,
      s.p99 <= p99Target,
    ]);
    const refusedOk = expected ? Math.abs(s.refused - expected) < expected / 2 && s.errors === 0 : s.non2xx + s.errors === 0;
    checks.push([
      `${c.name}: ${expected ? `refused ${(s.refused * 100).toFixed(1)}% (expected ${expected * 100}%)` : `non-2xx + errors ${s.non2xx + s.errors} (target 0)`}`,
      refusedOk,
    ]);
  }
  // Usage counting (issue 27): always on in the token service (lib/tokens/usage-recorder.ts, no switch), so every figure of
  // ours above includes it; shown by what it wrote for the hot client during this run.
  const usage = await handle.db.execute(sql`
    select coalesce(sum(count), 0)::bigint as n from client_usage where client_id = ${client.clientId} and outcome = 'issued'`);
  const counted = Number((usage as unknown as { rows: { n: string }[] }).rows[0]?.n ?? 0);
  console.log(`\n  usage counting: on in every case of ours (always on; lib/tokens/usage-recorder.ts); ${counted} tokens of the hot client counted in client_usage by now`);
  console.log('');
  for (const [label, ok] of checks) console.log(`  ${ok ? 'met   ' : 'MISSED'}  ${label}`);
  console.log(`\n  load average at the end: ${os.loadavg().map((l) => l.toFixed(2)).join(' ')} (compare figures within one run only)\n`);
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1) {
  const mode = process.argv[serveAt + 1] as Mode;
  const port = Number(process.argv[serveAt + 2]);
  const id = process.env.BENCH_CLIENT_ID!;
  const secret = process.env.BENCH_CLIENT_SECRET!;
  if (mode === 'oidc-provider') void serveOidcProvider(port, id, secret);
  else if (mode === 'floor-features') void serveFloorWithFeatures(port, id, secret);
  else serveFloor(port, id, secret);
} else {
  // Ctrl-C or a kill: stop the servers and drop the temporary database, as a finished run does.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`\n  bench:token stopped (${signal}): cleaning up`);
      void cleanup().finally(() => process.exit(130));
    });
  }
  main()
    .catch((err) => {
      const cause = (err as Error & { cause?: Error }).cause;
      console.error(`\n  bench:token failed: ${(err as Error).message}${cause ? ` (${cause.message})` : ''}\n`);
      process.exitCode = 1;
    })
    .finally(() => cleanup().then(() => process.exit()));
}
