import type { Metadata } from 'next';
import { UsersView } from '@/components/users/users-view';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listCommunityRoles, listTenantRoles } from '@/lib/roles/queries';
import { listTenantUsers } from '@/lib/users/users';
import { mfaStatusOfTenantUsers } from '@/lib/auth/mfa/admin-actions';
import { tenantSignInStatus } from '@/lib/users/passwords';

export const metadata: Metadata = { title: 'Users' };

export default async function UsersPage() {
  const user = await requireAdminPage('/security/users');
  const db = await getDb();
  const [users, tenantRoles, communityRoles, mfa] = await Promise.all([
    listTenantUsers(db, user.tenantId),
    listTenantRoles(db, user.tenantId),
    listCommunityRoles(db, user.tenantId),
    mfaStatusOfTenantUsers(db, user.tenantId),
  ]);
  const signIn = await tenantSignInStatus(db, user.tenantId, users);
  return <UsersView users={users} signIn={signIn} choices={{ tenantRoles, communityRoles }} currentUserId={user.id} mfa={mfa} />;
}
