/**
 * One process, one port: a node:http server that answers the OAuth endpoints (/identity/...) and the probes itself and
 * hands every other request to Next. A Next route handler tops out near 1,000 requests/s on 2 cores; the token
 * endpoint must not. Operating it (probes, metrics, logs, signals): README "Operating it".
 */
import http from 'node:http';
import next from 'next';
import { getDbHandle, type DbHandle } from './lib/db';
import { migrateDatabase, migrationsFolder } from './lib/db/migrate';
import { bootstrap } from './lib/tenants/tenants';
import { ensureServerSecret } from './lib/server/secret';
import { onShutdown, runShutdownHooks } from './lib/server/lifecycle';
import { Drain } from './lib/server/drain';
import { dbConnectTimeoutSeconds, issuerConfigProblem, waitForDatabase } from './lib/server/startup';
import { createIdentityHandler } from './lib/identity/http';
import { tokenSettingsFromEnv } from './lib/tokens/config';
import { cryptoWorker } from './lib/tokens/crypto-worker';
import { HSTS } from './lib/http/security-headers';
import { setIdentityHeaders, trackedRequests } from './lib/http/request-tracking';
import {
  isMalformedPath,
  isMalformedRouterState,
  isUnservableMethod,
  malformedPathResponse,
  malformedRouterStateResponse,
  unservableMethodResponse,
  writeResponse,
} from './lib/http/malformed-path';
import { credentialQueryResponse, redactCredentialParams } from './lib/http/credentials-in-query';
import { stampClientAddress } from './lib/auth/client-address';
import { listenForEndedSessions } from './lib/auth/sessions';
import { flushLog, logger, requestContext } from './lib/log/logger';
import { routeConsoleToLogger } from './lib/log/console';
import { describeDatabaseError, isDatabaseError } from './lib/log/db-error';
import { bindRuntimeMetrics } from './lib/metrics';
import { Health } from './lib/health/health';
import { handleOps, opsRouteOf } from './lib/health/http';
import { NotificationScheduler } from './lib/notifications/scheduler';

// Every line this process writes (ours, Next's, next-auth's) is a JSON line from here on (LOG_FORMAT=pretty: readable).
routeConsoleToLogger();
const log = logger();

const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || 'localhost';
/** MANAGEMENT_PORT: probes and /metrics on a port of their own (e.g. reachable only inside the cluster). */
const managementPort = process.env.MANAGEMENT_PORT ? Number(process.env.MANAGEMENT_PORT) : null;
const managementHost = process.env.MANAGEMENT_HOST || hostname;
/** /metrics on the main port too (METRICS_ENABLED=1); 0 turns metrics off altogether (lib/metrics). */
const metricsOnMainPort = process.env.METRICS_ENABLED === '1';
/** ACCESS_LOG=0: no access log lines (on by default). */
const accessLogOn = process.env.ACCESS_LOG !== '0';
/** DRAIN_TIMEOUT_SECONDS (default 10): how long SIGTERM waits for requests in progress before cutting them off. */
const drainTimeoutMs = Number(process.env.DRAIN_TIMEOUT_SECONDS || 10) * 1000;

function fatal(message: string): never {
  log.fatal(message);
  flushLog();
  process.exit(1);
}

process.on('uncaughtException', (err) => {
  log.fatal({ err: { type: err.name, message: err.message, stack: err.stack } }, `uncaught exception: ${err.message}`);
  flushLog();
  process.exit(1);
});
process.on('unhandledRejection', (reason) => {
  const err = reason instanceof Error ? reason : new Error(String(reason));
  const msg = isDatabaseError(err) ? describeDatabaseError(err) : err.message;
  log.fatal({ err: { type: err.name, message: msg, stack: isDatabaseError(err) ? undefined : err.stack } }, `unhandled rejection: ${msg}`);
  flushLog();
  process.exit(1);
});

async function openDatabase(): Promise<DbHandle> {
  let handle: DbHandle;
  try {
    handle = await getDbHandle();
  } catch (err) {
    fatal((err as Error).message);
  }
  try {
    await waitForDatabase(handle, { timeoutSeconds: dbConnectTimeoutSeconds(), log: (line) => log.warn(line) });
  } catch (err) {
    fatal((err as Error).message);
  }
  return handle;
}

