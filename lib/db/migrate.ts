import path from 'node:path';
import type { DbHandle } from './index';

/** drizzle/ (MIGRATIONS_DIR), relative to the working directory: the server runs from the project folder. */
export const migrationsFolder = () => path.resolve(/*turbopackIgnore: true*/ process.env.MIGRATIONS_DIR || 'drizzle');

/** Apply drizzle/ migrations. On PostgreSQL an advisory lock keeps two starting instances from racing. */
export async function migrateDatabase(handle: DbHandle, afterMigrate?: () => Promise<void>) {
  if (handle.kind === 'pglite') {
    const { migrate } = await import('drizzle-orm/pglite/migrator');
    await migrate(handle.db as never, { migrationsFolder: migrationsFolder() });
    await afterMigrate?.();
    return;
  }
  const { migrate } = await import('drizzle-orm/node-postgres/migrator');
  const { sql } = await import('drizzle-orm');
  // Session-level advisory lock needs one connection for lock and unlock: use a transaction-scoped one instead.
  await handle.db.transaction(async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(727274)`);
    await migrate(handle.db as never, { migrationsFolder: migrationsFolder() });
    await afterMigrate?.();
  });
}
