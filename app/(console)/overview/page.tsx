import type { Metadata } from 'next';
import { connection } from 'next/server';
import { OverviewView } from '@/components/overview/overview-view';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getThresholds } from '@/lib/notifications/channels';
import { expiringCredentials, failureSpikes, tenantTokenTotals, unusedClients } from '@/lib/usage/activity';

export const metadata: Metadata = { title: 'Overview' };

/** The console's landing page: what needs a Tenant Administrator's attention, each item linking to its client. */
export default async function OverviewPage() {
  await connection();
  const user = await requireAdminPage('/overview');
  const db = await getDb();
  const now = new Date();
  const thresholds = await getThresholds(db, user.tenantId);
  const [totals, expiring, unused, spikes] = await Promise.all([
    tenantTokenTotals(db, user.tenantId, now),
    expiringCredentials(db, user.tenantId, now),
    unusedClients(db, user.tenantId, thresholds.unusedDays, now),
    failureSpikes(db, user.tenantId, { count: thresholds.failureSpikeCount, minutes: thresholds.failureSpikeMinutes }, now),
  ]);
  return <OverviewView totals={totals} expiring={expiring} unused={unused} spikes={spikes} thresholds={thresholds} />;
}
