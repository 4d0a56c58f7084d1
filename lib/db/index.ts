import fs from 'node:fs';
import path from 'node:path';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import * as schema from './schema';

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
};

export function dataDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.PGLITE_DIR || '.data/pglite');
}

/** One process per PGlite folder: two processes silently lose writes (STACK.md #2). */
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
  const pool = new Pool({ connectionString: url, max: Number(process.env.DATABASE_POOL_MAX || 10) });
  pool.on('error', (err) => console.error('[db] idle client error:', err.message));
  let listener: InstanceType<typeof Client> | null = null;
  const handlers = new Map<string, Array<(p: string) => void>>();
  return {
    db: drizzle(pool, { schema }) as unknown as Db,
    kind: 'postgres',
    close: async () => {
      await listener?.end().catch(() => {});
      await pool.end();
    },
    listen: async (channel, fn) => {
      if (!listener) {
        listener = new Client({ connectionString: url });
        await listener.connect();
        listener.on('notification', (msg) => {
          for (const h of handlers.get(msg.channel) ?? []) h(msg.payload ?? '');
        });
        listener.on('error', (err) => console.error('[db] listener error:', err.message));
      }
      if (!handlers.has(channel)) {
        handlers.set(channel, []);
        await listener.query(`LISTEN "${channel.replace(/"/g, '')}"`);
      }
      handlers.get(channel)!.push(fn);
    },
    notify: async (channel, payload) => {
      await pool.query('select pg_notify($1, $2)', [channel, payload]);
    },
  };
}

export async function createPglite(dir?: string): Promise<DbHandle> {
  const { PGlite } = await import('@electric-sql/pglite');
  // pg_trgm backs the name search index (migration 0004), as on PostgreSQL.
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const { drizzle } = await import('drizzle-orm/pglite');
  if (dir) acquireFolderLock(dir);
  const client = new PGlite({ ...(dir ? { dataDir: dir } : {}), extensions: { pg_trgm } });
  await client.waitReady;
  const handlers = new Map<string, Array<(p: string) => void>>();
  return {
    db: drizzle(client, { schema }) as unknown as Db,
    kind: 'pglite',
    close: async () => {
      await client.close();
    },
    // One process owns a PGlite folder, so an in-process fan-out is exactly "every instance".
    listen: async (channel, fn) => {
      if (!handlers.has(channel)) handlers.set(channel, []);
      handlers.get(channel)!.push(fn);
    },
    notify: async (channel, payload) => {
      for (const h of handlers.get(channel) ?? []) h(payload);
    },
  };
}

type Holder = { handle?: Promise<DbHandle> };
// The custom server and Next's compiled server code are two module graphs in one process:
// the handle lives on globalThis so both share one client (STACK.md #9).
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
