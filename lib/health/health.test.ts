import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { migrationsFolder } from '../db/migrate';
import { createTestDb } from '../testing/db';
import { listenLocally } from '../testing/local-server';
import { Health, latestMigrationMillis } from './health';

let handle: DbHandle;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-health-'));

beforeAll(async () => {
  handle = await createTestDb();
});
afterAll(async () => {
  await handle.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A migrations folder whose journal has one migration more than the database. */
function folderWithANewerMigration(): string {
  const journal = JSON.parse(fs.readFileSync(path.join(migrationsFolder(), 'meta', '_journal.json'), 'utf8'));
  journal.entries.push({ idx: journal.entries.length, version: '7', when: Date.now() + 86_400_000, tag: '9999_from_the_future', breakpoints: true });
  fs.mkdirSync(path.join(tmp, 'meta'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'meta', '_journal.json'), JSON.stringify(journal));
  return tmp;
}

describe('readiness', () => {
  it('is ready on a migrated database with a signing key', async () => {
    const health = new Health({ handle, migrationsFolder: migrationsFolder(), signingKeysLoaded: () => true });
    expect(await health.ready()).toEqual({
      ready: true,
      body: { status: 'ready', checks: { database: 'ok', migrations: 'ok', signingKeys: 'ok', listen: 'ok' } },
    });
    expect(latestMigrationMillis(migrationsFolder())).toBeGreaterThan(0);
  });

  it('says which checks fail: a migration not applied, no signing key', async () => {
    const health = new Health({ handle, migrationsFolder: folderWithANewerMigration(), signingKeysLoaded: () => false });
    const r = await health.ready();
    expect(r.ready).toBe(false);
    expect(r.body.status).toBe('not_ready');
    expect(r.body.checks).toEqual({ database: 'ok', migrations: 'pending', signingKeys: 'none loaded', listen: 'ok' });
    expect(r.body.reason).toBe('migrations: not every migration is applied (restart to apply them); signingKeys: no key can sign tokens');
  });

  it('names the database cause when it does not answer, and the listener when it is down', async () => {
    const broken = {
      ...handle,
      db: { execute: () => Promise.reject(Object.assign(new Error('connect ECONNREFUSED 10.0.0.5:5432'), { code: 'ECONNREFUSED' })) },
      listening: () => false,
    } as unknown as DbHandle;
    const r = await new Health({ handle: broken, migrationsFolder: migrationsFolder(), signingKeysLoaded: () => true }).ready();
    expect(r.ready).toBe(false);
    expect(r.body.checks.database).toBe('connection refused (ECONNREFUSED)');
    expect(r.body.reason).toContain('database: connection refused (ECONNREFUSED)');
    expect(r.body.reason).toContain('listen: the LISTEN connection for change notifications is down');
    // The address of the database is not part of the answer.
    expect(JSON.stringify(r.body)).not.toContain('10.0.0.5');
  });

  it('times out a database that does not answer', async () => {
    const hanging = { ...handle, db: { execute: () => new Promise(() => {}) } } as unknown as DbHandle;
    const r = await new Health({ handle: hanging, migrationsFolder: migrationsFolder(), signingKeysLoaded: () => true, dbTimeoutMs: 50 }).ready();
    expect(r.body.checks.database).toBe('no answer within 50 ms');
  });

  it('is not ready once shutting down', async () => {
    const health = new Health({ handle, migrationsFolder: migrationsFolder(), signingKeysLoaded: () => true });
    health.markShuttingDown();
    expect(await health.ready()).toEqual({ ready: false, body: { status: 'shutting_down', reason: 'the server is shutting down', checks: {} } });
  });
});

describe('the probe endpoints over HTTP', () => {
  async function serve(health: Health) {
    const { createServer } = await import('node:http');
    const { handleOps, opsRouteOf } = await import('./http');
    const server = createServer((req, res) => {
      const route = opsRouteOf(req.url, false);
      if (route) void handleOps(route, req, res, health);
      else res.writeHead(404).end();
    });
    return listenLocally(server);
  }

  it('answers GET and HEAD, never cached; other methods get 405; /metrics only where allowed', async () => {
    const health = new Health({ handle, migrationsFolder: migrationsFolder(), signingKeysLoaded: () => true });
    const s = await serve(health);
    try {
      const ready = await fetch(`${s.origin}/health/ready`);
      expect(ready.status).toBe(200);
      expect(ready.headers.get('cache-control')).toBe('no-store');
      expect(ready.headers.get('content-type')).toBe('application/json; charset=utf-8');
      const head = await fetch(`${s.origin}/health/live`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
      const post = await fetch(`${s.origin}/health/ready`, { method: 'POST', body: 'x' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      expect((await fetch(`${s.origin}/metrics`)).status).toBe(404);
      health.markShuttingDown();
      const down = await fetch(`${s.origin}/health/ready`);
      expect(down.status).toBe(503);
      expect(down.headers.get('retry-after')).toBe('5');
    } finally {
      await s.close();
    }
  });
});
