import { ScrollText, SearchX } from 'lucide-react';
import type { Metadata } from 'next';
import { Link } from '@/components/ui/link';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { searchText } from '@/lib/db/search';
import { listAuditEvents } from '@/lib/audit/queries';
import { AuditFilter } from '@/components/audit/audit-filter';
import { AuditTable } from '@/components/audit/audit-table';
import { Pagination } from '@/components/clients/pagination';
import { buttonClasses } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';

export const metadata: Metadata = { title: 'Audit Log' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function AuditLogPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireAdminPage('/security/audit-log');
  const sp = await searchParams;
  const client = searchText(one(sp.client));
  const page = Number.parseInt(one(sp.page), 10) || 1;
  const log = await listAuditEvents(await getDb(), user.tenantId, { client, page });
  const hrefFor = (p: number) => {
    const params = new URLSearchParams();
    if (client) params.set('client', client);
    if (p > 1) params.set('page', String(p));
    const qs = params.toString();
    return qs ? `/security/audit-log?${qs}` : '/security/audit-log';
  };

  return (
    <section className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Audit Log</h1>
        <p className="mt-1 text-sm text-slate-600">Every change in this tenant, newest first: who did what, to which client, and what changed.</p>
      </div>
      <AuditFilter key={client} client={client} />
      {log.total === 0 ? (
        client ? (
          <EmptyState
            icon={SearchX}
            title={`No audit events for a client matching “${client}”.`}
            action={
              <Link href="/security/audit-log" className={buttonClasses({ variant: 'secondary' })}>
                Show all events
              </Link>
            }
          >
            The filter looks for a Client Id or part of a client’s name.
          </EmptyState>
        ) : (
          <EmptyState
            icon={ScrollText}
            title="No audit events yet."
            action={
              <Link href="/security/clients" className={buttonClasses({ variant: 'secondary' })}>
                Go to Clients
              </Link>
            }
          >
            Every change to this tenant’s clients, secrets, keys, roles and users is recorded here with who made it, so a
            security review can trace it later.
          </EmptyState>
        )
      ) : (
        <>
          <AuditTable rows={log.rows} />
          <Pagination
            label="Audit log pages"
            noun={['event', 'events']}
            page={log.page}
            pageCount={log.pageCount}
            total={log.total}
            pageSize={log.pageSize}
            hrefFor={hrefFor}
          />
        </>
      )}
    </section>
  );
}
