/**
 * The JavaScript a browser downloads for the Clients page's first view, read from the production build in
 * NEXT_DIST_DIR (default .next): the root chunks plus the chunks of the root layout, the console layout and the page,
 * as the build's manifests list them. Chunks loaded later (next/dynamic: the Add Client pane, dialogs) are not part
 * of it. Part of `npm run bench:console`; alone: `npx tsx bench/page-weight.ts`.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';
import { gzipSync } from 'node:zlib';

export const CLIENTS_PAGE_JS_TARGET_KB = 200;

export type PageWeight = { files: number; rawKb: number; gzipKb: number; pageOnlyGzipKb: number };

export function clientsPageWeight(distDir = process.env.NEXT_DIST_DIR || '.next'): PageWeight | null {
  const dist = path.resolve(distDir);
  const pageDir = path.join(dist, 'server/app/(console)/security/clients');
  const manifestFile = path.join(pageDir, 'page_client-reference-manifest.js');
  if (!fs.existsSync(manifestFile)) return null;
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
  let pageGz = 0;
  for (const f of files) {
    const buf = fs.readFileSync(path.join(dist, f));
    const z = gzipSync(buf).length;
    raw += buf.length;
    gz += z;
    if (!shared.has(f)) pageGz += z;
  }
  return { files: files.size, rawKb: raw / 1024, gzipKb: gz / 1024, pageOnlyGzipKb: pageGz / 1024 };
}

export function printClientsPageWeight() {
  const distDir = process.env.NEXT_DIST_DIR || '.next';
  const w = clientsPageWeight(distDir);
  if (!w) {
    console.log(`Clients page JavaScript: no production build in ${distDir} (run: npm run build)`);
    return;
  }
  const ok = w.gzipKb <= CLIENTS_PAGE_JS_TARGET_KB;
  console.log(
    `Clients page JavaScript, first view (${w.files} files): ${w.rawKb.toFixed(1)} kB raw, ${w.gzipKb.toFixed(1)} kB gzip ` +
      `(target <= ${CLIENTS_PAGE_JS_TARGET_KB} kB gzip: ${ok ? 'ok' : 'OVER TARGET'})`,
  );
  console.log(`  of which only this page (not the shell): ${w.pageOnlyGzipKb.toFixed(1)} kB gzip`);
}

if (process.argv[1] && path.resolve(process.argv[1]) === import.meta.filename) printClientsPageWeight();
