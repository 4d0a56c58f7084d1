import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { databaseCause } from '../log/db-error';

/**
 * Liveness and readiness, as a load balancer or Kubernetes asks for them (Keycloak: /health/live, /health/ready).
 * live: the process answers (its event loop turns). ready: it can serve tokens now, i.e. the database answers within
 * a short timeout, every migration in drizzle/ is applied, a signing key is loaded, and (PostgreSQL) the LISTEN
 * connection that carries change notifications is up. Not ready while shutting down, so traffic moves away first.
 * The answers name the failing check and its cause ("database: connection refused (ECONNREFUSED)"), never a host,
 * user or password.
 */
export type CheckName = 'database' | 'migrations' | 'signingKeys' | 'listen';
export type Readiness = {
  ready: boolean;
  body: { status: 'ready' | 'not_ready' | 'shutting_down'; reason?: string; checks: Partial<Record<CheckName, string>> };
};

export type HealthOptions = {
  handle: DbHandle;
  /** True when a key can sign tokens now. */
  signingKeysLoaded: () => boolean;
  migrationsFolder: string;
  /** How long the database may take to answer (READY_DB_TIMEOUT_MS, default 2,000). */
  dbTimeoutMs?: number;
};

/** The `when` of the newest migration in drizzle/meta/_journal.json: drizzle's migrator stores it as created_at. */
export function latestMigrationMillis(migrationsFolder: string): number {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder, 'meta', '_journal.json'), 'utf8')) as {
    entries: { when: number; tag: string }[];
  };
  return Math.max(0, ...journal.entries.map((e) => e.when));
}

export class Health {
  private shuttingDown = false;
  private readonly expectedMigration: number;
  private inflight: Promise<Readiness> | null = null;

  constructor(private readonly options: HealthOptions) {
    this.expectedMigration = latestMigrationMillis(options.migrationsFolder);
  }

  /** From now on readiness says "shutting_down" (SIGTERM: the load balancer stops sending new requests). */
  markShuttingDown() {
    this.shuttingDown = true;
  }

  /** Concurrent probes share one database round trip. */
  ready(): Promise<Readiness> {
    this.inflight ??= this.check().finally(() => (this.inflight = null));
    return this.inflight;
  }

  private async check(): Promise<Readiness> {
    const checks: Partial<Record<CheckName, string>> = {};
    if (this.shuttingDown) return { ready: false, body: { status: 'shutting_down', reason: 'the server is shutting down', checks } };
    const reasons: string[] = [];
    const timeoutMs = this.options.dbTimeoutMs ?? 2000;
    let timer: NodeJS.Timeout | undefined;
    try {
      // One round trip proves the database answers and says which migrations it has.
      const query = this.options.handle.db.execute(
        sql`select coalesce(max(created_at), 0)::text as last from drizzle.__drizzle_migrations`,
      );
      query.catch(() => {}); // settles after a timeout too
      const result = await Promise.race([
        query,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
        }),
      ]);
      checks.database = 'ok';
      const rows = (result as unknown as { rows: { last: string }[] }).rows;
      const last = Number(rows[0]?.last ?? 0);
      if (last >= this.expectedMigration) checks.migrations = 'ok';
      else {
        checks.migrations = 'pending';
        reasons.push('migrations: not every migration is applied (restart to apply them)');
      }
    } catch (err) {
      const cause = databaseCause(err) ?? (err as Error).message.slice(0, 120);
      if (cause.endsWith('(42P01)')) {
        // No migrations table: the database answers, nothing is migrated.
        checks.database = 'ok';
        checks.migrations = 'pending';
        reasons.push('migrations: none applied');
      } else {
        checks.database = cause;
        reasons.push(`database: ${cause}`);
      }
    } finally {
      clearTimeout(timer);
    }
    if (this.options.signingKeysLoaded()) checks.signingKeys = 'ok';
    else {
      checks.signingKeys = 'none loaded';
      reasons.push('signingKeys: no key can sign tokens');
    }
    if (this.options.handle.listening()) checks.listen = 'ok';
    else {
      checks.listen = 'down';
      reasons.push('listen: the LISTEN connection for change notifications is down (reconnecting)');
    }
    return reasons.length
      ? { ready: false, body: { status: 'not_ready', reason: reasons.join('; '), checks } }
      : { ready: true, body: { status: 'ready', checks } };
  }
}
