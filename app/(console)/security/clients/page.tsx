import type { Metadata } from 'next';
import { desc, eq } from 'drizzle-orm';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { clients } from '@/lib/db/schema';

export const metadata: Metadata = { title: 'Clients' };

export default async function ClientsPage() {
  const user = await requireAdminPage('/security/clients');
  const db = await getDb();
  const rows = await db
    .select({ id: clients.id, name: clients.name })
    .from(clients)
    .where(eq(clients.tenantId, user.tenantId))
    .orderBy(desc(clients.createdAt))
    .limit(50);
  return (
    <section>
      <h1 className="text-2xl font-semibold">Clients</h1>
      {rows.length === 0 ? (
        <p className="mt-6 text-slate-700">This tenant has no clients yet.</p>
      ) : (
        <ul className="mt-6">
          {rows.map((r) => (
            <li key={r.id}>
              {r.name} <code>{r.id}</code>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
