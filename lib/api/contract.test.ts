import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { CONTRACT } from './contract';
import { KEY_OPERATIONS } from './key-operations';
import { compareRoutes, contractMismatches, routeEntry, routeTable, type Endpoint } from './testing/route-tree';

vi.mock('../auth/session', () => ({ getSessionUser: async () => null }));
// Anonymous calls may open the process's database (lib/db getDb): each test file gets its own PGlite folder, since
// two vitest workers cannot hold the same one (an answer of 500 instead of 401 otherwise).
const ownDir = process.env.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), 'tsc-api-routes-'));
if (ownDir) process.env.PGLITE_DIR = ownDir;
afterAll(() => {
  if (ownDir) rmSync(ownDir, { recursive: true, force: true });
});

/**
 * Issue 23: the REST API is one contract. The route map is the app/api/v1 folder tree (the API test server routes by
 * it too); this checks the OpenAPI operations registry against it both ways.
 */
type Handler = (request: Request, context: { params: Promise<Record<string, string>> }) => Response | Promise<Response>;

const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** The methods each route module really answers: exported, and not one of methodsNotAllowed's JSON 405s. */
async function answeredEndpoints(): Promise<Endpoint[]> {
  const out: Endpoint[] = [];
  for (const route of routeTable()) {
    if (route.catchAll || route.template.endsWith('/openapi.json')) continue;
    const mod = (await import(route.file)) as Partial<Record<string, Handler>>;
    const params = Object.fromEntries(route.names.map((n) => [n, '00000000-0000-4000-8000-000000000001']));
    for (const method of METHODS) {
      const handler = mod[method];
      if (typeof handler !== 'function') continue;
      // Anonymous: a real operation refuses with 401 before it touches any data; an unsupported method is a 405.
      const res = await handler(new Request(`http://localhost${route.template}`, { method }), { params: Promise.resolve(params) });
      if (res.status !== 405) out.push({ method, path: route.template });
    }
  }
  return out;
}

describe('REST API contract: app/api/v1 folders = OpenAPI operations registry', () => {
  it('every documented operation has a route module answering its method, and every answered method is documented', async () => {
    const answered = await answeredEndpoints();
    expect(answered.length).toBeGreaterThan(0);
    expect(KEY_OPERATIONS.every((k) => CONTRACT.includes(k))).toBe(true);
    expect(contractMismatches(CONTRACT, answered)).toEqual({ undocumented: [], unrouted: [] });
  }, 120_000);

  it('the comparison fails when a route or an operation is added to one side only', () => {
    const ops: Endpoint[] = [
      { method: 'get', path: '/api/v1/Tenants/{tenantId}/Roles' },
      { method: 'post', path: '/api/v1/Tenants/{tenantId}/Widgets' },
    ];
    const routes: Endpoint[] = [
      { method: 'GET', path: '/api/v1/Tenants/{tenantId}/Roles' },
      { method: 'DELETE', path: '/api/v1/Tenants/{tenantId}/Roles' },
    ];
    expect(contractMismatches(ops, routes)).toEqual({
      undocumented: ['DELETE /api/v1/Tenants/{tenantId}/Roles'],
      unrouted: ['POST /api/v1/Tenants/{tenantId}/Widgets'],
    });
    expect(contractMismatches(ops.slice(0, 1), routes.slice(0, 1))).toEqual({ undocumented: [], unrouted: [] });
  });

  it('the folder tree gives Next\'s matchers and precedence: static, then [dynamic], then [...catch-all] last', () => {
    const table = routeTable();
    expect(table.length).toBeGreaterThan(30);
    expect(table[table.length - 1].template).toBe('/api/v1/{...path}');
    expect(table.filter((r) => r.catchAll)).toHaveLength(1);
    expect(table.map((r) => r.template)).toContain('/api/v1/openapi.json');

    const sorted = [['[id]'], ['[...rest]'], ['Static'], ['Static', '[id]'], ['Static', 'Roles']].sort(compareRoutes);
    expect(sorted).toEqual([['Static'], ['Static', 'Roles'], ['Static', '[id]'], ['[id]'], ['[...rest]']]);

    const item = routeEntry(['Tenants', '[tenantId]', 'Apis', '[apiId]']);
    expect(item.template).toBe('/api/v1/Tenants/{tenantId}/Apis/{apiId}');
    expect(item.names).toEqual(['tenantId', 'apiId']);
    expect(item.re.exec('/api/v1/Tenants/t1/Apis/a%20b')?.slice(1)).toEqual(['t1', 'a%20b']);
    expect(item.re.test('/api/v1/Tenants/t1/Apis/a/b')).toBe(false);
    expect(item.re.test('/api/v1/tenants/t1/Apis/a')).toBe(false);
    expect(routeEntry(['openapi.json']).re.test('/api/v1/openapixjson')).toBe(false);
    expect(routeEntry(['[...path]']).re.test('/api/v1/a/b')).toBe(true);
  });
});
