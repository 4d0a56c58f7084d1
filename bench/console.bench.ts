/**
 * npm run bench:console — the Clients page's server work with 50,000 clients in one tenant, on both databases.
 *
 * On in-memory PGlite, then on PostgreSQL (DATABASE_URL, or a temporary database on postgres://postgres@127.0.0.1:5432
 * when that answers): seeds 50,000 client-credentials clients (each with Tenant Member and one secret) in a new tenant
 * with three INSERT ... SELECT generate_series statements, prints the query plan of a name search (it must use
 * clients_name_trgm_idx, migration 0004), then the server time (median and p95 of repeated runs) of: the list's
 * first page, a search by name, a search by Client Id prefix, and one create (the console's action: validation + the
 * whole transaction; a few of the oldest clients are removed first to make room under the limit). Last, the
 * JavaScript the Clients page's first view ships, from the production build (bench/page-weight.ts).
 * Targets: list and search < 100 ms, create < 50 ms median; first-view JavaScript <= 200 kB gzip.
 * The bench tenant (and a temporary database) is removed at the end. BENCH_RUNS shortens a trial run.
 */
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { createPglite, createPostgres, setDbHandle, type Db, type DbHandle } from '../lib/db';
import { migrateDatabase } from '../lib/db/migrate';
import { tenants } from '../lib/db/schema';
import { loadSessionUser } from '../lib/auth/users';
import { clientAdminActions } from '../lib/clients/admin-actions';
import { clientListWhere, clientSearchPageQuery, listClients } from '../lib/clients/queries';
import { printClientsPageWeight } from './page-weight';
import { listCommunityRoles, listTenantRoles } from '../lib/roles/queries';
import { createTenant, createUser } from '../lib/tenants/tenants';

const N = 50_000;
const RUNS = Number(process.env.BENCH_RUNS || 30);

function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const at = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: at(0.5), p95: at(0.95), min: s[0] };
}
const fmt = (n: number) => n.toFixed(1).padStart(7);

async function time(label: string, target: number, fn: (i: number) => Promise<unknown>) {
  for (let i = 0; i < 3; i++) await fn(-1 - i); // warm-up
  const ms: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = performance.now();
    await fn(i);
    ms.push(performance.now() - t0);
  }
  const s = stats(ms);
  const verdict = s.median < target ? 'ok' : 'OVER TARGET';
  console.log(`${label.padEnd(44)} median ${fmt(s.median)} ms   p95 ${fmt(s.p95)} ms   (target < ${target} ms: ${verdict})`);
  return s;
}

async function seed(handle: DbHandle) {
  const db = handle.db;
  const { tenant, roles } = await createTenant(db, `Bench ${randomUUID().slice(0, 8)}`);
  const admin = await createUser(db, {
    tenantId: tenant.id,
    email: `bench-${randomUUID().slice(0, 8)}@example.test`,
    name: 'Bench Admin',
    password: 'bench-password-123',
    roleTypes: ['tenant_administrator'],
  });
  const member = roles.find((r) => r.roleType === 'tenant_member')!;
  const t0 = performance.now();
  // Every 100th client is a "Pump station", so a name search has about 500 matches among 50,000.
  await db.execute(sql`
    insert into clients (tenant_id, name, token_lifetime, created_at, updated_at, created_by, updated_by)
    select ${tenant.id}, case when g % 100 = 0 then 'Pump station ' || g else 'Bench client ' || g end,
           60 + (g % 3541), now() - make_interval(secs => g), now(), 'bench', 'bench'
    from generate_series(1, ${N}) g`);
  await db.execute(sql`
    insert into client_roles (client_id, role_id) select id, ${member.id} from clients where tenant_id = ${tenant.id}`);
  await db.execute(sql`
    insert into client_secrets (client_id, secret_hash, display_hint, description, expires_at, created_by)
    select id, encode(sha256(convert_to(id::text, 'UTF8')), 'hex'), 'tscs_bnch…', 'seeded',
           now() + make_interval(days => (hashtext(id::text) & 1023) - 100), 'bench'
    from clients where tenant_id = ${tenant.id}`);
  // One statement each: PGlite's extended protocol takes no multi-statement strings.
  for (const table of ['clients', 'client_roles', 'client_secrets']) await db.execute(sql.raw(`analyze ${table}`));
  if (handle.kind === 'postgres') await db.execute(sql`vacuum (analyze) clients`);
  console.log(`seeded ${N.toLocaleString('en-US')} clients (+ roles, secrets) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { tenantId: tenant.id, admin: (await loadSessionUser(db, admin.id))! };
}

/** EXPLAIN ANALYZE of the list's own search query: the plan (index or scan) and the server's execution time. */
async function explainSearch(db: Db, tenantId: string, q: string) {
  const { where } = clientListWhere(tenantId, { q });
  const { sql: text, params } = clientSearchPageQuery(db, where, 25, 1).toSQL();
  let i = 0;
  // EXPLAIN takes no bind parameters: the values (a tenant uuid, the pattern, numbers) are inlined as literals.
  const inlined = text.replace(/\$\d+/g, () => {
    const v = params[i++];
    return typeof v === 'number' ? String(v) : `'${String(v).replace(/'/g, "''")}'`;
  });
  const result = await db.execute(sql.raw(`explain (analyze, costs off) ${inlined}`));
  const lines = (result as unknown as { rows: Record<string, string>[] }).rows.map((r) => Object.values(r)[0]);
  console.log(`plan of search "${q}":`);
  for (const line of lines) console.log(`  ${line}`);
  if (!lines.some((l) => l.includes('clients_name_trgm_idx'))) console.log('  NOT USING clients_name_trgm_idx');
}

