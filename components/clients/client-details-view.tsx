'use client';

import { ChevronRight, ScrollText } from 'lucide-react';
import { Link } from '@/components/ui/link';
import { usePathname, useSearchParams } from 'next/navigation';
import type { ClientKeyRow } from '@/lib/clients/keys';
import type { ClientDetails } from '@/lib/clients/queries';
import type { RoleOption } from '@/lib/roles/queries';
import { Badge } from '@/components/ui/badge';
import { CopyButton } from '@/components/ui/copy-button';
import { DescriptionItem, DescriptionList, DescriptionText } from '@/components/ui/description-list';
import { LocalTime } from '@/components/ui/local-time';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import { ClientStatusControl, ClientToolbar } from './client-actions';
import { EditClientSheet } from './edit-client-sheet';
import { KeysPanel } from './keys-panel';
import { FederatedPanel } from './federated-panel';
import type { FederatedCredentialRow } from '@/lib/clients/federated/credentials';
import { SignInSettingsSection } from './sign-in-settings-section';
import { ApiAccessSection } from './api-access-section';
import type { ApiOption } from './edit-api-access-sheet';
import type { ClientApiAccess } from '@/lib/clients/api-access';
import { clientTypeLabel } from '@/lib/clients/client-types';
import { SecretsPanel } from './secrets-panel';
import { UsagePanel } from '@/components/usage/usage-panel';

type Props = {
  client: ClientDetails;
  keys: ClientKeyRow[];
  /** Federated credentials, and this server's issuer URL (their default audience). */
  federated?: { credentials: FederatedCredentialRow[]; audience: string };
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
  /** The tenant's APIs and the ones this client may get tokens for (API Access). */
  apis: ApiOption[];
  apiAccess: ClientApiAccess[];
};
const TABS = ['secrets', 'keys', 'federated', 'usage'];

