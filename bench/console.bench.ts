/**
 * npm run bench:console — the Clients page's server work with 50,000 clients in one tenant.
 *
 * Seeds 50,000 client-credentials clients (each with Tenant Member and one secret) in a new tenant with three
 * INSERT ... SELECT generate_series statements, then prints the server time (median and p95 of repeated runs) of:
 * the list's first page, a search by name, a search by Client Id prefix, and one create (the console's action:
 * validation + the whole transaction; a few of the oldest clients are removed first to make room under the limit). Last, the JavaScript the Clients page ships, from the production build in
 * NEXT_DIST_DIR (default .next). Targets: list and search < 100 ms, create < 50 ms median, on PostgreSQL.
 *
 * DATABASE_URL=postgres://... runs it on PostgreSQL (the figures that count); without it, on in-memory PGlite.
 * The bench tenant is deleted at the end.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';
import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { createPglite, createPostgres, type DbHandle } from '../lib/db';
import { migrateDatabase } from '../lib/db/migrate';
import { tenants } from '../lib/db/schema';
import { loadSessionUser } from '../lib/auth/users';
import { clientAdminActions } from '../lib/clients/admin-actions';
import { listClients } from '../lib/clients/queries';
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
  await db.execute(sql`analyze clients; analyze client_roles; analyze client_secrets`);
  if (handle.kind === 'postgres') await db.execute(sql`vacuum (analyze) clients`);
  console.log(`seeded ${N.toLocaleString('en-US')} clients (+ roles, secrets) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  return { tenantId: tenant.id, admin: (await loadSessionUser(db, admin.id))! };
}

/** The JavaScript a browser downloads for /security/clients: the root chunks and the page's and layouts' chunks. */
function clientsPageJs() {
  const dist = path.resolve(process.env.NEXT_DIST_DIR || '.next');
  const pageDir = path.join(dist, 'server/app/(console)/security/clients');
  const manifestFile = path.join(pageDir, 'page_client-reference-manifest.js');
  if (!fs.existsSync(manifestFile)) {
    console.log(`JS size: no production build in ${dist} (run: NEXT_DIST_DIR=${path.basename(dist)} npx next build)`);
    return;
  }
  const ctx: Record<string, unknown> = {};
  ctx.globalThis = ctx;
  vm.runInNewContext(fs.readFileSync(manifestFile, 'utf8'), ctx);
  const rsc = (ctx.__RSC_MANIFEST as Record<string, { entryJSFiles: Record<string, string[]> }>)['/(console)/security/clients/page'];
  const build = JSON.parse(fs.readFileSync(path.join(pageDir, 'page/build-manifest.json'), 'utf8')) as { rootMainFiles: string[] };
  const entries = ['[project]/app/layout', '[project]/app/(console)/layout', '[project]/app/(console)/security/clients/page'];
  const files = new Set([...build.rootMainFiles, ...entries.flatMap((e) => rsc.entryJSFiles[e] ?? [])]);
  const shared = new Set([...build.rootMainFiles, ...entries.slice(0, 2).flatMap((e) => rsc.entryJSFiles[e] ?? [])]);
  let raw = 0;
  let gz = 0;
  let pageRaw = 0;
  let pageGz = 0;
  for (const f of files) {
    const buf = fs.readFileSync(path.join(dist, f));
    const z = gzipSync(buf).length;
    raw += buf.length;
    gz += z;
    if (!shared.has(f)) {
      pageRaw += buf.length;
      pageGz += z;
    }
  }
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  console.log(`Clients page JavaScript (${files.size} files): ${kb(raw)} raw, ${kb(gz)} gzip`);
  console.log(`  of which only this page (not the shell):  ${kb(pageRaw)} raw, ${kb(pageGz)} gzip`);
}

async function main() {
  const url = process.env.DATABASE_URL;
  const handle = url ? await createPostgres(url) : await createPglite();
  console.log(`database: ${url ? 'PostgreSQL' : 'PGlite (in memory) - set DATABASE_URL for the PostgreSQL figures'}; ${RUNS} runs each`);
  await migrateDatabase(handle);
  const { tenantId, admin } = await seed(handle);
  const db = handle.db;
  try {
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
  clientsPageJs();
}

await main();
