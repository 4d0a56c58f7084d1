import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { tenants } from '../db/schema';

/** The tenant's display name (shown in the console header), or null when the tenant is gone. */
export async function getTenantName(db: Db, tenantId: string): Promise<string | null> {
  const [row] = await db.select({ name: tenants.name }).from(tenants).where(eq(tenants.id, tenantId)).limit(1);
  return row?.name ?? null;
}
