import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createPglite, type DbHandle } from '../db';
import { migrateDatabase } from '../db/migrate';

/**
 * Most of a fresh PGlite's cost is its initdb, not our migrations: vitest's global setup (vitest.global-setup.ts)
 * migrates one PGlite, dumps it to a file named by this variable, and every test file starts from that dump.
 */
export const TEMPLATE_ENV = 'TSC_PGLITE_TEMPLATE';

/** A migrated in-memory PGlite: from the suite's template when there is one, else made and migrated here. */
export async function migratedPglite(): Promise<DbHandle> {
  const file = process.env[TEMPLATE_ENV];
  const handle = file && fs.existsSync(file) ? await createPglite(undefined, { loadDataDir: new Blob([fs.readFileSync(file)]) }) : await createPglite();
  // A no-op on the template (every migration is recorded), so a stale template could only ever be completed.
  await migrateDatabase(handle);
  return handle;
}

/** Make the template; returns the function that removes it. */
export async function makePgliteTemplate(): Promise<() => void> {
  const handle = await createPglite();
  await migrateDatabase(handle);
  const client = (handle.db as unknown as { $client: { dumpDataDir: (c: 'none') => Promise<Blob> } }).$client;
  const dump = await client.dumpDataDir('none');
  await handle.close();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-pglite-template-'));
  const file = path.join(dir, 'migrated.tar');
  fs.writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
  process.env[TEMPLATE_ENV] = file;
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
