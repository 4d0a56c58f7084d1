import type { Metadata } from 'next';
import { connection } from 'next/server';
import { NotificationsView } from '@/components/notifications/notifications-view';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getThresholds, listChannels } from '@/lib/notifications/channels';
import { listDeliveries } from '@/lib/notifications/delivery';
import { smtpConfigured } from '@/lib/notifications/email';

export const metadata: Metadata = { title: 'Notifications' };

export default async function NotificationsPage() {
  await connection();
  const user = await requireAdminPage('/security/notifications');
  const db = await getDb();
  const [channels, thresholds, deliveries] = await Promise.all([
    listChannels(db, user.tenantId),
    getThresholds(db, user.tenantId),
    listDeliveries(db, user.tenantId, { limit: 50 }),
  ]);
  return <NotificationsView channels={channels} thresholds={thresholds} deliveries={deliveries} emailAvailable={smtpConfigured()} />;
}
