import type { Metadata } from 'next';
import { CommunitiesView } from '@/components/communities/communities-view';
import { requireAdminPage } from '@/lib/auth/session';
import { listTenantCommunities } from '@/lib/communities/communities';
import { getDb } from '@/lib/db';

export const metadata: Metadata = { title: 'Communities' };

export default async function CommunitiesPage() {
  const user = await requireAdminPage('/security/communities');
  const communities = await listTenantCommunities(await getDb(), user.tenantId);
  return <CommunitiesView communities={communities} />;
}
