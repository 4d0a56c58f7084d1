import http from 'node:http';
import { createPostgres, type DbHandle } from '../db';
import { listenLocally } from '../testing/local-server';
import { migratedPglite } from '../testing/pglite-template';
import { dropDatabase, freshDatabase } from '../testing/postgres-databases';
import { migrateDatabase } from '../db/migrate';
import { createIdentityHandler, type IdentityHandlerOptions } from './http';

/**
 * Tests: a real node:http server on a random port around the identity handler (no Next), as server.ts wires it.
 */
export async function startIdentityServer(handle: DbHandle, options: IdentityHandlerOptions = {}) {
  const identity = await createIdentityHandler(handle, { registerShutdown: false, keyPublishDelaySeconds: 0, ...options });
  const server = http.createServer((req, res) => {
    if (identity.handles(req)) identity.handle(req, res);
    else res.writeHead(404).end();
  });
  const local = await listenLocally(server);
  const origin = local.origin;
  return {
    origin,
    issuer: `${origin}/identity`,
    service: identity.service,
    async close() {
      await local.close();
      await identity.shutdown();
    },
  };
}

/**
 * A database of its own for every test file that starts the token service: signing keys are global to a database
 * and encrypted under AUTH_SECRET, so tests must not leave keys in the shared DATABASE_URL database (a server started
 * there later with another AUTH_SECRET would refuse to start). A fresh in-memory PGlite, or a new PostgreSQL database
 * next to DATABASE_URL's, dropped again by `drop()`.
 */
export async function createIsolatedDb(): Promise<{
  handle: DbHandle;
  /** Another connection to the same database, as a second instance would have (on PGlite: the same handle). */
  connectAgain: () => Promise<DbHandle>;
  drop: () => Promise<void>;
}> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = await migratedPglite();
    return { handle, connectAgain: async () => handle, drop: () => handle.close() };
  }
  const { url: target, name } = await freshDatabase(url, `tokens_${process.pid}_${Math.random().toString(36).slice(2, 8)}`);
  const handle = await createPostgres(target);
  await migrateDatabase(handle);
  const others: DbHandle[] = [];
  return {
    handle,
    async connectAgain() {
      const other = await createPostgres(target.toString());
      others.push(other);
      return other;
    },
    async drop() {
      for (const other of others) await other.close();
      await handle.close();
      await dropDatabase(url, name);
    },
  };
}
