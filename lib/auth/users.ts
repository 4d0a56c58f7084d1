import { and, eq, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { roles, userRoles, users } from '../db/schema';
import { getDummyHash, verifyPassword } from './password';

import type { SessionUser } from '../actions/actor';

export type { SessionUser };

export async function findUserByEmail(db: Db, email: string) {
  const [u] = await db
    .select()
    .from(users)
    .where(sql`lower(${users.email}) = ${email.trim().toLowerCase()}`)
    .limit(1);
  return u;
}

/** The user's current tenant role types, read from the database (not trusted from the session cookie). */
export async function loadUserRoleTypes(db: Db, userId: string, tenantId: string): Promise<string[]> {
  const rows = await db
    .select({ roleType: roles.roleType })
    .from(userRoles)
    .innerJoin(roles, eq(roles.id, userRoles.roleId))
    .where(and(eq(userRoles.userId, userId), eq(roles.tenantId, tenantId)));
  return [...new Set(rows.map((r) => r.roleType))];
}

export async function loadSessionUser(db: Db, userId: string): Promise<SessionUser | null> {
  const [u] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!u) return null;
  return { id: u.id, email: u.email, name: u.name, tenantId: u.tenantId, roleTypes: await loadUserRoleTypes(db, u.id, u.tenantId) };
}

/** Email + password. Unknown emails cost the same scrypt work as known ones. */
export async function verifyCredentials(db: Db, email: string, password: string): Promise<SessionUser | null> {
  const u = await findUserByEmail(db, email);
  const ok = await verifyPassword(password, u?.passwordHash ?? (await getDummyHash()));
  if (!u || !ok) return null;
  return { id: u.id, email: u.email, name: u.name, tenantId: u.tenantId, roleTypes: await loadUserRoleTypes(db, u.id, u.tenantId) };
}
