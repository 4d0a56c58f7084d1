import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, roles, userRoles, users } from '../db/schema';
import { verifyCredentials } from '../auth/users';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import { createAdministrator, RecoveryError, resetPassword } from './recovery';

let handle: DbHandle;
let tenant: TestTenant;
let tenantName: string;

beforeAll(async () => {
  handle = await createTestDb();
  tenant = await createTestTenant(handle.db, 'Recovery');
  tenantName = (await handle.db.query.tenants.findFirst({ where: (t, { eq }) => eq(t.id, tenant.tenantId) }))!.name;
});
afterAll(async () => {
  await handle.close();
});

describe('admin:reset-password', () => {
  it('sets a generated one-time password: the old one fails, the new one signs in; audited', async () => {
    const email = tenant.admin.email;
    const r = await resetPassword(handle.db, { email: email.toUpperCase() });
    expect(r.generated).toBe(true);
    expect(r.password).toMatch(/^[A-Za-z0-9_-]{24}$/);
    expect(r.tenantName).toBe(tenantName);
    expect(await verifyCredentials(handle.db, email, 'correct horse battery staple')).toBeNull();
    expect((await verifyCredentials(handle.db, email, r.password))?.email).toBe(email);
    const [row] = await handle.db.select().from(users).where(eq(users.id, tenant.admin.id));
    expect(row.mustChangePassword).toBe(true);
    const events = await handle.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.tenantId, tenant.tenantId), eq(auditEvents.action, 'user.password_reset')));
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ actor: 'operator', actorType: 'system', targetId: tenant.admin.id });
    expect(JSON.stringify(events[0].details)).not.toContain(r.password);
  });

  it('takes a chosen password that meets the password rule', async () => {
    await expect(resetPassword(handle.db, { email: tenant.member.email, password: 'short' })).rejects.toThrow('Use at least 12 characters.');
    const r = await resetPassword(handle.db, { email: tenant.member.email, password: 'a chosen long password' });
    expect(r.generated).toBe(false);
    expect(await verifyCredentials(handle.db, tenant.member.email, 'a chosen long password')).not.toBeNull();
    const [row] = await handle.db.select().from(users).where(eq(users.id, tenant.member.id));
    expect(row.mustChangePassword).toBe(false);
  });

  it('says so when no user has the email', async () => {
    await expect(resetPassword(handle.db, { email: 'nobody@example.test' })).rejects.toThrow(
      new RecoveryError('There is no user with the email nobody@example.test.'),
    );
  });
});

describe('admin:create', () => {
  it('adds a Tenant Administrator to the named tenant, audited, who can sign in', async () => {
    const email = `ops-${Date.now()}@example.test`;
    const r = await createAdministrator(handle.db, { email, tenant: tenantName.toLowerCase() });
    expect(r.tenantName).toBe(tenantName);
    const signedIn = await verifyCredentials(handle.db, email, r.password);
    expect(signedIn?.tenantId).toBe(tenant.tenantId);
    expect(signedIn?.roleTypes.sort()).toEqual(['tenant_administrator', 'tenant_member']);
    const [user] = await handle.db.select().from(users).where(eq(users.email, email));
    const held = await handle.db
      .select({ roleType: roles.roleType })
      .from(userRoles)
      .innerJoin(roles, eq(roles.id, userRoles.roleId))
      .where(eq(userRoles.userId, user.id));
    expect(held.map((h) => h.roleType).sort()).toEqual(['tenant_administrator', 'tenant_member']);
    const [event] = await handle.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'user.created'), eq(auditEvents.targetId, user.id)));
    expect(event).toMatchObject({ tenantId: tenant.tenantId, actor: 'operator', actorType: 'system' });
  });

  it('refuses a taken email and an unknown tenant with a clear message, and writes nothing', async () => {
    await expect(createAdministrator(handle.db, { email: tenant.admin.email, tenant: tenant.tenantId })).rejects.toThrow(
      `A user with the email ${tenant.admin.email} already exists (in some tenant): use admin:reset-password for them.`,
    );
    await expect(createAdministrator(handle.db, { email: 'x@example.test', tenant: 'No Such Tenant' })).rejects.toThrow(
      /^There is no tenant "No Such Tenant"\. Tenants: /,
    );
    await expect(createAdministrator(handle.db, { email: 'not-an-email', tenant: tenant.tenantId })).rejects.toThrow('Enter a valid email.');
    expect(await handle.db.select().from(users).where(eq(users.email, 'x@example.test'))).toEqual([]);
  });
});
