/**
 * npm run bench:token
 *
 * Token endpoint throughput, measured in one run against its peers (compare figures only within one run: the load
 * generator shares the machine's cores with the servers):
 *   (a) ours: the production server (`npm start`'s server.ts, Next included) on PostgreSQL;
 *   (b) panva/oidc-provider, client_credentials with ES256 JWT access tokens (resource indicators);
 *   (c) the floor: bare node:http that parses the form, checks a SHA-256 hash and signs ES256.
 * autocannon: 50 connections, keep-alive, 10 s, three runs per target (interleaved), median reported.
 * Targets: a/b >= 1.5, a/c >= 0.6, p99 <= 20 ms, zero non-2xx.
 *
 * DATABASE_URL: the PostgreSQL to use (a bench tenant and client are added, then removed). Unset: a temporary
 * database is created on postgres://postgres@127.0.0.1:5432 and dropped afterwards. Runs `npm run build` when the
 * build (NEXT_DIST_DIR, default .next) is missing. BENCH_DURATION (seconds) and BENCH_RUNS shorten a trial run.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { createHash, createPrivateKey, generateKeyPairSync, randomUUID, sign, timingSafeEqual, type KeyObject } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { privateKeyJwtCase, type CaseRun } from './cases/private-key-jwt';

const CONNECTIONS = 50;
const DURATION = Number(process.env.BENCH_DURATION || 10);
const RUNS = Number(process.env.BENCH_RUNS || 3);
const WARMUP = 3;
/** The whole bench stops by itself, whatever happens. */
const HARD_LIMIT_MS = (RUNS * 3 * (DURATION + 2) + 3 * WARMUP + 240) * 1000;

type Mode = 'oidc-provider' | 'floor';

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

