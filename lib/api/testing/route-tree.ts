import fs from 'node:fs';
import path from 'node:path';

/**
 * The REST API's route map as the app/api/v1 folder tree says it (as Next routes it): one route per route.ts, its
 * folder names the URL segments, `[name]` a dynamic segment, `[...name]` a catch-all. The API test server routes by
 * it and lib/api/contract.test.ts checks it against the OpenAPI operations registry, so a new route is one folder.
 */
export const API_DIR = path.resolve(import.meta.dirname, '../../../app/api/v1');
const API_PREFIX = '/api/v1';

export type RouteEntry = {
  /** The URL template in OpenAPI form: `[x]` -> `{x}`, `[...x]` -> `{...x}`. */
  template: string;
  /** The folder names under app/api/v1. */
  segments: string[];
  /** Matches a raw (still %-encoded) pathname; group i is the parameter names[i]. */
  re: RegExp;
  names: string[];
  catchAll: boolean;
  /** The route.ts file (absolute). */
  file: string;
};

/** Every route.ts under dir, as its folder names relative to dir. */
export function routeFolders(dir: string = API_DIR): string[][] {
  const out: string[][] = [];
  const walk = (current: string, segments: string[]) => {
    for (const entry of fs.readdirSync(current, { withFileTypes: true })) {
      if (entry.isDirectory()) walk(path.join(current, entry.name), [...segments, entry.name]);
      else if (entry.name === 'route.ts') out.push(segments);
    }
  };
  walk(dir, []);
  return out;
}

const CATCH_ALL = /^\[\.\.\.(\w+)\]$/;
const DYNAMIC = /^\[(\w+)\]$/;

/** 0 static, 1 dynamic, 2 catch-all: Next's precedence at one segment. */
function rank(segment: string | undefined): number {
  if (segment === undefined) return -1;
  if (CATCH_ALL.test(segment)) return 2;
  if (DYNAMIC.test(segment)) return 1;
  return 0;
}

/** Next's order: at the first segment where two routes differ in kind, static before dynamic before catch-all. */
export function compareRoutes(a: string[], b: string[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const d = rank(a[i]) - rank(b[i]);
    if (d !== 0) return d;
    if (a[i] !== b[i] && rank(a[i]) === 0) return a[i] < b[i] ? -1 : 1;
  }
  return 0;
}

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

export function routeEntry(segments: string[], dir: string = API_DIR): RouteEntry {
  const names: string[] = [];
  let source = escapeRegExp(API_PREFIX);
  let template = API_PREFIX;
  let catchAll = false;
  for (const segment of segments) {
    const all = CATCH_ALL.exec(segment);
    const dynamic = DYNAMIC.exec(segment);
    if (all) {
      names.push(all[1]);
      source += '/(.+)';
      template += `/{...${all[1]}}`;
      catchAll = true;
    } else if (dynamic) {
      names.push(dynamic[1]);
      source += '/([^/]+)';
      template += `/{${dynamic[1]}}`;
    } else {
      source += '/' + escapeRegExp(segment);
      template += '/' + segment;
    }
  }
  return { template, segments, re: new RegExp(`^${source}$`), names, catchAll, file: path.join(dir, ...segments, 'route.ts') };
}

/** The routes under dir, in the order they are tried. */
export function routeTable(dir: string = API_DIR): RouteEntry[] {
  return routeFolders(dir)
    .sort(compareRoutes)
    .map((segments) => routeEntry(segments, dir));
}

export type Endpoint = { method: string; path: string };

/**
 * The two sides of the contract compared: operations documented (OpenAPI registry) vs methods the route modules
 * answer. Both lists empty when they agree.
 */
export function contractMismatches(documented: readonly Endpoint[], answered: readonly Endpoint[]): { undocumented: string[]; unrouted: string[] } {
  const key = (e: Endpoint) => `${e.method.toUpperCase()} ${e.path}`;
  const doc = new Set(documented.map(key));
  const ans = new Set(answered.map(key));
  return {
    undocumented: [...ans].filter((k) => !doc.has(k)).sort(),
    unrouted: [...doc].filter((k) => !ans.has(k)).sort(),
  };
}
