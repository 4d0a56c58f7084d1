import type { Metadata } from 'next';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listAuditEvents } from '@/lib/audit/queries';
import { AuditFilter } from '@/components/audit/audit-filter';
import { AuditTable } from '@/components/audit/audit-table';
import { Pagination } from '@/components/clients/pagination';

export const metadata: Metadata = { title: 'Audit Log' };

type SearchParams = Promise<Record<string, string | string[] | undefined>>;
const one = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v) ?? '';

export default async function AuditLogPage({ searchParams }: { searchParams: SearchParams }) {
  const user = await requireAdminPage('/security/audit-log');
  const sp = await searchParams;
  const client = one(sp.client).trim().slice(0, 100);
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
        <h1 className="text-2xl font-semibold">Audit Log</h1>
        <p className="mt-1 text-sm text-slate-600">Every change in this tenant, newest first: who did what, to which client, and what changed.</p>
      </div>
      <AuditFilter key={client} client={client} />
      {log.total === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-10 text-center text-slate-700">
          {client ? `No audit events for a client matching “${client}”.` : 'No audit events yet.'}
        </div>
      ) : (
        <>
          <AuditTable rows={log.rows} />
          <Pagination
            label="Audit log pages"
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
