import { randomUUID } from 'node:crypto';
import { createPostgres, setDbHandle, type Db, type DbHandle } from '../db';
import { migratedPglite } from './pglite-template';
import { migrateDatabase } from '../db/migrate';
import { createTenant, createUser } from '../tenants/tenants';
import type { SessionUser } from '../auth/users';
import { loadSessionUser } from '../auth/users';

/**
 * A migrated database for one test file: in-memory PGlite by default, the real PostgreSQL of DATABASE_URL when set.
 * Tests isolate by creating their own tenants, so files can share one PostgreSQL database.
 */
export async function createTestDb(): Promise<DbHandle> {
  const handle = process.env.DATABASE_URL ? await createPostgres(process.env.DATABASE_URL) : await migratedPglite();
  if (process.env.DATABASE_URL) await migrateDatabase(handle);
  setDbHandle(handle);
  return handle;
}

export type TestTenant = {
  tenantId: string;
  admin: SessionUser;
  member: SessionUser;
  roles: { id: string; roleType: string; name: string }[];
};

/** A fresh tenant with its built-in roles, a Tenant Administrator and a plain Tenant Member. */
export async function createTestTenant(db: Db, label = 'Test'): Promise<TestTenant> {
  const suffix = randomUUID().slice(0, 8);
  const { tenant, roles } = await createTenant(db, `${label} ${suffix}`);
  const admin = await createUser(db, {
    tenantId: tenant.id,
    email: `admin-${suffix}@example.test`,
    name: `Admin ${suffix}`,
    password: 'correct horse battery staple',
    roleTypes: ['tenant_administrator'],
  });
  const member = await createUser(db, {
    tenantId: tenant.id,
    email: `member-${suffix}@example.test`,
    name: `Member ${suffix}`,
    password: 'correct horse battery staple',
  });
  return {
    tenantId: tenant.id,
    admin: (await loadSessionUser(db, admin.id))!,
    member: (await loadSessionUser(db, member.id))!,
    roles: roles.map((r) => ({ id: r.id, roleType: r.roleType, name: r.name })),
  };
}
