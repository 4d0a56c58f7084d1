import { randomBytes } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { roles, tenants, userRoles, users } from '../db/schema';
import { hashPassword } from '../auth/password';
import { BUILTIN_TENANT_ROLES, type BuiltinRoleType } from '../roles/builtin';
import { saveInitialAdminPassword } from './initial-password';

/** Create a tenant with its five built-in roles, in the caller's transaction. */
export async function createTenant(db: Db, name: string) {
  const [tenant] = await db.insert(tenants).values({ name }).returning();
  const builtin = await db
    .insert(roles)
    .values(BUILTIN_TENANT_ROLES.map((r) => ({ ...r, scope: 'tenant' as const, tenantId: tenant.id })))
    .returning();
  return { tenant, roles: builtin };
}

/** Create a user holding Tenant Member plus the given built-in roles. */
export async function createUser(
  db: Db,
  input: { tenantId: string; email: string; name: string; password: string; roleTypes?: BuiltinRoleType[] },
) {
  const [user] = await db
    .insert(users)
    .values({
      tenantId: input.tenantId,
      email: input.email.trim().toLowerCase(),
      name: input.name,
      passwordHash: await hashPassword(input.password),
    })
    .returning();
  const wanted = new Set<string>(['tenant_member', ...(input.roleTypes ?? [])]);
  const tenantRoles = await db
    .select({ id: roles.id, roleType: roles.roleType })
    .from(roles)
    .where(sql`${roles.tenantId} = ${input.tenantId}`);
  const ids = tenantRoles.filter((r) => wanted.has(r.roleType)).map((r) => r.id);
  if (ids.length) await db.insert(userRoles).values(ids.map((roleId) => ({ userId: user.id, roleId })));
  return user;
}

export const DEFAULT_TENANT_NAME = 'Default';

/**
 * First start: the default tenant, its built-in roles and a Tenant Administrator.
 * Credentials come from ADMIN_EMAIL / ADMIN_PASSWORD, or are generated and printed once.
 * Later starts find a tenant and do nothing.
 */
export async function bootstrap(
  db: Db,
  log: (line: string) => void = console.log,
  savePassword: (password: string) => string = saveInitialAdminPassword,
) {
  const existing = await db.select({ id: tenants.id }).from(tenants).limit(1);
  if (existing.length) return { created: false as const };
  const email = (process.env.ADMIN_EMAIL || 'admin@example.com').trim().toLowerCase();
  const generated = !process.env.ADMIN_PASSWORD;
  const password = process.env.ADMIN_PASSWORD || randomBytes(18).toString('base64url');
  // Written before the tenant: a failed write leaves no administrator nobody can sign in as.
  const file = generated ? savePassword(password) : null;
  await inTransaction(db, async (tx) => {
    const { tenant } = await createTenant(tx, DEFAULT_TENANT_NAME);
    const user = await createUser(tx, {
      tenantId: tenant.id,
      email,
      name: 'Administrator',
      password,
      roleTypes: ['tenant_administrator'],
    });
    // A generated password has been on disk: it is a one-time password, changed at the first sign-in.
    if (generated) await tx.update(users).set({ mustChangePassword: true }).where(eq(users.id, user.id));
  });
  log('');
  log('  First start: created the Default tenant and its Tenant Administrator.');
  log(`  Sign in with  email: ${email}`);
  log(
    file
      ? `                password: the one-time password in ${file} (readable by this user only; you choose a new one at the first sign-in, then delete the file)`
      : '                password: the ADMIN_PASSWORD you set',
  );
  log('');
  return { created: true as const, email };
}
