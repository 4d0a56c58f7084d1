import { afterAll, beforeAll } from 'vitest';
import type { Db, DbHandle } from '../db';
import { actorFromUser, type Actor } from '../actions/admin-action';
import { createTestDb, createTestTenant, type TestTenant } from './db';

/** What a domain test file works with: its database, a tenant and another one (for isolation), their administrators. */
export type TwoTenants = { h: DbHandle; db: Db; t: TestTenant; other: TestTenant; actor: Actor; otherActor: Actor };

/**
 * The setup of a domain test file: before its tests, a database (lib/testing/db.ts) with tenants `label` and
 * `label other`, handed to `use` (assign them to the file's variables); after them, the database is closed.
 */
export function withTwoTenants(label: string, use: (s: TwoTenants) => void) {
  let h: DbHandle | undefined;
  beforeAll(async () => {
    h = await createTestDb();
    const t = await createTestTenant(h.db, label);
    const other = await createTestTenant(h.db, `${label} other`);
    use({ h, db: h.db, t, other, actor: actorFromUser(t.admin), otherActor: actorFromUser(other.admin) });
  });
  afterAll(async () => {
    await h?.close();
  });
}