/** PostgreSQL for the second half: DATABASE_URL, or a temporary database on the local server; null if none answers. */
async function postgresUrl(): Promise<{ url: string; drop?: () => Promise<void> } | null> {
  if (process.env.DATABASE_URL) return { url: process.env.DATABASE_URL };
  const { Client } = await import('pg');
  const base = 'postgres://postgres@127.0.0.1:5432';
  const name = `tsc_console_bench_${process.pid}`;
  const admin = new Client({ connectionString: `${base}/postgres` });
  try {
    await admin.connect();
    await admin.query(`create database "${name}"`);
  } catch (err) {
    console.log(`PostgreSQL: skipped (set DATABASE_URL; ${(err as Error).message})`);
    return null;
  } finally {
    await admin.end().catch(() => {});
  }
  return {
    url: `${base}/${name}`,
    drop: async () => {
      const c = new Client({ connectionString: `${base}/postgres` });
      await c.connect();
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.end();
    },
  };
}

async function benchDatabase(handle: DbHandle, label: string) {
  console.log(`\n== ${label}; ${RUNS} runs each`);
  // The create action reads the process-wide database: make it this one.
  setDbHandle(handle);
  await migrateDatabase(handle);
  const { tenantId, admin } = await seed(handle);
  const db = handle.db;
  try {
    await explainSearch(db, tenantId, 'pump station 4');
    const first = await listClients(db, tenantId);
    if (first.total !== N || first.rows.length !== 25) throw new Error(`unexpected first page: ${first.total} / ${first.rows.length}`);
    const anyId = first.rows[7].id;

    await time('list: first page (25 of 50,000, with total)', 100, () => listClients(db, tenantId));
    await time('list page data (list + tenant/community roles)', 100, () =>
      Promise.all([listClients(db, tenantId), listTenantRoles(db, tenantId), listCommunityRoles(db, tenantId)]),
    );
    await time('list: page 1,000', 100, () => listClients(db, tenantId, { page: 1000 }));
    await time('search: name contains "pump station 4"', 100, () => listClients(db, tenantId, { q: 'pump station 4' }));
    await time('search: name contains "no such name"', 100, () => listClients(db, tenantId, { q: 'no such name' }));
    await time('search: Client Id prefix (8 chars)', 100, () => listClients(db, tenantId, { q: anyId.slice(0, 8) }));
    await time('search: whole Client Id', 100, () => listClients(db, tenantId, { q: anyId }));

    // Make room for the creates below (the tenant is at its 50,000-client limit): they fill it up again.
    await db.execute(sql`
      delete from clients where id in (
        select id from clients where tenant_id = ${tenantId} order by created_at limit ${RUNS + 3})`);
    const actions = clientAdminActions(async () => admin);
    const inAYear = new Date(Date.now() + 365 * 86_400_000).toISOString();
    await time('create: one client (action, one transaction)', 50, async (i) => {
      const r = await actions.createClient({
        clientId: randomUUID(),
        name: `Bench created ${i}`,
        tokenLifetime: '900',
        roleIds: [],
        description: 'bench',
        neverExpires: false,
        expiresAt: inAYear,
      });
      if (!r.ok) throw new Error(`create failed: ${JSON.stringify(r)}`);
    });
  } finally {
    await db.delete(tenants).where(eq(tenants.id, tenantId));
    await handle.close();
  }
}

async function main() {
  await benchDatabase(await createPglite(), 'PGlite (in memory)');
  const pg = await postgresUrl();
  if (pg) {
    try {
      await benchDatabase(await createPostgres(pg.url), `PostgreSQL (${pg.drop ? 'temporary database' : 'DATABASE_URL'})`);
    } finally {
      await pg.drop?.();
    }
  }
  console.log('');
  printClientsPageWeight();
}

await main();
