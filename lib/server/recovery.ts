import { eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { inTransaction } from '../db/transaction';
import { auditEvents, tenants, users } from '../db/schema';
import { hashPassword } from '../auth/password';
import { passwordProblem } from '../auth/password-policy';
import { findUserByEmail } from '../auth/users';
import { endUserSessions } from '../auth/sessions';
import { clearSignInLock } from '../auth/throttle';
import { createUser } from '../tenants/tenants';
import { generateInitialPassword } from '../users/users';
import { inviteUserSchema } from '../users/users.schema';

/**
 * Operator recovery, run from a shell against the configured database (scripts/admin-*.ts): a new password for a
 * user who lost theirs, and a new Tenant Administrator for a tenant that has none left. Each is one transaction with
 * its audit event (actor "operator", type system), visible in the tenant's audit log.
 */
export class RecoveryError extends Error {}

const OPERATOR = { actor: 'operator', actorType: 'system' } as const;
/** A chosen password (read from stdin) follows the product's password rule; a generated one is 24 characters (144 bits). */
function checkPassword(password: string) {
  const problem = passwordProblem(password);
  if (problem) throw new RecoveryError(problem);
}

/**
 * A new password for the user with this email: `password` when given, else a generated one-time password, which the
 * user must change at the next sign-in (users.must_change_password). As Security > Users "Reset password" does
 * (lib/users/passwords.ts): every session of the user ends (on every instance: the sessions table's trigger
 * NOTIFYs), and a sign-in lock on the account is cleared. Returns the password to hand over.
 */
export async function resetPassword(
  db: Db,
  input: { email: string; password?: string; command?: string },
): Promise<{ email: string; tenantName: string; password: string; generated: boolean; sessionsEnded: number }> {
  const user = await findUserByEmail(db, input.email);
  if (!user) throw new RecoveryError(`There is no user with the email ${input.email.trim().toLowerCase()}.`);
  const generated = input.password === undefined;
  const password = input.password ?? generateInitialPassword();
  checkPassword(password);
  const passwordHash = await hashPassword(password);
  const [tenant] = await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, user.tenantId));
  const ended = await inTransaction(db, async (t) => {
    // A generated password went through the operator's hands: the user replaces it at the next sign-in.
    await t.update(users).set({ passwordHash, mustChangePassword: generated, passwordChangedAt: new Date() }).where(eq(users.id, user.id));
    const ids = await endUserSessions(t, user.id);
    await t.insert(auditEvents).values({
      tenantId: user.tenantId,
      ...OPERATOR,
      action: 'user.password_reset',
      targetType: 'user',
      targetId: user.id,
      details: { email: user.email, via: input.command ?? 'admin:reset-password', generated, sessionsEnded: ids.length },
    });
    return ids;
  });
  await clearSignInLock(db, user.email);
  return { email: user.email, tenantName: tenant?.name ?? '', password, generated, sessionsEnded: ended.length };
}

/** The tenant named (by id or by name, case-insensitive), or the only tenant when none is named and there is one. */
export async function findTenant(db: Db, nameOrId: string | undefined): Promise<{ id: string; name: string }> {
  const all = await db.select({ id: tenants.id, name: tenants.name }).from(tenants).orderBy(tenants.name);
  if (nameOrId === undefined) {
    if (all.length === 1) return all[0];
    if (all.length === 0) throw new RecoveryError('There is no tenant yet: start the server once (it creates the Default tenant).');
    throw new RecoveryError(`There are ${all.length} tenants: name one with --tenant (${all.map((t) => JSON.stringify(t.name)).join(', ')}).`);
  }
  const wanted = nameOrId.trim().toLowerCase();
  const matches = all.filter((t) => t.id === wanted || t.name.toLowerCase() === wanted);
  if (matches.length === 1) return matches[0];
  if (matches.length > 1) throw new RecoveryError(`Several tenants are named ${JSON.stringify(nameOrId)}: use the tenant id.`);
  throw new RecoveryError(`There is no tenant ${JSON.stringify(nameOrId)}. Tenants: ${all.map((t) => JSON.stringify(t.name)).join(', ')}.`);
}

/** A new user holding Tenant Member and Tenant Administrator in the tenant, with a one-time (or the given) password. */
export async function createAdministrator(
  db: Db,
  input: { email: string; name?: string; tenant?: string; password?: string; command?: string },
): Promise<{ email: string; tenantName: string; password: string; generated: boolean }> {
  const parsed = inviteUserSchema.safeParse({ email: input.email, name: input.name ?? 'Administrator' });
  if (!parsed.success) throw new RecoveryError(parsed.error.issues.map((i) => i.message).join(' '));
  const { email, name } = parsed.data;
  const tenant = await findTenant(db, input.tenant);
  const generated = input.password === undefined;
  const password = input.password ?? generateInitialPassword();
  checkPassword(password);
  try {
    await inTransaction(db, async (t) => {
      const user = await createUser(t, { tenantId: tenant.id, email, name, password, roleTypes: ['tenant_administrator'] });
      if (generated) await t.update(users).set({ mustChangePassword: true }).where(eq(users.id, user.id));
      await t.insert(auditEvents).values({
        tenantId: tenant.id,
        ...OPERATOR,
        action: 'user.created',
        targetType: 'user',
        targetId: user.id,
        details: { email, name, roles: ['Tenant Administrator', 'Tenant Member'], via: input.command ?? 'admin:create' },
      });
    });
  } catch (err) {
    const text = `${(err as Error).message} ${String((err as { cause?: { message?: string } }).cause?.message ?? '')}`;
    if (text.includes('users_email_lower_uq')) {
      throw new RecoveryError(`A user with the email ${email} already exists (in some tenant): use admin:reset-password for them.`);
    }
    throw err;
  }
  return { email, tenantName: tenant.name, password, generated };
}

/** Tests: the stored hash, to check that a reset replaced it. */
export async function passwordHashOf(db: Db, email: string): Promise<string | undefined> {
  const [row] = await db.select({ h: users.passwordHash }).from(users).where(sql`lower(${users.email}) = ${email.toLowerCase()}`);
  return row?.h;
}
