import type { Metadata } from 'next';
import { ApisView } from '@/components/apis/apis-view';
import { listApis } from '@/lib/apis/apis';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';

export const metadata: Metadata = { title: 'APIs' };

export default async function ApisPage() {
  const user = await requireAdminPage('/security/apis');
  const apis = await listApis(await getDb(), user.tenantId);
  return <ApisView apis={apis} />;
}
