import type { Metadata } from 'next';
import { requireSignedInPage } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Your account' };

const ROLE_NAMES: Record<string, string> = {
  tenant_administrator: 'Tenant Administrator',
  tenant_contributor: 'Tenant Contributor',
  tenant_member: 'Tenant Member',
  tenant_viewer: 'Tenant Viewer',
  tenant_data_steward: 'Tenant Data Steward',
  custom: 'Custom role',
};

export default async function AccountPage() {
  const user = await requireSignedInPage('/account');
  return (
    <section className="max-w-xl">
      <h1 className="text-2xl font-semibold">Your account</h1>
      <dl className="mt-6 grid grid-cols-[10rem_1fr] gap-y-2 text-sm">
        <dt className="text-slate-600">Name</dt>
        <dd>{user.name}</dd>
        <dt className="text-slate-600">Email</dt>
        <dd>{user.email}</dd>
        <dt className="text-slate-600">Roles</dt>
        <dd>{[...new Set(user.roleTypes.map((r) => ROLE_NAMES[r] ?? r))].join(', ')}</dd>
      </dl>
    </section>
  );
}
