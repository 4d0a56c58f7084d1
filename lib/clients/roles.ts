import { asc, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { roles } from '../db/schema';

/** Names of the given roles, sorted, for audit events (readable later even if ids mean nothing to a person). */
export async function roleNamesOf(db: Db, roleIds: string[]): Promise<string[]> {
  if (roleIds.length === 0) return [];
  const rows = await db.select({ name: roles.name }).from(roles).where(inArray(roles.id, roleIds)).orderBy(asc(roles.name));
  return rows.map((r) => r.name);
}
