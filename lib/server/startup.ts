import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { databaseCause } from '../log/db-error';

/**
 * What the server checks before it starts: a production configuration that pins the issuer, and a database that
 * answers (retried with backoff, one line per attempt naming the cause, for a bounded time).
 */

/**
 * In production the issuer, discovery, redirects and cookies must not follow the Host header a caller sends
 * (`curl -H 'Host: evil.example'` would otherwise get `iss=http://evil.example/identity` in a signed token).
 * Returns the reason to refuse to start, or null.
 */
export function issuerConfigProblem(env: Record<string, string | undefined> = process.env): string | null {
  if (env.NODE_ENV !== 'production') return null;
  if (env.AUTH_URL?.trim()) return null;
  if (env.AUTH_URL_FROM_HOST === '1') return null;
  return (
    'AUTH_URL is not set. In production the issuer must be pinned: set AUTH_URL to the public base URL ' +
    '(e.g. AUTH_URL=https://console.example.com), or set AUTH_URL_FROM_HOST=1 to take it from the Host header ' +
    '(only behind a proxy that sets Host itself).'
  );
}

export class StartupError extends Error {}

/** DB_CONNECT_TIMEOUT_SECONDS (default 60): how long start-up waits for the database before giving up. */
export function dbConnectTimeoutSeconds(env: Record<string, string | undefined> = process.env): number {
  const raw = env.DB_CONNECT_TIMEOUT_SECONDS?.trim();
  if (!raw) return 60;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) throw new StartupError(`DB_CONNECT_TIMEOUT_SECONDS must be a number of seconds >= 0 (got "${raw}").`);
  return n;
}

/** Delays between attempts: 0.5 s doubling up to 5 s. */
export function retryDelayMs(attempt: number): number {
  return Math.min(500 * 2 ** (attempt - 1), 5000);
}

/**
 * Wait until the database answers `select 1`. Each failed attempt logs one line with its cause (connection refused,
 * authentication failed, database does not exist, ...) and the next delay; after `timeoutSeconds` a StartupError
 * says what the last cause was.
 */
export async function waitForDatabase(
  handle: DbHandle,
  opts: { timeoutSeconds: number; log: (line: string) => void; sleep?: (ms: number) => Promise<void>; now?: () => number },
): Promise<{ attempts: number }> {
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const now = opts.now ?? Date.now;
  const startedAt = now();
  const deadline = startedAt + opts.timeoutSeconds * 1000;
  for (let attempt = 1; ; attempt++) {
    try {
      await handle.db.execute(sql`select 1`);
      if (attempt > 1) opts.log(`[db] database reachable after ${attempt} attempts`);
      return { attempts: attempt };
    } catch (err) {
      const cause = databaseCause(err) ?? (err as Error).message.split('\n')[0].slice(0, 160);
      const delay = retryDelayMs(attempt);
      const elapsed = Math.round((now() - startedAt) / 100) / 10;
      if (now() + delay > deadline) {
        throw new StartupError(
          `database not reachable: ${cause}; gave up after ${attempt} attempt${attempt === 1 ? '' : 's'} in ${elapsed} s ` +
            `(DB_CONNECT_TIMEOUT_SECONDS=${opts.timeoutSeconds})`,
        );
      }
      opts.log(`[db] database not reachable (attempt ${attempt}): ${cause}; retrying in ${delay / 1000} s`);
      await sleep(delay);
    }
  }
}
