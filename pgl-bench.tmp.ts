import { createPglite } from '/work/wt/lead/lib/db';
import { migrateDatabase } from '/work/wt/lead/lib/db/migrate';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
let t = performance.now();
const h = await createPglite();
const t1 = performance.now();
await migrateDatabase(h);
const t2 = performance.now();
console.log('create', (t1 - t).toFixed(0), 'migrate', (t2 - t1).toFixed(0));
// @ts-ignore
const client = (h.db as any).$client as PGlite;
const dump = await client.dumpDataDir('none');
const t3 = performance.now();
console.log('dump', (t3 - t2).toFixed(0), 'size', dump.size);
const c2 = new PGlite({ loadDataDir: dump, extensions: { pg_trgm } });
await c2.waitReady;
const t4 = performance.now();
console.log('load', (t4 - t3).toFixed(0), (await c2.query('select count(*) from roles')).rows);
