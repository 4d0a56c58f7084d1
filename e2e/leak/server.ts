/**
 * The secret-leak check's own production server: `node --import tsx server.ts` on a fresh database (a new PGlite
 * folder, or a new PostgreSQL database next to DATABASE_URL's), with every byte it writes to stdout and stderr kept.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { expect } from '@playwright/test';
import { createPglite, createPostgres, type DbHandle } from '../../lib/db';
import { dropDatabase, freshDatabase } from '../../lib/testing/postgres-databases';

export type LeakServer = {
  origin: string;
  /** Everything the process wrote, stdout and stderr interleaved as received. */
  log: () => string;
  /** SIGTERM, then wait until the process has exited and its output streams are closed. */
  stop: () => Promise<void>;
  /** A connection to the server's database; for PGlite only after stop() (one process per folder). */
  openDatabase: () => Promise<DbHandle>;
  /** Remove the PGlite folder or drop the PostgreSQL database. */
  discard: () => Promise<void>;
};

export async function startLeakServer(opts: { port: number; env: Record<string, string> }): Promise<LeakServer> {
  const origin = `http://localhost:${opts.port}`;
  const baseUrl = process.env.DATABASE_URL;
  let database: { url: string; name: string } | null = null;
  let pgliteDir: string | null = null;
  if (baseUrl) {
    database = await freshDatabase(baseUrl, 'leak');
  } else {
    pgliteDir = path.resolve(`.data/secret-leak-${opts.port}`);
    fs.rmSync(pgliteDir, { recursive: true, force: true });
    fs.rmSync(`${pgliteDir}.lock`, { force: true });
  }

  const env: NodeJS.ProcessEnv = {
    ...process.env,
    ...opts.env,
    NODE_ENV: 'production',
    PORT: String(opts.port),
    AUTH_URL: origin,
    NEXT_TELEMETRY_DISABLED: '1',
  };
  if (database) env.DATABASE_URL = database.url;
  else env.PGLITE_DIR = pgliteDir!;

  const chunks: string[] = [];
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', 'server.ts'], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout!.on('data', (d) => chunks.push(String(d)));
  child.stderr!.on('data', (d) => chunks.push(String(d)));
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  let exited = false;
  void closed.then(() => (exited = true));

  await expect
    .poll(
      async () => {
        if (exited) throw new Error(`the leak-check server exited before it was ready:\n${chunks.join('')}`);
        try {
          return (await fetch(`${origin}/identity/.well-known/openid-configuration`)).status;
        } catch {
          return 0;
        }
      },
      { timeout: 90_000, intervals: [250] },
    )
    .toBe(200);

  return {
    origin,
    log: () => chunks.join(''),
    stop: async () => {
      if (!exited) child.kill('SIGTERM');
      await closed;
    },
    openDatabase: () => (database ? createPostgres(database.url) : createPglite(pgliteDir!)),
    discard: async () => {
      if (!exited) {
        child.kill('SIGKILL');
        await closed;
      }
      if (database) await dropDatabase(baseUrl!, database.name);
      if (pgliteDir) {
        fs.rmSync(pgliteDir, { recursive: true, force: true });
        fs.rmSync(`${pgliteDir}.lock`, { force: true });
      }
    },
  };
}
