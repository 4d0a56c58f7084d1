import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import type { DbHandle } from '../db';
import { verifyCredentials } from './users';
import { hashPassword, verifyPassword } from './password';
import { bootstrap } from '../tenants/tenants';

let h: DbHandle;
let t: TestTenant;
beforeAll(async () => {
  h = await createTestDb();
  t = await createTestTenant(h.db);
});
afterAll(async () => {
  await h.close();
});

describe('passwords', () => {
  it('hashes with scrypt and verifies only the right password', async () => {
    const stored = await hashPassword('s3cret-pass');
    expect(stored.startsWith('scrypt$')).toBe(true);
    expect(stored).not.toContain('s3cret-pass');
    expect(await verifyPassword('s3cret-pass', stored)).toBe(true);
    expect(await verifyPassword('s3cret-pasS', stored)).toBe(false);
    expect(await verifyPassword('x', 'garbage')).toBe(false);
  });
});

describe('verifyCredentials', () => {
  it('returns the user with tenant and role types for the right password, case-insensitive email', async () => {
    const u = await verifyCredentials(h.db, t.admin.email.toUpperCase(), 'correct horse battery staple');
    expect(u?.id).toBe(t.admin.id);
    expect(u?.tenantId).toBe(t.tenantId);
    expect(u?.roleTypes.sort()).toEqual(['tenant_administrator', 'tenant_member']);
  });
  it('refuses a wrong password and an unknown email alike', async () => {
    expect(await verifyCredentials(h.db, t.admin.email, 'wrong')).toBeNull();
    expect(await verifyCredentials(h.db, 'nobody@example.test', 'correct horse battery staple')).toBeNull();
  });
  it('gives a member only Tenant Member', async () => {
    const u = await verifyCredentials(h.db, t.member.email, 'correct horse battery staple');
    expect(u?.roleTypes).toEqual(['tenant_member']);
  });
});

describe('bootstrap', () => {
  it('does nothing when a tenant exists', async () => {
    const r = await bootstrap(h.db, () => {});
    expect(r.created).toBe(false);
  });
});
