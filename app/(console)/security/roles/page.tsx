import type { Metadata } from 'next';
import { RolesView } from '@/components/roles/roles-view';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listRolesWithHolders } from '@/lib/roles/roles';

export const metadata: Metadata = { title: 'Roles' };

export default async function RolesPage() {
  const user = await requireAdminPage('/security/roles');
  const roles = await listRolesWithHolders(await getDb(), user.tenantId);
  return <RolesView roles={roles} />;
}
