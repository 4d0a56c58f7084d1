import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { migratedPglite } from '../testing/pglite-template';
import { users } from '../db/schema';
import { verifyCredentials } from '../auth/users';
import { bootstrap } from './tenants';
import { saveInitialAdminPassword } from './initial-password';

// The first start always meets an empty database: a fresh in-memory PGlite here, whatever DATABASE_URL says.
let h: DbHandle;
const saved = { ...process.env };
beforeEach(async () => {
  h = await migratedPglite();
  delete process.env.ADMIN_PASSWORD;
  process.env.ADMIN_EMAIL = 'first@example.com';
});
afterAll(() => {
  process.env = saved;
});

describe('first start', () => {
  it('a generated password goes to the file, never to the log, and must be changed at the first sign-in', async () => {
    const lines: string[] = [];
    let onDisk = '';
    const r = await bootstrap(
      h.db,
      (l) => lines.push(l),
      (p) => {
        onDisk = p;
        return '/srv/console/.data/initial-admin-password';
      },
    );
    expect(r).toEqual({ created: true, email: 'first@example.com' });
    expect(onDisk.length).toBeGreaterThanOrEqual(24);
    expect(lines.join('\n')).not.toContain(onDisk);
    expect(lines.join('\n')).toContain('/srv/console/.data/initial-admin-password');
    expect((await verifyCredentials(h.db, 'first@example.com', onDisk))?.roleTypes).toContain('tenant_administrator');
    const [row] = await h.db.select().from(users).where(eq(users.email, 'first@example.com'));
    expect(row.mustChangePassword).toBe(true);
    // Later starts do nothing.
    expect(await bootstrap(h.db, () => {}, () => 'unused')).toEqual({ created: false });
  });

  it('ADMIN_PASSWORD: no file, and no forced change (the operator chose it)', async () => {
    process.env.ADMIN_PASSWORD = 'an operator chose this one';
    let called = false;
    const lines: string[] = [];
    await bootstrap(h.db, (l) => lines.push(l), () => ((called = true), 'x'));
    expect(called).toBe(false);
    expect(lines.join('\n')).toContain('the ADMIN_PASSWORD you set');
    expect(lines.join('\n')).not.toContain('an operator chose this one');
    const [row] = await h.db.select().from(users).where(eq(users.email, 'first@example.com'));
    expect(row.mustChangePassword).toBe(false);
  });

  it('the file is readable by its owner only', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tsc-first-'));
    process.env.PGLITE_DIR = path.join(dir, 'pglite');
    try {
      const file = saveInitialAdminPassword('one-time-password-for-the-test');
      expect(file).toBe(path.join(dir, 'initial-admin-password'));
      expect(fs.readFileSync(file, 'utf8')).toBe('one-time-password-for-the-test\n');
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    } finally {
      delete process.env.PGLITE_DIR;
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
