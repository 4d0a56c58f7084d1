/**
 * One process, one port: a node:http server that answers the OAuth endpoints (/identity/...) itself and hands every
 * other request to Next. A Next route handler tops out near 1,000 requests/s on 2 cores; the token endpoint must not.
 */
import http from 'node:http';
import next from 'next';
import { getDbHandle } from './lib/db';
import { migrateDatabase } from './lib/db/migrate';
import { bootstrap } from './lib/tenants/tenants';
import { ensureServerSecret } from './lib/server/secret';
import { runShutdownHooks } from './lib/server/lifecycle';
import { createIdentityHandler } from './lib/tokens/http/identity-handler';
import { API_CSP, BASE_SECURITY_HEADERS, HSTS } from './lib/http/security-headers';
import { isMalformedPath, malformedPathResponse, writeResponse } from './lib/http/malformed-path';
import { credentialQueryResponse, redactCredentialParams } from './lib/http/credentials-in-query';
import { stampClientAddress } from './lib/auth/client-address';
import { listenForEndedSessions } from './lib/auth/sessions';

const IDENTITY_HEADERS = { ...BASE_SECURITY_HEADERS, 'Content-Security-Policy': API_CSP };

const dev = process.argv.includes('--dev');
const port = Number(process.env.PORT || 3000);
const hostname = process.env.HOST || 'localhost';

async function main() {
  ensureServerSecret();
  let handle;
  try {
    handle = await getDbHandle();
  } catch (err) {
    console.error(`\n  ${(err as Error).message}\n`);
    process.exit(1);
  }
  await migrateDatabase(handle, async () => {
    await bootstrap(handle.db);
  });
  console.log(`  Database: ${handle.kind === 'postgres' ? 'PostgreSQL (DATABASE_URL)' : 'embedded PGlite in ' + (process.env.PGLITE_DIR || '.data/pglite')}`);

  // Console sessions ended on any instance are dropped from this one's cache at once (lib/auth/sessions.ts).
  await listenForEndedSessions(handle);
  const identity = await createIdentityHandler(handle);
  const app = next({ dev, hostname, port });
  const nextHandler = app.getRequestHandler();
  await app.prepare();

  const server = http.createServer((req, res) => {
    // The caller's address for code behind Next (sign-in throttle, audit): the socket's, or X-Forwarded-For only
    // with TRUST_PROXY=1; whatever a caller put in that header is overwritten (lib/auth/client-address.ts).
    stampClientAddress(req);
    // A password or secret in the query string is refused before any handler (or log line) sees the address.
    const refused = credentialQueryResponse(req.method, req.url);
    if (refused) {
      for (const [k, v] of Object.entries(IDENTITY_HEADERS)) res.setHeader(k, v);
      void writeResponse(res, refused);
      return;
    }
    if (identity.handles(req)) {
      for (const [k, v] of Object.entries(IDENTITY_HEADERS)) res.setHeader(k, v);
      if (req.headers['x-forwarded-proto'] === 'https') res.setHeader('Strict-Transport-Security', HSTS);
      identity.handle(req, res);
      return;
    }
    if (isMalformedPath(req.url)) {
      // Next would answer a 500 (lib/http/malformed-path.ts).
      for (const [k, v] of Object.entries(IDENTITY_HEADERS)) res.setHeader(k, v);
      void writeResponse(res, malformedPathResponse(req.url));
      return;
    }
    nextHandler(req, res).catch((err) => {
      console.error('[next]', redactCredentialParams((err as Error).message));
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, hostname, () => {
    console.log(`  Console ready on http://${hostname}:${port} (${dev ? 'development' : 'production'})`);
  });

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    console.log(`  ${signal}: shutting down`);
    server.close();
    server.closeIdleConnections?.();
    await runShutdownHooks();
    await handle.close().catch(() => {});
    process.exit(0);
  };
  process.on('SIGINT', () => void stop('SIGINT'));
  process.on('SIGTERM', () => void stop('SIGTERM'));
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
