/**
 * Running it in production (issue 22), as an operator does: the compiled server (`npm run build`), started with
 * `npm start` or `node dist/server.js`, on PostgreSQL behind a TCP proxy the test can cut. Probes, metrics, the
 * access log, the pinned issuer, start-up refusals and retries, the admin:reset-password command while the server
 * runs, a pg_dump backup restored into a new database, and SIGTERM to `npm start` with a request in flight.
 * The start-up checks run on every pass; the rest in the PostgreSQL pass (DATABASE_URL set).
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { eq } from 'drizzle-orm';
import { createLocalJWKSet, decodeJwt, jwtVerify, type JSONWebKeySet } from 'jose';
import { createPostgres, type DbHandle } from '../lib/db';
import { tenants } from '../lib/db/schema';
import { DEFAULT_TENANT_NAME } from '../lib/tenants/tenants';
import { createTestClient, type TestClient } from '../lib/testing/clients';
import { generateSecret } from '../lib/secrets/secret';
import {
  DatabaseProxy,
  descendants,
  dropDatabase,
  freePort,
  freshDatabase,
  isAlive,
  parsePrometheus,
  rawRequest,
  sampleValue,
  startServer,
  waitReady,
  type RunningServer,
} from './ops-helpers';

test.describe.configure({ mode: 'serial' });

const AUTH_SECRET = randomBytes(32).toString('base64url');
const ADMIN_EMAIL = 'ops-admin@example.com';
const ADMIN_PASSWORD = `ops-${randomBytes(12).toString('base64url')}`;
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };
const basic = (c: TestClient, secret = c.secret) => `Basic ${Buffer.from(`${c.clientId}:${secret}`).toString('base64')}`;

test('a production start without AUTH_URL refuses with one clear line and a non-zero exit', async () => {
  const server = startServer({ port: await freePort(), env: { DATABASE_URL: 'postgres://postgres@127.0.0.1:1/none', AUTH_SECRET } });
  const { code } = await server.exited;
  expect(code).toBe(1);
  const fatal = server.lines().filter((l) => l.level === 'fatal');
  expect(fatal).toHaveLength(1);
  expect(fatal[0].msg).toBe(
    'AUTH_URL is not set. In production the issuer must be pinned: set AUTH_URL to the public base URL ' +
      '(e.g. AUTH_URL=https://console.example.com), or set AUTH_URL_FROM_HOST=1 to take it from the Host header ' +
      '(only behind a proxy that sets Host itself).',
  );
});

test('an unreachable database at start: one line per attempt naming the cause, then a non-zero exit', async () => {
  const port = await freePort();
  const closed = await freePort(); // nothing listens there: connection refused
  const server = startServer({
    port,
    env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${closed}/none`, AUTH_URL: `http://127.0.0.1:${port}`, AUTH_SECRET, DB_CONNECT_TIMEOUT_SECONDS: '2' },
  });
  const { code } = await server.exited;
  expect(code).toBe(1);
  const lines = server.lines();
  const attempts = lines.filter((l) => l.msg.startsWith('[db] database not reachable (attempt'));
  expect(attempts.length).toBeGreaterThanOrEqual(2);
  attempts.forEach((l, i) => {
    expect(l.level).toBe('warn');
    expect(l.msg).toMatch(new RegExp(`^\\[db\\] database not reachable \\(attempt ${i + 1}\\): connection refused \\(ECONNREFUSED\\); retrying in [0-9.]+ s$`));
  });
  const fatal = lines.filter((l) => l.level === 'fatal');
  expect(fatal).toHaveLength(1);
  expect(fatal[0].msg).toMatch(/^database not reachable: connection refused \(ECONNREFUSED\); gave up after \d+ attempts in [0-9.]+ s \(DB_CONNECT_TIMEOUT_SECONDS=2\)$/);
  // Every line is JSON, no stack trace, no SQL.
  expect(server.output()).not.toMatch(/^\s+at /m);
});

test.describe('on PostgreSQL', () => {
  test.skip(!process.env.DATABASE_URL, 'runs in the PostgreSQL pass (DATABASE_URL set)');

  const baseUrl = process.env.DATABASE_URL ?? '';
  let proxy: DatabaseProxy;
  let database: { url: string; name: string };
  let restored: { url: string; name: string } | null = null;
  let handle: DbHandle;
  let server: RunningServer;
  let management = '';
  let client: TestClient;
  const others: RunningServer[] = [];

  test.beforeAll(async () => {
    test.setTimeout(180_000);
    database = await freshDatabase(baseUrl, 'ops');
    const target = new URL(baseUrl);
    proxy = new DatabaseProxy({ host: target.hostname, port: Number(target.port || 5432) });
    await proxy.open();
    const viaProxy = new URL(database.url);
    viaProxy.host = `127.0.0.1:${proxy.port}`;
    const [port, managementPort] = [await freePort(), await freePort()];
    management = `http://127.0.0.1:${managementPort}`;
    server = startServer({
      npm: true,
      port,
      env: {
        DATABASE_URL: viaProxy.toString(),
        AUTH_URL: `http://127.0.0.1:${port}`,
        AUTH_SECRET,
        ADMIN_EMAIL,
        ADMIN_PASSWORD,
        MANAGEMENT_PORT: String(managementPort),
      },
    });
    await waitReady(server);
    handle = await createPostgres(database.url);
    const [tenant] = await handle.db.select().from(tenants).where(eq(tenants.name, DEFAULT_TENANT_NAME));
    client = await createTestClient(handle.db, { tenantId: tenant.id, name: 'Ops client' });
  });

  test.afterEach(async ({}, testInfo) => {
    if (server && testInfo.status !== testInfo.expectedStatus) await testInfo.attach('server log', { body: server.output(), contentType: 'text/plain' });
  });

  test.afterAll(async () => {
    for (const s of [server, ...others]) {
      if (s && !s.hasExited()) {
        s.kill('SIGKILL');
        await s.exited;
      }
    }
    await handle?.close();
    await proxy?.close();
    if (database) await dropDatabase(baseUrl, database.name);
    if (restored) await dropDatabase(baseUrl, restored.name);
  });

  test('probes: live, ready, 503 with the cause while the database refuses connections, ready again after', async () => {
    test.setTimeout(120_000);
    for (const origin of [server.origin, management]) {
      const live = await fetch(`${origin}/health/live`);
      expect(live.status).toBe(200);
      expect(live.headers.get('cache-control')).toBe('no-store');
      expect(await live.json()).toEqual({ status: 'live' });
      const ready = await fetch(`${origin}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toEqual({ status: 'ready', checks: { database: 'ok', migrations: 'ok', signingKeys: 'ok', listen: 'ok' } });
    }
    // Metrics are on the management port only (METRICS_ENABLED is not 1).
    expect((await fetch(`${server.origin}/metrics`)).status).toBe(404);
    expect((await fetch(`${management}/metrics`)).status).toBe(200);

    // A client no request has asked for yet: not in the token service's cache, so its request needs the database.
    const [tenant] = await handle.db.select().from(tenants).where(eq(tenants.name, DEFAULT_TENANT_NAME));
    const uncached = await createTestClient(handle.db, { tenantId: tenant.id, name: 'Ops uncached client' });

    await proxy.cut();
    let notReady: { status: string; reason: string; checks: Record<string, string> } | null = null;
    await expect
      .poll(
        async () => {
          // The first probe after the cut may still meet a pooled connection being torn down ("connection
          // terminated"); the steady state, once the pool has let go of it, is the refused connect.
          const res = await fetch(`${server.origin}/health/ready`);
          if (res.status === 503) notReady = await res.json();
          return `${res.status} ${notReady?.checks.database ?? ''}`;
        },
        { timeout: 30_000, intervals: [250] },
      )
      .toBe('503 connection refused (ECONNREFUSED)');
    expect(notReady!.status).toBe('not_ready');
    expect(notReady!.checks.database).toBe('connection refused (ECONNREFUSED)');
    expect(notReady!.reason).toContain('database: connection refused (ECONNREFUSED)');
    expect(JSON.stringify(notReady)).not.toContain(String(proxy.port));
    // Still alive: the process answers.
    expect((await fetch(`${server.origin}/health/live`)).status).toBe(200);
    // A request that needs the database gets a 503 to retry, and the log one line naming the cause, with its request id.
    const refused = await fetch(`${server.origin}/identity/connect/token`, {
      method: 'POST',
      headers: { ...FORM, Authorization: basic(uncached) },
      body: 'grant_type=client_credentials',
    });
    expect(refused.status).toBe(503);
    expect(((await refused.json()) as { error: string }).error).toBe('temporarily_unavailable');
    const requestId = refused.headers.get('x-request-id');
    await expect
      .poll(() => server.lines().filter((l) => l.requestId === requestId && l.level === 'error').map((l) => l.msg))
      .toEqual(['[tokens] request failed: database query failed: connection refused (ECONNREFUSED)']);

    await proxy.open();
    await expect.poll(async () => (await fetch(`${server.origin}/health/ready`)).status, { timeout: 60_000, intervals: [500] }).toBe(200);
    // The outage was logged in lines naming the cause: no SQL, no parameters, no stack.
    const output = server.output();
    expect(output).not.toContain('Failed query');
    expect(output).not.toMatch(/^\s+at /m);
    expect(server.lines().some((l) => l.msg.startsWith('[db] listener connection lost'))).toBe(true);
  });

  test('metrics parse as Prometheus text, the token counter rises by exactly the tokens issued; one access log line per request', async () => {
    const scrape = async () => {
      const res = await fetch(`${management}/metrics`);
      expect(res.headers.get('content-type')).toContain('text/plain');
      const text = await res.text();
      // A client id is never a label value.
      expect(text).not.toContain(client.clientId);
      return parsePrometheus(text);
    };
    const issued = { grant_type: 'client_credentials', auth_method: 'client_secret_basic' };
    const before = await scrape();
    const N = 7;
    const tokens: string[] = [];
    for (let i = 0; i < N; i++) {
      const res = await fetch(`${server.origin}/identity/connect/token`, {
        method: 'POST',
        headers: { ...FORM, Authorization: basic(client) },
        body: 'grant_type=client_credentials',
      });
      expect(res.status).toBe(200);
      tokens.push(((await res.json()) as { access_token: string }).access_token);
    }
    const wrong = await fetch(`${server.origin}/identity/connect/token`, {
      method: 'POST',
      headers: { ...FORM, Authorization: basic(client, generateSecret()) },
      body: 'grant_type=client_credentials',
    });
    expect(wrong.status).toBe(401);
    const after = await scrape();
    expect(sampleValue(after.samples, 'tsc_tokens_issued_total', issued) - sampleValue(before.samples, 'tsc_tokens_issued_total', issued)).toBe(N);
    expect(
      sampleValue(after.samples, 'tsc_client_auth_failures_total', { reason: 'wrong_secret' }) -
        sampleValue(before.samples, 'tsc_client_auth_failures_total', { reason: 'wrong_secret' }),
    ).toBe(1);
    const latency = (s: typeof after) => sampleValue(s.samples, 'tsc_identity_request_duration_seconds_count', { endpoint: 'token' });
    expect(latency(after) - latency(before)).toBe(N + 1);
    expect(after.types.get('tsc_tokens_issued_total')).toBe('counter');
    expect(after.types.get('tsc_identity_request_duration_seconds')).toBe('histogram');
    for (const name of [
      'process_cpu_user_seconds_total',
      'nodejs_eventloop_lag_p99_seconds',
      'nodejs_heap_size_used_bytes',
      'tsc_db_pool_connections',
      'tsc_crypto_worker_batches_total',
      'tsc_client_cache_lookups_total',
      'tsc_listen_reconnects_total',
    ]) {
      expect(after.samples.some((s) => s.name === name), name).toBe(true);
    }
    expect(sampleValue(after.samples, 'tsc_listen_connected')).toBe(1);
    // The proxy cut of the previous test: lost once, back once.
    expect(sampleValue(after.samples, 'tsc_listen_reconnects_total')).toBeGreaterThanOrEqual(1);

    // The access log: one JSON line per token request, with the client id, never the secret or a token. pino writes
    // asynchronously and the server's stdout is a pipe: wait for the lines to arrive, then check each.
    const tokenLinesOf = () => server.lines().filter((l) => l.log === 'access' && l.path === '/identity/connect/token');
    const ofClient = (status: number) => tokenLinesOf().filter((l) => l.status === status && l.clientId === client.clientId).length;
    await expect.poll(() => ofClient(200)).toBe(N);
    await expect.poll(() => ofClient(401)).toBe(1);
    const tokenLines = tokenLinesOf();
    for (const l of tokenLines) {
      expect(l.method).toBe('POST');
      expect(typeof l.durationMs).toBe('number');
      expect(l.remoteAddress).toBe('127.0.0.1');
      expect(typeof l.requestId).toBe('string');
    }
    const output = server.output();
    expect(output).not.toContain(client.secret);
    for (const t of tokens) expect(output).not.toContain(t);
  });

  test('Host: evil.example does not change the issuer, the signed token or a redirect', async () => {
    const issuer = `${server.origin}/identity`;
    const discovery = await rawRequest(server.origin, '/identity/.well-known/openid-configuration', { headers: { Host: 'evil.example' } });
    expect(discovery.status).toBe(200);
    const doc = JSON.parse(discovery.body) as Record<string, string>;
    expect(doc.issuer).toBe(issuer);
    expect(discovery.body).not.toContain('evil.example');
    const token = await rawRequest(server.origin, '/identity/connect/token', {
      method: 'POST',
      headers: { Host: 'evil.example', ...FORM, Authorization: basic(client) },
      body: 'grant_type=client_credentials',
    });
    expect(token.status).toBe(200);
    const claims = decodeJwt((JSON.parse(token.body) as { access_token: string }).access_token);
    expect(claims.iss).toBe(issuer);
    expect(claims.aud).toBe(`${issuer}/resources`);
    const page = await rawRequest(server.origin, '/security/clients', { headers: { Host: 'evil.example' } });
    expect([302, 303, 307, 308]).toContain(page.status);
    expect(String(page.headers.location)).not.toContain('evil.example');
  });

  test('admin:reset-password and admin:create while the server runs: the old password fails, the one-time password signs in', async ({ browser }) => {
    test.setTimeout(120_000);
    const run = spawnSync('npm', ['run', '--silent', 'admin:reset-password', '--', '--email', ADMIN_EMAIL], {
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: 'utf8',
    });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain(`New password set for ${ADMIN_EMAIL} (tenant ${DEFAULT_TENANT_NAME}); 0 sessions ended.`);
    const newPassword = /One-time password: (\S+)/.exec(run.stdout)![1];
    // Audited, without the password.
    const events = (await handle.db.execute(`select actor, action, details::text as details from audit_events where action = 'user.password_reset'`)) as unknown as {
      rows: { actor: string; details: string }[];
    };
    expect(events.rows).toHaveLength(1);
    expect(events.rows[0].actor).toBe('operator');
    expect(events.rows[0].details).not.toContain(newPassword);

    // admin:create: a new Tenant Administrator of the Default tenant, while the server runs.
    const created = spawnSync('npm', ['run', '--silent', 'admin:create', '--', '--email', 'second-admin@example.com', '--name', 'Second Admin'], {
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: 'utf8',
    });
    expect(created.status, created.stderr).toBe(0);
    expect(created.stdout).toContain(`Created second-admin@example.com, Tenant Administrator of ${DEFAULT_TENANT_NAME}.`);
    expect(created.stdout).toMatch(/One-time password: \S{24}\n/);
    const again = spawnSync('npm', ['run', '--silent', 'admin:create', '--', '--email', 'second-admin@example.com'], {
      env: { ...process.env, DATABASE_URL: database.url },
      encoding: 'utf8',
    });
    expect(again.status).toBe(1);
    expect(again.stderr.trim()).toBe('A user with the email second-admin@example.com already exists (in some tenant): use admin:reset-password for them.');

    const context = await browser.newContext({ baseURL: server.origin });
    const page = await context.newPage();
    await page.goto('/sign-in');
    await page.getByLabel('Email').fill(ADMIN_EMAIL);
    await page.getByLabel('Password').fill(ADMIN_PASSWORD);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await expect(page.getByRole('form', { name: 'Sign in' }).getByRole('alert')).toHaveText('Incorrect email or password.');
    await page.getByLabel('Password').fill(newPassword);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    // A generated one-time password must be replaced at once: the sign-in goes on to choosing a new one.
    await expect(page).toHaveURL(/\/sign-in\/new-password$/);
    await context.close();
  });

  test('backup and restore: pg_dump into a new database, the same AUTH_SECRET, an old secret still gets a token that verifies against the old JWKS', async () => {
    test.setTimeout(180_000);
    const oldJwks = (await (await fetch(`${server.origin}/identity/.well-known/openid-configuration/jwks`)).json()) as JSONWebKeySet;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-backup-'));
    const dump = path.join(dir, 'console.dump');
    try {
      const dumped = spawnSync('pg_dump', ['--format=custom', `--file=${dump}`, `--dbname=${database.url}`], { encoding: 'utf8' });
      expect(dumped.status, dumped.stderr).toBe(0);
      restored = await freshDatabase(baseUrl, 'ops_restored');
      const loaded = spawnSync('pg_restore', ['--no-owner', `--dbname=${restored.url}`, dump], { encoding: 'utf8' });
      expect(loaded.status, loaded.stderr).toBe(0);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }

    // A different AUTH_SECRET cannot decrypt the restored signing keys: the server says so and does not start.
    const wrongPort = await freePort();
    const wrong = startServer({ port: wrongPort, env: { DATABASE_URL: restored.url, AUTH_URL: `http://127.0.0.1:${wrongPort}`, AUTH_SECRET: randomBytes(32).toString('base64url') } });
    others.push(wrong);
    expect((await wrong.exited).code).not.toBe(0);
    expect(wrong.lines().some((l) => l.level === 'fatal')).toBe(true);

    const port = await freePort();
    const copy = startServer({ port, env: { DATABASE_URL: restored.url, AUTH_URL: `http://127.0.0.1:${port}`, AUTH_SECRET } });
    others.push(copy);
    await waitReady(copy);
    const res = await fetch(`${copy.origin}/identity/connect/token`, {
      method: 'POST',
      headers: { ...FORM, Authorization: basic(client) },
      body: 'grant_type=client_credentials',
    });
    expect(res.status).toBe(200);
    const { access_token } = (await res.json()) as { access_token: string };
    const { payload, protectedHeader } = await jwtVerify(access_token, createLocalJWKSet(oldJwks));
    expect(payload.client_id).toBe(client.clientId);
    expect(oldJwks.keys.map((k) => k.kid)).toContain(protectedHeader.kid);
    copy.kill('SIGTERM');
    expect((await copy.exited).code).toBe(0);
  });

  test('SIGTERM to `npm start` with a request in flight: it completes, the whole process tree exits 0', async () => {
    test.setTimeout(60_000);
    const tree = descendants(server.pid);
    expect(tree.length, 'npm start runs the server as a child').toBeGreaterThanOrEqual(1);

    // A token request whose body arrives in two parts: in progress until the second part is sent.
    const body = 'grant_type=client_credentials';
    const socket = net.connect(Number(new URL(server.origin).port), '127.0.0.1');
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (d) => (answer += d));
    const closed = new Promise<void>((resolve) => socket.on('close', () => resolve()));
    await new Promise<void>((resolve) => socket.once('connect', () => resolve()));
    socket.write(
      `POST /identity/connect/token HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n` +
        `Authorization: ${basic(client)}\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 10)}`,
    );
    const inProgress = async () => sampleValue(parsePrometheus(await (await fetch(`${management}/metrics`)).text()).samples, 'tsc_http_requests_in_progress');
    await expect.poll(inProgress, { timeout: 10_000 }).toBe(1);

    server.kill('SIGTERM'); // to npm itself, as docker stop or systemd would
    await expect
      .poll(() => server.lines().find((l) => l.msg.startsWith('SIGTERM: shutting down'))?.msg, { timeout: 10_000 })
      .toBe('SIGTERM: shutting down (1 request in progress, waiting up to 10 s)');
    socket.write(body.slice(10));
    await closed;
    expect(answer).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(answer.toLowerCase()).toContain('connection: close');
    expect(answer).toContain('"access_token":"');

    const exit = await Promise.race([server.exited, new Promise<'still running'>((r) => setTimeout(() => r('still running'), 15_000))]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(tree.filter(isAlive), 'processes left behind').toEqual([]);
    expect(server.lines().at(-1)?.msg).toBe('Stopped');
  });
});
