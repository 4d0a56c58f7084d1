import type { Metadata } from 'next';
import { headers } from 'next/headers';
import { publicOrigin } from '@/lib/http/public-origin';
import { listFederatedCredentials } from '@/lib/clients/federated/credentials';
import { listApiOptions } from '@/lib/apis/apis';
import { listClientApiAccess } from '@/lib/clients/api-access';
import { notFound } from 'next/navigation';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { listKeys } from '@/lib/clients/keys';
import { getClientDetails } from '@/lib/clients/queries';
import { listCommunityRoles, listTenantRoles } from '@/lib/roles/queries';
import { ClientDetailsView } from '@/components/clients/client-details-view';

export const metadata: Metadata = { title: 'Client details' };

export default async function ClientDetailsPage({ params }: { params: Promise<{ clientId: string }> }) {
  const { clientId } = await params;
  const user = await requireAdminPage(`/security/clients/${encodeURIComponent(clientId)}`);
  const db = await getDb();
  // Another tenant's client is "not found", exactly like an id that does not exist.
  const client = await getClientDetails(db, user.tenantId, clientId);
  if (!client) notFound();
  const [tenantRoles, communityRoles, keys, federated, apis, apiAccess] = await Promise.all([
    listTenantRoles(db, user.tenantId),
    listCommunityRoles(db, user.tenantId),
    listKeys(db, client.id),
    listFederatedCredentials(db, client.id),
    listApiOptions(db, user.tenantId),
    listClientApiAccess(db, user.tenantId, client.id),
  ]);
  // A federated credential's default audience: this server's issuer URL, as the token endpoint computes it.
  const h = await headers();
  const issuer = `${publicOrigin(h, `http://${h.get('host') ?? 'localhost'}`)}/identity`;
  return (
    <ClientDetailsView
      client={client}
      keys={keys}
      federated={{ credentials: federated, audience: issuer }}
      tenantRoles={tenantRoles}
      communityRoles={communityRoles}
      apis={apis}
      apiAccess={apiAccess}
    />
  );
}
