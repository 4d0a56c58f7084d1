import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import type { DbHandle } from '../db';
import { tenants } from '../db/schema';
import { createTestDb, createTestTenant } from '../testing/db';
import { clientListWhere, clientSearchPageQuery, listClients } from './queries';

/**
 * The name search is answered by clients_name_trgm_idx (pg_trgm GIN, migration 0004) on PostgreSQL and on PGlite
 * alike: the query plan of the list's own search query names the index. A plan, not a timing.
 */
const N = 20_000;
let handle: DbHandle;
let tenantId: string;

async function plan(q: string): Promise<string> {
  const { where } = clientListWhere(tenantId, { q });
  const { sql: text, params } = clientSearchPageQuery(handle.db, where, 25, 1).toSQL();
  let i = 0;
  // EXPLAIN takes no bind parameters: inline them as literals (uuid and text values only).
  const inlined = text.replace(/\$\d+/g, () => {
    const v = params[i++];
    return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
  });
  const result = await handle.db.execute(sql.raw(`explain ${inlined}`));
  return (result as unknown as { rows: Record<string, string>[] }).rows.map((r) => Object.values(r)[0]).join('\n');
}

beforeAll(async () => {
  handle = await createTestDb();
  ({ tenantId } = await createTestTenant(handle.db, 'Search index'));
  // Every 100th client is a "Pump station": a name search matches 1% of the tenant.
  await handle.db.execute(sql`
    insert into clients (tenant_id, name, token_lifetime, created_by, updated_by)
    select ${tenantId}, case when g % 100 = 0 then 'Pump station ' || g else 'Search client ' || g end, 900, 'test', 'test'
    from generate_series(1, ${N}) g`);
  // What autovacuum does on PostgreSQL after a bulk insert (statistics, the GIN pending list); harmless on PGlite.
  await handle.db.execute(sql`vacuum analyze clients`);
}, 120_000);

afterAll(async () => {
  await handle.db.delete(tenants).where(eq(tenants.id, tenantId));
  await handle.close();
});

describe('search by name', () => {
  it('finds the matching clients', async () => {
    const list = await listClients(handle.db, tenantId, { q: 'PUMP station 190' });
    // Pump stations are the multiples of 100: 1900 and 19000 contain "190".
    expect(list.rows.map((r) => r.name).sort()).toEqual(['Pump station 1900', 'Pump station 19000']);
    expect(list.total).toBe(2);
  });

  it('a search with control characters (NUL, which PostgreSQL text cannot hold) or a page past any list never fails', async () => {
    const nul = await listClients(handle.db, tenantId, { q: 'PUMP\u0000 station 190' });
    expect(nul.rows.map((r) => r.name).sort()).toEqual(['Pump station 1900', 'Pump station 19000']);
    // Past the end by more than a bigint OFFSET holds: the last page.
    expect(await listClients(handle.db, tenantId, { q: 'pump station 190', page: 1e20 })).toMatchObject({ total: 2, page: 1 });
    expect((await listClients(handle.db, tenantId, { page: 1e20 })).page).toBeGreaterThan(1);
  });

  it.each(['no such name', 'station 4', 'pump station 19'])('uses the trigram index for "%s"', async (q) => {
    const text = await plan(q);
    expect(text).toContain('clients_name_trgm_idx');
    expect(text).not.toMatch(/Seq Scan on clients/);
  });
});
