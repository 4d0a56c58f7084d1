import type { Metadata } from 'next';
import { connection } from 'next/server';
import { OverviewView } from '@/components/overview/overview-view';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { readOverview } from '@/lib/notifications/overview';

export const metadata: Metadata = { title: 'Overview' };

/** The console's landing page: what needs a Tenant Administrator's attention, each item linking to its client. */
export default async function OverviewPage() {
  await connection();
  const user = await requireAdminPage('/overview');
  const { totals, expiring, unused, spikes, thresholds } = await readOverview(await getDb(), user.tenantId);
  return <OverviewView totals={totals} expiring={expiring} unused={unused} spikes={spikes} thresholds={thresholds} />;
}
