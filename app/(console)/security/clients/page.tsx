import { Activity, KeyRound, SearchX } from 'lucide-react';
import type { Metadata } from 'next';
import { Link } from '@/components/ui/link';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { searchText } from '@/lib/db/search';
import { clientTypeLabel, isClientType, type ClientType } from '@/lib/clients/client-types';
import { listClients } from '@/lib/clients/queries';
import { getThresholds } from '@/lib/notifications/channels';
import { listCommunityRoles, listTenantRoles } from '@/lib/roles/queries';
import { tokensLast7Days } from '@/lib/usage/activity';
import { AddClientSheetLoader } from '@/components/clients/add-client-sheet-loader';
import { listApiOptions } from '@/lib/apis/apis';
import { ClientsTable } from '@/components/clients/clients-table';
import { PreloadClientDetails } from '@/components/clients/preload-client-details';
import { AddClientButton, ClientsToolbar } from '@/components/clients/clients-toolbar';
import { Pagination } from '@/components/clients/pagination';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';

export const metadata: Metadata = { title: 'Clients' };

const TYPE_DESCRIPTIONS: Record<ClientType, string> = {
  client_credentials: 'Client-credentials clients let servers get access tokens for this tenant without a user.',
  authorization_code:
    'Authorization Code clients are browser and native apps that sign this tenant’s users in with PKCE. They have no secret.',
  hybrid: 'Hybrid clients are server-side web apps that sign this tenant’s users in and authenticate with a secret.',
  device_code:
    'Device Code clients are TVs, CLIs and devices without a browser: the user approves them on another screen at /device. They have no secret.',
};

/** Why a tenant would add the first client of each type (the empty list's message). */
const EMPTY_WHY: Record<ClientType, string> = {
  client_credentials: 'Add one for each service or script that calls your APIs on its own, so each can be disabled alone.',
  authorization_code: 'Add one for each single-page or mobile app whose users sign in with this tenant.',
  hybrid: 'Add one for each server-rendered web app whose users sign in with this tenant.',
  device_code: 'Add one for each command-line tool or device whose users sign in with this tenant from another screen.',
};

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function ClientsPage({ searchParams }: { searchParams: SearchParams }) {
  // Dynamic by nature (session + database): nothing here is prerendered or cached, and no secret is ever rendered.
  const user = await requireAdminPage('/security/clients');
  const sp = await searchParams;
  const q = searchText(one(sp.q));
  const type: ClientType = isClientType(one(sp.type)) ? (one(sp.type) as ClientType) : 'client_credentials';
  const page = Number.parseInt(one(sp.page), 10) || 1;
  // Usage (tokens per client, the unused filter) is counted for clients with credentials: not public ones
  // (Authorization Code, Device Code).
  const withUsage = type !== 'authorization_code' && type !== 'device_code';
  const unused = withUsage && one(sp.unused) === '1';

  const db = await getDb();
  const { unusedDays } = await getThresholds(db, user.tenantId);
  const [list, tenantRoles, communityRoles, apis] = await Promise.all([
    listClients(db, user.tenantId, { q, page, type, unusedDays: unused ? unusedDays : undefined }),
    listTenantRoles(db, user.tenantId),
    listCommunityRoles(db, user.tenantId),
    listApiOptions(db, user.tenantId),
  ]);
  // One grouped query for the rows of this page only.
  const tokens = withUsage ? Object.fromEntries(await tokensLast7Days(db, list.rows.map((r) => r.id))) : undefined;

  const hrefFor = (p: number, search = q, unusedOn = unused) => {
    const params = new URLSearchParams();
    if (search) params.set('q', search);
    if (type !== 'client_credentials') params.set('type', type);
    if (unusedOn) params.set('unused', '1');
    if (p > 1) params.set('page', String(p));
    const qs = params.toString();
    return qs ? `/security/clients?${qs}` : '/security/clients';
  };

  return (
    <section className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Clients</h1>
        <p className="mt-1 text-sm text-slate-600">{TYPE_DESCRIPTIONS[type]}</p>
      </div>
      <ClientsToolbar
        key={q}
        q={q}
        type={type}
        showAdd={list.total > 0 || q !== '' || unused}
        unused={withUsage ? { days: unusedDays, on: unused, href: hrefFor(1, q, !unused) } : undefined}
      />
      {list.total === 0 ? (
        unused ? (
          <EmptyState
            icon={Activity}
            title={`No clients unused for ${unusedDays} days.`}
            action={
              <Link href={hrefFor(1, q, false)} className={buttonClasses({ variant: 'secondary' })}>
                Show all {clientTypeLabel(type)}s
              </Link>
            }
          >
            {q ? `Among the clients matching “${q}”, every` : 'Every'} enabled {clientTypeLabel(type)} got a token (or was created) in the
            last {unusedDays} days. The number of days is set on the Notifications page.
          </EmptyState>
        ) : q ? (
          <EmptyState
            icon={SearchX}
            title={`No clients match “${q}”.`}
            action={
              <Link href={hrefFor(1, '')} className={buttonClasses({ variant: 'secondary' })}>
                Show all {clientTypeLabel(type)}s
              </Link>
            }
          >
            Search looks in client names and Client Ids.
          </EmptyState>
        ) : (
          <EmptyState icon={KeyRound} title={`This tenant has no ${clientTypeLabel(type)}s yet.`} action={<AddClientButton type={type} />}>
            {EMPTY_WHY[type]} You get its Client Id{type === 'authorization_code' ? '' : ' and a Client Secret'} to use in your
            application.
          </EmptyState>
        )
      ) : (
        <>
          <ClientsTable rows={list.rows} withSecrets={type !== 'authorization_code'} tokens={tokens} />
          <PreloadClientDetails />
          <Pagination
            label="Clients pages"
            noun={['client', 'clients']}
            page={list.page}
            pageCount={list.pageCount}
            total={list.total}
            pageSize={list.pageSize}
            hrefFor={hrefFor}
          />
        </>
      )}
      <AddClientSheetLoader clientType={type} tenantRoles={tenantRoles} communityRoles={communityRoles} apis={apis} />
    </section>
  );
}
