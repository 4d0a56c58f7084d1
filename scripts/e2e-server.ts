/**
 * The server Playwright drives: a fresh database (a new PGlite folder, or the PostgreSQL of DATABASE_URL), the
 * first-start bootstrap with known admin credentials, plus the people the specs need that the product has no
 * first-start for: a plain Tenant Member, and a second tenant with its own administrator. Then the real server.
 */
import fs from 'node:fs';
import path from 'node:path';
import { eq } from 'drizzle-orm';
import { getDbHandle } from '../lib/db';
import { migrateDatabase } from '../lib/db/migrate';
import { clients, clientSecrets, tenantSettings, tenants } from '../lib/db/schema';
import { findUserByEmail } from '../lib/auth/users';
import { bootstrap, createTenant, createUser, DEFAULT_TENANT_NAME } from '../lib/tenants/tenants';
import { createTestClient } from '../lib/testing/clients';
import { freshDatabase } from '../lib/testing/postgres-databases';

export const E2E_PASSWORD = 'e2e-password-123';
/**
 * e2e/overview.spec.ts: two client-credentials clients of the default tenant made 200 days ago (the product cannot
 * backdate a client): one never used (unused for the default 90 days), one whose secret got a token at seed time.
 */
export const SEEDED_UNUSED_CLIENT = 'Dormant since spring (seed)';
export const SEEDED_USED_CLIENT = 'Veteran still in use (seed)';
/** e2e/mfa.spec.ts: a tenant that keeps the product default (MFA required of its administrators), one admin per test. */
const MFA_TENANT_NAME = 'MFA Tenant';
const MFA_USERS = ['mfa-totp@example.com', 'mfa-passkey@example.com', 'mfa-reset@example.com', 'mfa-admin@example.com'];

async function seed() {
  if (process.env.DATABASE_URL) {
    // PostgreSQL: a fresh database of its own ("<name>_e2e"), so unit-test tenants never mix with the first-start bootstrap.
    process.env.DATABASE_URL = (await freshDatabase(process.env.DATABASE_URL, 'e2e')).url;
  } else {
    const dir = process.env.PGLITE_DIR!;
    fs.rmSync(dir, { recursive: true, force: true });
    fs.rmSync(`${dir}.lock`, { force: true });
  }
  const handle = await getDbHandle();
  await migrateDatabase(handle, async () => {
    await bootstrap(handle.db, () => {});
  });
  const db = handle.db;
  const [def] = await db.select().from(tenants).where(eq(tenants.name, DEFAULT_TENANT_NAME));
  if (!(await findUserByEmail(db, 'member@example.com'))) {
    await createUser(db, { tenantId: def.id, email: 'member@example.com', name: 'Mia Member', password: E2E_PASSWORD });
  }
  const longAgo = new Date(Date.now() - 200 * 86_400_000);
  for (const name of [SEEDED_UNUSED_CLIENT, SEEDED_USED_CLIENT]) {
    const { clientId } = await createTestClient(db, { tenantId: def.id, name, secrets: [{ description: 'seeded', expiresAt: null }] });
    await db.update(clients).set({ createdAt: longAgo }).where(eq(clients.id, clientId));
    await db.update(clientSecrets).set({ createdAt: longAgo, lastUsedAt: name === SEEDED_USED_CLIENT ? new Date() : null }).where(eq(clientSecrets.clientId, clientId));
  }
  if (!(await findUserByEmail(db, 'other-admin@example.com'))) {
    const { tenant } = await createTenant(db, 'Other Tenant');
    await createUser(db, {
      tenantId: tenant.id,
      email: 'other-admin@example.com',
      name: 'Olga Other',
      password: E2E_PASSWORD,
      roleTypes: ['tenant_administrator'],
    });
  }
  // New tenants require multi-factor authentication of their administrators (the product default). The tenants the
  // other specs share keep signing in with a password alone, as they did before MFA existed (as migration 0006 does
  // for tenants that existed before it); the MFA specs get a tenant of their own that keeps the default.
  const shared = await db.select({ id: tenants.id }).from(tenants);
  for (const t of shared) {
    await db
      .insert(tenantSettings)
      .values({ tenantId: t.id, requireAdminMfa: false, updatedBy: 'e2e seed' })
      .onConflictDoUpdate({ target: tenantSettings.tenantId, set: { requireAdminMfa: false } });
  }
  if (!(await findUserByEmail(db, MFA_USERS[0]))) {
    const { tenant } = await createTenant(db, MFA_TENANT_NAME);
    for (const [i, email] of MFA_USERS.entries()) {
      await createUser(db, { tenantId: tenant.id, email, name: `MFA Admin ${i + 1}`, password: E2E_PASSWORD, roleTypes: ['tenant_administrator'] });
    }
  }
}

process.env.PGLITE_DIR ||= path.resolve('.data/e2e-pglite');
process.env.ADMIN_EMAIL = 'admin@example.com';
process.env.ADMIN_PASSWORD = E2E_PASSWORD;
await seed();
await import('../server');
