import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CONTRACT } from './contract';
import { API_ROUTES, dispatchApi, matchApiPath, routesOf } from './router';

// Anonymous calls may open the process's database (lib/db getDb): each test file gets its own PGlite folder, since
// two vitest workers cannot hold the same one (an answer of 500 instead of 401 otherwise).
const ownDir = process.env.DATABASE_URL ? null : mkdtempSync(join(tmpdir(), 'tsc-api-routes-'));
if (ownDir) process.env.PGLITE_DIR = ownDir;
afterAll(() => {
  if (ownDir) rmSync(ownDir, { recursive: true, force: true });
});

/**
 * Issue 23: the REST API is one contract (lib/api/contract.ts). The router that answers /api/v1 is generated from it;
 * this checks what it answers for every path of the contract and how it matches paths (as Next matched the
 * folder-per-path route modules it replaces).
 */
const GUID = '00000000-0000-4000-8000-000000000001';
const call = (method: string, path: string) => dispatchApi(new Request(`http://localhost${path}`, { method }));

describe('REST API contract: the router generated from it', () => {
  it('every operation answers an anonymous call with 401; every other method of its path is a JSON 405 with Allow', async () => {
    const answered: string[] = [];
    for (const route of API_ROUTES) {
      const path = route.template.replace(/\{\w+\}/g, GUID);
      const allow = [...Object.keys(route.operations), ...('GET' in route.operations ? ['HEAD'] : []), 'OPTIONS'].join(', ');
      for (const method of ['GET', 'POST', 'PUT', 'PATCH', 'DELETE']) {
        const res = await call(method, path);
        expect(res.headers.get('cache-control'), `${method} ${route.template}`).toBe('no-store');
        if (res.status === 401) answered.push(`${method.toLowerCase()} ${route.template}`);
        else {
          expect(res.status, `${method} ${route.template}`).toBe(405);
          expect(res.headers.get('allow')).toBe(allow);
        }
      }
      const options = await call('OPTIONS', path);
      expect([options.status, options.headers.get('allow')]).toEqual([204, allow]);
      expect((await call('HEAD', path)).status).toBe(401);
    }
    expect(answered.sort()).toEqual(CONTRACT.map((op) => `${op.method} ${op.path}`).sort());
  }, 120_000);

  it('lists each path once, with at most one operation per method, and names each operation once', () => {
    expect(API_ROUTES.length).toBeGreaterThanOrEqual(29);
    expect(new Set(API_ROUTES.map((r) => r.template)).size).toBe(API_ROUTES.length);
    expect(API_ROUTES.reduce((n, r) => n + Object.keys(r.operations).length, 0)).toBe(CONTRACT.length);
    expect(new Set(CONTRACT.map((op) => op.operationId)).size).toBe(CONTRACT.length);
  });

  it('matches as Next matched the route folders: static segments exactly and undecoded, parameters non-empty and decoded', () => {
    const apiPath = '/api/v1/Tenants/{tenantId}/Apis/{apiId}';
    expect(matchApiPath('/api/v1/Tenants/t1/Apis/a%20b')).toMatchObject({ route: { template: apiPath }, params: { tenantId: 't1', apiId: 'a b' } });
    // An encoded slash stays inside its segment, as in a [dynamic] folder.
    expect(matchApiPath('/api/v1/Tenants/t%2F1/Apis/a')?.params).toEqual({ tenantId: 't/1', apiId: 'a' });
    expect(matchApiPath('/api/v1/Tenants/t1/Apis/a/b')).toBeNull();
    expect(matchApiPath('/api/v1/tenants/t1/Apis/a')).toBeNull();
    expect(matchApiPath('/api/v1/Tenant%73/t1/Apis/a')).toBeNull();
    expect(matchApiPath('/api/v1/Tenants/t1/Api%73/a')).toBeNull();
    expect(matchApiPath('/api/v1/Tenants//Apis/a')).toBeNull();
    expect(matchApiPath('/api/v1/Tenants/t1/Apis/')).toBeNull();
    expect(matchApiPath('/api/v1/openapi.json')).toBeNull();
    expect(matchApiPath('/api/v2/Tenants/t1/Apis/a')).toBeNull();
  });

  it('refuses a contract where one request could match two paths, or one path has a method twice', () => {
    const op = CONTRACT.find((o) => o.operationId === 'getApi')!;
    const at = (path: string, method = op.method) => ({ ...op, path, method });
    expect(() => routesOf([at('/api/v1/Tenants/{tenantId}/Apis/{apiId}'), at('/api/v1/Tenants/{tenantId}/Apis/Default')])).toThrow(/could match both/);
    expect(() => routesOf([at('/api/v1/Tenants/{tenantId}/Apis/{apiId}'), at('/api/v1/Tenants/{tenantId}/{collection}/{id}')])).toThrow(/could match both/);
    expect(() => routesOf([op, op])).toThrow(/twice/);
    expect(routesOf([at('/api/v1/Tenants/{tenantId}/Apis/{apiId}'), at('/api/v1/Tenants/{tenantId}/Roles/{roleId}')])).toHaveLength(2);
  });

  it('a path no operation has: a JSON 404 for every method, OPTIONS too', async () => {
    for (const method of ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']) {
      const res = await call(method, '/api/v1/Tenants/t1/clientcredentialclients');
      expect(res.status, method).toBe(404);
      expect(res.headers.get('cache-control')).toBe('no-store');
      expect(await res.json()).toMatchObject({ Error: 'Not found.', Reason: 'There is no such API endpoint.' });
    }
  });
});