/** A client's Details and Secrets tabs, with Edit Client, Disable/Enable Client and Remove Client. */
export function ClientDetailsView({ client, keys, federated, tenantRoles, communityRoles, apis, apiAccess }: Props) {
  const params = useSearchParams();
  const pathname = usePathname();
  // Authorization Code and Device Code clients are public: no secrets, so no Secrets tab. Keys (private_key_jwt) are for
  // client-credentials clients, whose token requests are the ones that authenticate with them.
  const hasSecrets = client.clientType === 'client_credentials' || client.clientType === 'hybrid';
  const hasKeys = client.clientType === 'client_credentials';
  const tabs = TABS.filter((t) => (t === 'secrets' ? hasSecrets : t === 'keys' || t === 'federated' ? hasKeys : true));
  const tab = tabs.find((t) => t === params.get('tab')) ?? 'details';
  const setTab = (value: string) => {
    const next = new URLSearchParams(params.toString());
    if (tabs.includes(value)) next.set('tab', value);
    else next.delete('tab');
    const qs = next.toString();
    window.history.replaceState(null, '', qs ? `${pathname}?${qs}` : pathname);
  };
  const tenantRoleNames = client.roles.filter((r) => r.scope === 'tenant');
  const communityRoleNames = client.roles.filter((r) => r.scope === 'community');

  return (
    <section className="space-y-5">
      <nav aria-label="Breadcrumb" className="flex min-w-0 items-center gap-1.5 text-sm text-slate-600">
        <Link href="/security/clients" className="inline-flex h-6 shrink-0 items-center text-brand-700 underline underline-offset-2 hover:no-underline">
          Clients
        </Link>
        <ChevronRight aria-hidden="true" className="h-4 w-4 shrink-0 text-slate-400" />
        <span className="truncate">{client.name}</span>
      </nav>
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0">
          <h1 className="text-2xl font-semibold tracking-tight break-words">{client.name}</h1>
          <p className="mt-1 text-sm text-slate-600">{clientTypeLabel(client.clientType)}</p>
        </div>
        <ClientToolbar clientId={client.id} name={client.name} secretCount={client.secrets.length} />
      </div>

      <Tabs value={tab} onValueChange={setTab}>
        <TabsList aria-label="Client">
          <TabsTrigger value="details">Details</TabsTrigger>
          {hasSecrets && <TabsTrigger value="secrets">Secrets ({client.secrets.length})</TabsTrigger>}
          {hasKeys && <TabsTrigger value="keys">Keys ({keys.length})</TabsTrigger>}
          {hasKeys && federated && <TabsTrigger value="federated">Federated Credentials ({federated.credentials.length})</TabsTrigger>}
          <TabsTrigger value="usage">Usage</TabsTrigger>
        </TabsList>
        <TabsContent value="details">
          <div className="max-w-3xl rounded-lg border border-slate-200 bg-white p-4 sm:p-5">
            <DescriptionList>
              <DescriptionItem label="Name">{client.name}</DescriptionItem>
              <DescriptionItem label="Client Id">
                <DescriptionText>
                  <code id="details-client-id" className="font-mono text-[0.8125rem] break-all">
                    {client.id}
                  </code>
                </DescriptionText>
                <CopyButton value={client.id} label="Copy Client Id" targetId="details-client-id" />
              </DescriptionItem>
              <DescriptionItem label="Status">
                <span className="flex py-1.5" data-testid="client-status">
                  {client.enabled ? <Badge tone="green">Enabled</Badge> : <Badge tone="neutral">Disabled</Badge>}
                </span>
                <ClientStatusControl clientId={client.id} name={client.name} enabled={client.enabled} />
                {!client.enabled && <p className="basis-full text-sm text-slate-600">A disabled client gets no tokens.</p>}
              </DescriptionItem>
              <DescriptionItem label="Token Lifetime">{`${client.tokenLifetime} seconds`}</DescriptionItem>
              <DescriptionItem label="Require DPoP">
                <span data-testid="client-require-dpop">{client.requireDpop ? 'Yes: every token is bound to the client’s key' : 'No'}</span>
              </DescriptionItem>
              <DescriptionItem label="Tenant Roles">{tenantRoleNames.map((r) => r.name).join(', ') || '—'}</DescriptionItem>
              <DescriptionItem label="Community Roles">{communityRoleNames.map((r) => r.name).join(', ') || 'None'}</DescriptionItem>
              <DescriptionItem label="Created">
                <DescriptionText>
                  <LocalTime value={client.createdAt} /> by {client.createdBy}
                </DescriptionText>
              </DescriptionItem>
              <DescriptionItem label="Updated">
                <DescriptionText>
                  <LocalTime value={client.updatedAt} /> by {client.updatedBy}
                </DescriptionText>
              </DescriptionItem>
            </DescriptionList>
          </div>
          {client.clientType !== 'client_credentials' && <SignInSettingsSection client={{ ...client, clientType: client.clientType }} />}
          <ApiAccessSection client={{ id: client.id, name: client.name, version: client.version }} apis={apis} access={apiAccess} />
          <p className="mt-4 text-sm">
            <Link href={`/security/audit-log?client=${client.id}`} className="inline-flex min-h-6 items-center gap-1.5 text-brand-700 hover:underline">
              <ScrollText aria-hidden="true" className="h-4 w-4" />
              View this client’s audit log
            </Link>
          </p>
        </TabsContent>
        {hasSecrets && (
          <TabsContent value="secrets">
            <SecretsPanel clientId={client.id} secrets={client.secrets} keyCount={hasKeys ? keys.length : 0} />
          </TabsContent>
        )}
        {hasKeys && (
          <TabsContent value="keys">
            <KeysPanel clientId={client.id} keys={keys} />
          </TabsContent>
        )}
        {hasKeys && federated && (
          <TabsContent value="federated">
            <FederatedPanel clientId={client.id} credentials={federated.credentials} audience={federated.audience} />
          </TabsContent>
        )}
        <TabsContent value="usage">
          <UsagePanel clientId={client.id} />
        </TabsContent>
      </Tabs>

      <EditClientSheet
        client={{
          id: client.id,
          name: client.name,
          tokenLifetime: client.tokenLifetime,
          requireDpop: client.requireDpop,
          version: client.version,
          roleIds: client.roles.map((r) => r.id),
          apiAccess,
        }}
        tenantRoles={tenantRoles}
        communityRoles={communityRoles}
        apis={apis}
      />
    </section>
  );
}
