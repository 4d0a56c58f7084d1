import fs from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';
import { describeDatabaseError } from '../log/db-error';
import { metrics } from '../metrics';

export { schema };

/** A database or a transaction: query functions take one of these first, so they run inside a transaction and in tests alike. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;

export type DbHandle = {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** The raw driver, for LISTEN/NOTIFY and shutdown. */
  close: () => Promise<void>;
  /** Run `fn` for every NOTIFY on `channel`, on every instance sharing this database. */
  listen: (channel: string, fn: (payload: string) => void) => Promise<void>;
  notify: (channel: string, payload: string) => Promise<void>;
  /**
   * Run `fn` when notifications may have been missed: 'lost' as soon as the listening connection fails (it is being
   * re-established), 'restored' once it listens again. Caches fed by notifications must drop what they hold on both.
   * Never called on PGlite (one process, nothing can be missed). Returns an unsubscribe function.
   */
  onListenGap: (fn: (state: 'lost' | 'restored') => void) => () => void;
  /** False while the listening connection is down (PostgreSQL); always true on PGlite. */
  listening: () => boolean;
  /** PostgreSQL: the pool's connections (open, idle) and queries waiting for one, for /metrics. */
  poolStats?: () => { total: number; idle: number; waiting: number };
};

/** The listening connection: how often it proves it is alive, and the reconnect backoff bounds. */
export const LISTENER_HEARTBEAT_MS = 10_000;
const RECONNECT_MIN_MS = 100;
const RECONNECT_MAX_MS = 5_000;

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.PGLITE_DIR || '.data/pglite');
}

/** One process per PGlite folder: two processes silently lose writes (5 inserts from two processes became 1 in a trial). */
function acquireFolderLock(dir: string) {
  fs.mkdirSync(dir, { recursive: true });
  const lockPath = path.join(path.dirname(dir), `${path.basename(dir)}.lock`);
  try {
    const fd = fs.openSync(lockPath, 'wx');
    fs.writeSync(fd, String(process.pid));
    fs.closeSync(fd);
  } catch {
    const holder = Number(fs.readFileSync(lockPath, 'utf8').trim());
    let alive = false;
    if (holder && holder !== process.pid) {
      try {
        process.kill(holder, 0);
        alive = true;
      } catch {
        alive = false;
      }
    }
    if (alive) {
      throw new Error(
        `The embedded database folder ${dir} is in use by process ${holder}. ` +
          'Only one process may use a PGlite folder at a time: stop the other one, or set DATABASE_URL to use PostgreSQL.',
      );
    }
    fs.writeFileSync(lockPath, String(process.pid));
  }
  const release = () => {
    try {
      if (fs.readFileSync(lockPath, 'utf8').trim() === String(process.pid)) fs.unlinkSync(lockPath);
    } catch {
      /* already gone */
    }
  };
  process.once('exit', release);
}