/** The floor: the least a token endpoint can do. */
function serveFloor(port: number, clientId: string, secret: string) {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const key: KeyObject = createPrivateKey(privateKey.export({ format: 'pem', type: 'pkcs8' }));
  const storedHash = createHash('sha256').update(secret).digest();
  const header = Buffer.from(JSON.stringify({ alg: 'ES256', typ: 'at+jwt', kid: 'floor' })).toString('base64url');
  const issuer = `http://127.0.0.1:${port}`;
  http
    .createServer((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (d: string) => (body += d));
      req.on('end', () => {
        const form = new URLSearchParams(body);
        const presented = createHash('sha256').update(form.get('client_secret') ?? '').digest();
        if (form.get('grant_type') !== 'client_credentials' || form.get('client_id') !== clientId || !timingSafeEqual(presented, storedHash)) {
          res.writeHead(401, { 'Content-Type': 'application/json' }).end('{"error":"invalid_client"}');
          return;
        }
        const iat = Math.floor(Date.now() / 1000);
        const claims = { iss: issuer, sub: clientId, aud: `${issuer}/resources`, exp: iat + 3600, nbf: iat, iat, jti: randomUUID(), client_id: clientId };
        const input = `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}`;
        const token = `${input}.${sign('sha256', Buffer.from(input), { key, dsaEncoding: 'ieee-p1363' }).toString('base64url')}`;
        res
          .writeHead(200, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store' })
          .end(JSON.stringify({ access_token: token, token_type: 'Bearer', expires_in: 3600 }));
      });
    })
    .listen(port, '127.0.0.1', () => process.send?.('ready'));
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

function start(args: string[], env: NodeJS.ProcessEnv, label: string): { child: ChildProcess; log: () => string } {
  const child = spawn(process.execPath, ['--import', 'tsx', ...args], {
    env,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  let output = '';
  child.stdout!.on('data', (d) => (output += d));
  child.stderr!.on('data', (d) => (output += d));
  child.on('exit', (code, signal) => {
    if (!stopping) console.error(`  ${label} exited early (${signal ?? code}):\n${output}`);
  });
  children.push(child);
  return { child, log: () => output };
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

async function checkToken(url: string, body: string, label: string) {
  const res = await fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body });
  const json = (await res.json().catch(() => ({}))) as { access_token?: string };
  if (res.status !== 200 || !json.access_token) throw new Error(`${label}: token request answered ${res.status} ${JSON.stringify(json)}`);
  const header = JSON.parse(Buffer.from(json.access_token.split('.')[0], 'base64url').toString());
  if (header.alg !== 'ES256') throw new Error(`${label}: expected an ES256 JWT, got header ${JSON.stringify(header)}`);
  return header as Record<string, string>;
}

type AutocannonResult = {
  requests: { average: number };
  latency: { p50: number; p99: number };
  non2xx: number;
  errors: number;
  timeouts: number;
};

type Run = { rps: number; p50: number; p99: number; non2xx: number; errors: number };

async function measure(url: string, body: string, seconds: number): Promise<Run> {
  // @ts-expect-error -- autocannon publishes no type declarations
  const { default: autocannon } = (await import('autocannon')) as { default: (opts: Record<string, unknown>) => Promise<AutocannonResult> };
  const result = await autocannon({
    url,
    method: 'POST',
    connections: CONNECTIONS,
    pipelining: 1,
    duration: seconds,
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body,
  });
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors + result.timeouts,
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

async function main() {
  const hardStop = setTimeout(() => {
    console.error('  The bench ran past its time limit: stopping.');
    void cleanup().finally(() => process.exit(1));
  }, HARD_LIMIT_MS);
  hardStop.unref();

  ensureBuild();
  const databaseUrl = await prepareDatabase();
  const authSecret = process.env.AUTH_SECRET || randomUUID() + randomUUID();

  // The bench client, written straight into the database (migrations first: the server would do the same).
  process.env.DATABASE_URL = databaseUrl;
  process.env.AUTH_SECRET = authSecret;
  const { createPostgres } = await import('../lib/db');
  const { migrateDatabase } = await import('../lib/db/migrate');
  const { createTenant } = await import('../lib/tenants/tenants');
  const { createTestClient } = await import('../lib/testing/clients');
  const { tenants } = await import('../lib/db/schema');
  const { eq } = await import('drizzle-orm');
  const handle = await createPostgres(databaseUrl);
  await migrateDatabase(handle);
  const { tenant } = await createTenant(handle.db, `Bench ${randomUUID().slice(0, 8)}`);
  cleanups.push(async () => {
    await handle.db.delete(tenants).where(eq(tenants.id, tenant.id));
    await handle.close();
  });
  const client = await createTestClient(handle.db, { tenantId: tenant.id, name: 'Bench client', roleTypes: ['tenant_contributor'] });
  const body = new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }).toString();

  const [portA, portB, portC] = [await freePort(), await freePort(), await freePort()];
  const childEnv = { ...process.env, BENCH_CLIENT_ID: client.clientId, BENCH_CLIENT_SECRET: client.secret, NODE_ENV: 'production' } as NodeJS.ProcessEnv;
  const serverEnv: NodeJS.ProcessEnv = { ...childEnv, PORT: String(portA), HOST: '127.0.0.1' };
  delete serverEnv.AUTH_URL; // the issuer follows the request's Host
  const ours = start(['server.ts'], serverEnv, '(a) server.ts');
  const peer = start([import.meta.filename, '--serve', 'oidc-provider', String(portB)], childEnv, '(b) oidc-provider');
  const floor = start([import.meta.filename, '--serve', 'floor', String(portC)], childEnv, '(c) floor');

  const targets = [
    { name: '(a) ours', url: `http://127.0.0.1:${portA}/identity/connect/token`, ready: `http://127.0.0.1:${portA}/identity/.well-known/openid-configuration`, log: ours.log },
    { name: '(b) oidc-provider', url: `http://127.0.0.1:${portB}/token`, ready: `http://127.0.0.1:${portB}/.well-known/openid-configuration`, log: peer.log },
    { name: '(c) floor', url: `http://127.0.0.1:${portC}/token`, ready: `http://127.0.0.1:${portC}/`, log: floor.log },
  ];
  for (const t of targets) {
    await waitFor(t.ready, t.name, t.log);
    const header = await checkToken(t.url, body, t.name);
    console.log(`  ${t.name.padEnd(20)} ready, issues ${header.alg} ${header.typ ?? 'JWT'} tokens`);
  }

  // The same server with the client authenticating by private_key_jwt (bench/cases/private-key-jwt.ts).
  const pkj = await privateKeyJwtCase(handle.db, client.clientId, targets[0].url, CONNECTIONS);
  const pkjRuns: CaseRun[] = [];
  console.log(`  ${pkj.name} ready`);

  console.log(`\n  autocannon: ${CONNECTIONS} connections, keep-alive, ${DURATION} s, ${RUNS} runs each (interleaved)\n`);
  for (const t of targets) await measure(t.url, body, WARMUP); // JIT and caches warm, not counted
  await pkj.run(WARMUP);
  const runs = new Map<string, Run[]>(targets.map((t) => [t.name, []]));
  for (let i = 0; i < RUNS; i++) {
    for (const t of targets) {
      const r = await measure(t.url, body, DURATION);
      runs.get(t.name)!.push(r);
      console.log(
        `  run ${i + 1} ${t.name.padEnd(20)} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}`,
      );
    }
    const r = await pkj.run(DURATION);
    pkjRuns.push(r);
    console.log(`  run ${i + 1} ${pkj.name} ${r.rps.toFixed(0).padStart(7)} req/s  p50 ${r.p50} ms  p99 ${r.p99} ms  non-2xx ${r.non2xx}  errors ${r.errors}`);
  }

  const summary = targets.map((t) => {
    const rs = runs.get(t.name)!;
    return {
      name: t.name,
      rps: median(rs.map((r) => r.rps)),
      p50: median(rs.map((r) => r.p50)),
      p99: median(rs.map((r) => r.p99)),
      non2xx: rs.reduce((s, r) => s + r.non2xx, 0),
      errors: rs.reduce((s, r) => s + r.errors, 0),
    };
  });
  console.log('\n  median of runs      req/s      p50      p99   non-2xx (all runs)  errors');
  for (const s of summary) {
    console.log(
      `  ${s.name.padEnd(18)} ${s.rps.toFixed(0).padStart(7)}  ${`${s.p50} ms`.padStart(7)}  ${`${s.p99} ms`.padStart(7)}   ${String(s.non2xx).padStart(7)}             ${s.errors}`,
    );
  }
  const k = {
    rps: median(pkjRuns.map((r) => r.rps)),
    p50: median(pkjRuns.map((r) => r.p50)),
    p99: median(pkjRuns.map((r) => r.p99)),
    non2xx: pkjRuns.reduce((s, r) => s + r.non2xx + r.errors, 0),
  };
  console.log(`  ${pkj.name}: ${k.rps.toFixed(0)} req/s, p50 ${k.p50} ms, p99 ${k.p99} ms, non-2xx ${k.non2xx}`);
  const [a, b, c] = summary;
  console.log(`  private_key_jwt / client_secret (same server, same run) = ${(k.rps / a.rps).toFixed(2)}`);
  const ab = a.rps / b.rps;
  const ac = a.rps / c.rps;
  const checks = [
    [`a/b = ${ab.toFixed(2)} (target >= 1.5)`, ab >= 1.5],
    [`a/c = ${ac.toFixed(2)} (target >= 0.6)`, ac >= 0.6],
    [`p99 (a) = ${a.p99} ms (target <= 20 ms)`, a.p99 <= 20],
    [`non-2xx (a) = ${a.non2xx + a.errors} (target 0)`, a.non2xx + a.errors === 0],
  ] as const;
  console.log('');
  for (const [label, ok] of checks) console.log(`  ${ok ? 'met   ' : 'MISSED'}  ${label}`);
  console.log('');
}

const serveAt = process.argv.indexOf('--serve');
if (serveAt !== -1) {
  const mode = process.argv[serveAt + 1] as Mode;
  const port = Number(process.argv[serveAt + 2]);
  const id = process.env.BENCH_CLIENT_ID!;
  const secret = process.env.BENCH_CLIENT_SECRET!;
  if (mode === 'oidc-provider') void serveOidcProvider(port, id, secret);
  else serveFloor(port, id, secret);
} else {
  main()
    .catch((err) => {
      console.error(`\n  bench:token failed: ${(err as Error).message}\n`);
      process.exitCode = 1;
    })
    .finally(() => cleanup().then(() => process.exit()));
}