async function main() {
  const issuerProblem = issuerConfigProblem();
  if (issuerProblem) fatal(issuerProblem);
  let trustProxy = false;
  try {
    trustProxy = tokenSettingsFromEnv().trustProxy;
  } catch (err) {
    fatal((err as Error).message);
  }
  ensureServerSecret();
  const handle = await openDatabase();
  await migrateDatabase(handle, async () => {
    await bootstrap(handle.db);
  });
  console.log(`  Database: ${handle.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite in ' + (process.env.PGLITE_DIR || '.data/pglite')}`);

  // Console sessions ended on any instance are dropped from this one's cache at once (lib/auth/sessions.ts).
  await listenForEndedSessions(handle);
  const identity = await createIdentityHandler(handle);
  // Expiry alerts, audit streams and webhook retries: every instance ticks, PostgreSQL decides who does what.
  const notifications = new NotificationScheduler(handle.db);
  notifications.start();
  onShutdown(() => notifications.stop());
  if (!process.env.SMTP_URL) console.log('  Notifications: no SMTP_URL, so email channels are off (webhooks only)');
  // The main port's requests, and the management port's (probes, scrapes): both are drained on SIGTERM.
  const drain = new Drain();
  const managementDrain = new Drain();
  bindRuntimeMetrics({
    pool: handle.poolStats ? () => handle.poolStats!() : undefined,
    listening: () => handle.listening(),
    cryptoWorker: () => cryptoWorker().counts,
    inProgress: () => drain.inProgress,
  });
  const health = new Health({
    handle,
    migrationsFolder: migrationsFolder(),
    dbTimeoutMs: Number(process.env.READY_DB_TIMEOUT_MS || 2000),
    signingKeysLoaded: () => {
      try {
        identity.service.keys.signer();
        return true;
      } catch {
        return false;
      }
    },
  });
  const app = next({ dev, hostname, port });
  const nextHandler = app.getRequestHandler();
  await app.prepare();

  const context = requestContext();

  const route = (req: http.IncomingMessage, res: http.ServerResponse) => {
    // A password or secret in the query string is refused before any handler (or log line) sees the address.
    const refused = credentialQueryResponse(req.method, req.url);
    if (refused) {
      setIdentityHeaders(res);
      void writeResponse(res, refused);
      return;
    }
    const ops = opsRouteOf(req.url, metricsOnMainPort);
    if (ops) {
      setIdentityHeaders(res);
      handleOps(ops, req, res, health).catch((err) => {
        console.error('[health] probe failed:', err);
        if (!res.headersSent) res.writeHead(503).end();
      });
      return;
    }
    if (identity.handles(req)) {
      setIdentityHeaders(res);
      if (req.headers['x-forwarded-proto'] === 'https') res.setHeader('Strict-Transport-Security', HSTS);
      identity.handle(req, res);
      return;
    }
    // Next would answer these with a 500 (lib/http/malformed-path.ts).
    const malformed = isUnservableMethod(req.method)
      ? unservableMethodResponse(req.url, req.method!)
      : isMalformedPath(req.url)
        ? malformedPathResponse(req.url)
        : isMalformedRouterState(req.headers)
          ? malformedRouterStateResponse(req.url)
          : null;
    if (malformed) {
      setIdentityHeaders(res);
      void writeResponse(res, malformed);
      return;
    }
    // The caller's address for code behind Next (sign-in throttle, audit): the socket's, or X-Forwarded-For only
    // with TRUST_PROXY=1; whatever a caller put in that header is overwritten (lib/auth/client-address.ts).
    stampClientAddress(req);
    nextHandler(req, res).catch((err) => {
      console.error('[next]', isDatabaseError(err) ? describeDatabaseError(err) : redactCredentialParams((err as Error).message));
      if (!res.headersSent) res.writeHead(500).end();
    });
  };

  // Request id, the drain's count, the request metric and the access log line; lines logged while a request is
  // handled carry its id (lib/http/request-tracking.ts).
  const server = http.createServer(trackedRequests({ drain, trustProxy, accessLog: accessLogOn, context }, route));
  server.keepAliveTimeout = 65_000;
  server.on('error', (err) => fatal(`cannot listen on ${hostname}:${port}: ${err.message}`));
  server.listen(port, hostname, () => {
    console.log(`  Console ready on http://${hostname}:${port} (${dev ? 'development' : 'production'})`);
  });

  const servers = [server];
  if (managementPort !== null) {
    const management = http.createServer((req, res) => {
      managementDrain.track(res);
      const ops = opsRouteOf(req.url, true);
      if (!ops) {
        res.writeHead(404, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
        res.end(JSON.stringify({ error: 'not_found', error_description: 'The management port serves /health/live, /health/ready and /metrics.' }));
        return;
      }
      handleOps(ops, req, res, health).catch((err) => {
        console.error('[health] probe failed:', err);
        if (!res.headersSent) res.writeHead(503).end();
      });
    });
    management.on('error', (err) => fatal(`cannot listen on ${managementHost}:${managementPort}: ${err.message}`));
    management.listen(managementPort, managementHost, () => {
      console.log(`  Probes and metrics on http://${managementHost}:${managementPort} (/health/live, /health/ready, /metrics)`);
    });
    servers.push(management);
  }

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    const inProgress = drain.inProgress;
    console.log(`  ${signal}: shutting down (${inProgress} request${inProgress === 1 ? '' : 's'} in progress, waiting up to ${drainTimeoutMs / 1000} s)`);
    health.markShuttingDown();
    const [{ cutOff }] = await Promise.all([drain.drain([server], drainTimeoutMs), managementDrain.drain(servers.slice(1), drainTimeoutMs)]);
    if (cutOff) console.warn(`  ${cutOff} request${cutOff === 1 ? '' : 's'} still in progress after ${drainTimeoutMs / 1000} s: connections closed`);
    await runShutdownHooks();
    await handle.close().catch((err) => console.error('[db] closing the database failed:', err));
    console.log('  Stopped');
    flushLog();
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  const e = err as Error;
  if (isDatabaseError(e)) fatal(describeDatabaseError(e, 'start-up failed'));
  log.fatal({ err: { type: e.name, message: e.message, stack: e.stack } }, `start-up failed: ${e.message}`);
  flushLog();
  process.exit(1);
});