export async function createPostgres(url: string): Promise<DbHandle> {
  const { Pool, Client } = await import('pg');
  const { drizzle } = await import('drizzle-orm/node-postgres');
  const pool = new Pool({
    connectionString: url,
    max: Number(process.env.DATABASE_POOL_MAX || 10),
    // A database that does not answer a connection attempt (a dropped route, a firewall) fails the query after this
    // long instead of holding it, and every query queued behind it, indefinitely (pg's default has no limit).
    connectionTimeoutMillis: Number(process.env.DATABASE_CONNECT_TIMEOUT_MS || 10_000),
  });
  pool.on('error', (err) => console.error(`[db] ${describeDatabaseError(err, 'idle connection failed')}`));
  const handlers = new Map<string, Array<(p: string) => void>>();
  const gapListeners = new Set<(state: 'lost' | 'restored') => void>();
  type PgClient = InstanceType<typeof Client>;
  let listener: PgClient | null = null;
  let connecting: Promise<PgClient> | null = null;
  let healthy = false;
  let closed = false;
  let retryTimer: NodeJS.Timeout | null = null;
  let heartbeat: NodeJS.Timeout | null = null;
  let backoff = RECONNECT_MIN_MS;
  const emitGap = (state: 'lost' | 'restored') => {
    for (const fn of gapListeners) {
      try {
        fn(state);
      } catch (err) {
        console.error('[db] listener gap handler failed:', (err as Error).message);
      }
    }
  };
  const quote = (channel: string) => `"${channel.replace(/"/g, '')}"`;

  /** The listening connection failed (error, end, or a heartbeat that did not come back): drop it and reconnect. */
  const lost = (client: PgClient, reason: string) => {
    if (client !== listener || closed) return;
    listener = null;
    healthy = false;
    client.removeAllListeners('notification');
    client.on('error', () => {}); // a late error from the dead connection must not crash the process
    client.end().catch(() => {});
    console.error(`[db] listener connection lost (${reason}); notifications may be missed until it is back`);
    metrics.listenConnectionLosses.inc();
    emitGap('lost');
    scheduleReconnect();
  };

  const connectListener = async (): Promise<PgClient> => {
    const client = new Client({ connectionString: url, keepAlive: true, application_name: 'tsc-listener' });
    client.on('error', (err) => lost(client, describeDatabaseError(err, 'error')));
    client.on('end', () => lost(client, 'connection ended'));
    client.on('notification', (msg) => {
      for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
    });
    try {
      await client.connect();
      for (const channel of handlers.keys()) await client.query(`LISTEN ${quote(channel)}`);
    } catch (err) {
      client.on('error', () => {});
      client.end().catch(() => {});
      throw err;
    }
    listener = client;
    healthy = true;
    return client;
  };

  const scheduleReconnect = () => {
    if (closed || retryTimer) return;
    retryTimer = setTimeout(() => {
      retryTimer = null;
      if (closed || listener) return;
      connecting ??= connectListener().finally(() => (connecting = null));
      connecting.then(
        () => {
          backoff = RECONNECT_MIN_MS;
          metrics.listenReconnects.inc();
          console.error('[db] listener connection restored');
          emitGap('restored');
        },
        (err) => {
          backoff = Math.min(backoff * 2, RECONNECT_MAX_MS);
          console.error(`[db] listener reconnect failed (${describeDatabaseError(err, 'error')}); retrying in ${backoff} ms`);
          scheduleReconnect();
        },
      );
    }, backoff);
    retryTimer.unref();
  };

  /** A half-open TCP connection delivers nothing and reports nothing: ask it to answer, now and then. */
  const startHeartbeat = () => {
    if (heartbeat) return;
    heartbeat = setInterval(() => {
      const client = listener;
      if (!client || !healthy) return;
      let answered = false;
      const timer = setTimeout(() => {
        if (!answered) lost(client, 'heartbeat timed out');
      }, LISTENER_HEARTBEAT_MS / 2);
      timer.unref();
      client.query('select 1').then(
        () => {
          answered = true;
          clearTimeout(timer);
        },
        (err) => {
          answered = true;
          clearTimeout(timer);
          lost(client, (err as Error).message);
        },
      );
    }, LISTENER_HEARTBEAT_MS);
    heartbeat.unref();
  };

  return {
    db: drizzle(pool, { schema }) as unknown as Db,
    kind: 'postgres',
    close: async () => {
      closed = true;
      if (retryTimer) clearTimeout(retryTimer);
      if (heartbeat) clearInterval(heartbeat);
      const client = listener;
      listener = null;
      if (client) {
        client.removeAllListeners('end');
        await client.end().catch(() => {});
      }
      await pool.end();
    },
    listen: async (channel, fn) => {
      const isNew = !handlers.has(channel);
      if (isNew) handlers.set(channel, []);
      handlers.get(channel)!.push(fn);
      if (!listener && !retryTimer) {
        // First use: connect now, so the caller knows it listens (a failure here is the caller's to handle).
        connecting ??= connectListener().finally(() => (connecting = null));
        await connecting; // LISTENs every channel in `handlers`, this one included
        startHeartbeat();
      } else if (isNew && listener) {
        await listener.query(`LISTEN ${quote(channel)}`);
      }
      // Otherwise a reconnect is under way and will LISTEN on this channel too.
    },
    notify: async (channel, payload) => {
      await pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
    onListenGap: (fn) => {
      gapListeners.add(fn);
      return () => gapListeners.delete(fn);
    },
    listening: () => healthy || handlers.size === 0,
    poolStats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount }),
  };
}

/** `loadDataDir`: start from a dump (PGlite's dumpDataDir) instead of an empty cluster; tests use a migrated one. */
export async function createPglite(dir?: string, options: { loadDataDir?: Blob } = {}): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  // pg_trgm backs the name search index (migration 0004), as on PostgreSQL.
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (dir) acquireFolderLock(dir);
  const client = new PGlite({ ...(dir ? { dataDir: dir } : {}), ...options, extensions: { pg_trgm } });
  await client.waitReady;
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    kind: 'pglite',
    close: async () => {
      await client.close();
    },
    // One process owns a PGlite folder, so its own LISTEN hears "every instance". Real LISTEN/NOTIFY, as on
    // PostgreSQL: the change triggers (drizzle/0005) announce on commit here too.
    listen: async (channel, fn) => {
      await client.listen(channel, fn);
    },
    notify: async (channel, payload) => {
      await client.query('select pg_notify($1, $2)', [channel, payload]);
    },
    onListenGap: () => () => {},
    listening: () => true,
  };
}

type Holder = { handle?: Promise<DbHandle> };
// The custom server and Next's compiled server code are two module graphs in one process:
// the handle lives on globalThis so both share one client.
const holder = ((globalThis as Record<string, unknown>).__tscDb ??= {}) as Holder;

/** The process-wide database, chosen by DATABASE_URL (PostgreSQL) or else PGlite in PGLITE_DIR (default .data/pglite). */
export function getDbHandle(): Promise<DbHandle> {
  holder.handle ??= process.env.DATABASE_URL ? createPostgres(process.env.DATABASE_URL) : createPglite(dataDir());
  return holder.handle;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Tests: install a handle (e.g. in-memory PGlite) as the process-wide database. */
export function setDbHandle(handle: DbHandle) {
  holder.handle = Promise.resolve(handle);
}
