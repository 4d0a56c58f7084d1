import type { Metadata } from 'next';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { clientTypeLabel, isClientType, type ClientType } from '@/lib/clients/client-types';
import { listClients } from '@/lib/clients/queries';
import { listCommunityRoles, listTenantRoles } from '@/lib/roles/queries';
import { AddClientSheetLoader } from '@/components/clients/add-client-sheet-loader';
import { ClientsTable } from '@/components/clients/clients-table';
import { ClientsToolbar } from '@/components/clients/clients-toolbar';
import { Pagination } from '@/components/clients/pagination';

export const metadata: Metadata = { title: 'Clients' };

const TYPE_DESCRIPTIONS: Record<ClientType, string> = {
  client_credentials: 'Client-credentials clients let servers get access tokens for this tenant without a user.',
  authorization_code:
    'Authorization Code clients are browser and native apps that sign this tenant’s users in with PKCE. They have no secret.',
  hybrid: 'Hybrid clients are server-side web apps that sign this tenant’s users in and authenticate with a secret.',
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function ClientsPage({ searchParams }: { searchParams: SearchParams }) {
  // Dynamic by nature (session + database): nothing here is prerendered or cached, and no secret is ever rendered.
  const user = await requireAdminPage('/security/clients');
  const sp = await searchParams;
  const q = one(sp.q).trim().slice(0, 100);
  const type: ClientType = isClientType(one(sp.type)) ? (one(sp.type) as ClientType) : 'client_credentials';
  const page = Number.parseInt(one(sp.page), 10) || 1;

  const db = await getDb();
  const [list, tenantRoles, communityRoles] = await Promise.all([
    listClients(db, user.tenantId, { q, page, type }),
    listTenantRoles(db, user.tenantId),
    listCommunityRoles(db, user.tenantId),
  ]);

  const hrefFor = (p: number) => {
    const params = new URLSearchParams();
    if (q) params.set('q', q);
    if (type !== 'client_credentials') params.set('type', type);
    if (p > 1) params.set('page', String(p));
    const qs = params.toString();
    return qs ? `/security/clients?${qs}` : '/security/clients';
  };

  return (
    <section className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold">Clients</h1>
        <p className="mt-1 text-sm text-slate-600">{TYPE_DESCRIPTIONS[type]}</p>
      </div>
      <ClientsToolbar key={q} q={q} type={type} />
      {list.total === 0 ? (
        q ? (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
            <p className="font-medium text-slate-800">No clients match “{q}”.</p>
            <p className="mt-1 text-sm text-slate-600">Search looks in client names and Client Ids.</p>
          </div>
        ) : (
          <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center">
            <p className="font-medium text-slate-800">This tenant has no {clientTypeLabel(type)}s yet.</p>
            <p className="mt-1 text-sm text-slate-600">
              Select <strong>Add Client</strong> in the toolbar to create one. You will get its Client Id
              {type === 'authorization_code' ? '' : ' and a Client Secret'} to use in your application.
            </p>
          </div>
        )
      ) : (
        <>
          <ClientsTable rows={list.rows} withSecrets={type !== 'authorization_code'} />
          <Pagination
            label="Clients pages"
            page={list.page}
            pageCount={list.pageCount}
            total={list.total}
            pageSize={list.pageSize}
            hrefFor={hrefFor}
          />
        </>
      )}
      <AddClientSheetLoader clientType={type} tenantRoles={tenantRoles} communityRoles={communityRoles} />
    </section>
  );
}
