import { and, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { clients } from '../db/schema';

/**
 * The tenant's client, locked for the rest of the transaction (SELECT ... FOR UPDATE), or undefined for an unknown
 * id and another tenant's id alike. Every change to a client or its secrets starts here, so concurrent changes to
 * one client run one after another (e.g. two Add Secret requests cannot both see 9 secrets).
 */
export async function lockClient(tx: Db, tenantId: string, clientId: string) {
  const [row] = await tx
    .select()
    .from(clients)
    .where(and(eq(clients.id, clientId), eq(clients.tenantId, tenantId)))
    .for('update');
  return row;
}
