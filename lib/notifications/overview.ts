import type { Db } from '../db';
import { expiringCredentials, failureSpikes, tenantTokenTotals, unusedClients } from '../usage/activity';
import { getThresholds } from './channels';

/**
 * Everything the Overview page shows, read in one read-only REPEATABLE READ transaction: one snapshot of the database.
 * Read statement by statement, a batch of usage counts committed between two reads could show a client among the
 * Failure Spikes while "Failed authentications" still said 0 (seen once in CI).
 */
export async function readOverview(db: Db, tenantId: string, now: Date = new Date()) {
  return db.transaction(
    async (tx) => {
      // One after another: a transaction is one connection, which answers one statement at a time anyway (and pg
      // deprecates queueing a second query on a client while one runs).
      const thresholds = await getThresholds(tx, tenantId);
      const totals = await tenantTokenTotals(tx, tenantId, now);
      const expiring = await expiringCredentials(tx, tenantId, now);
      const unused = await unusedClients(tx, tenantId, thresholds.unusedDays, now);
      const spikes = await failureSpikes(tx, tenantId, { count: thresholds.failureSpikeCount, minutes: thresholds.failureSpikeMinutes }, now);
      return { thresholds, totals, expiring, unused, spikes };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
