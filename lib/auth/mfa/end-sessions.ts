import { eq } from 'drizzle-orm';
import type { Db } from '../../db';
import { sessions } from '../../db/schema';

/**
 * End every console session of a user in the caller's transaction. Deleting the rows is enough: the sessions table's
 * trigger (migration 0006) announces each deleted id on tsc_session_ended at commit, so every instance drops it.
 */
export async function endAllSessionsOfUser(tx: Db, userId: string): Promise<number> {
  const rows = await tx.delete(sessions).where(eq(sessions.userId, userId)).returning({ id: sessions.id });
  return rows.length;
}
