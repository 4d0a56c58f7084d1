'use client';

import { ScopeChips } from '@/components/apis/scope-chips';
import { Button } from '@/components/ui/button';
import { DescriptionItem, DescriptionList, DescriptionText } from '@/components/ui/description-list';
import type { ClientApiAccess } from '@/lib/clients/api-access';
import { EditApiAccessSheet, type ApiOption } from './edit-api-access-sheet';
import { usePaneParam } from '@/components/forms/use-url-pane';

/** API Access of a client on its Details tab: the APIs it may get tokens for (RFC 8707), with Edit API Access. */
export function ApiAccessSection({
  client,
  apis,
  access,
}: {
  client: { id: string; name: string; version: number };
  /** The tenant's APIs, offered in the pane. */
  apis: ApiOption[];
  access: ClientApiAccess[];
}) {
  const pane = usePaneParam('edit', 'api-access');
  return (
    <section aria-labelledby="api-access-heading" className="mt-5 max-w-3xl rounded-lg border border-slate-200 bg-white p-4 sm:p-5">
      <div className="mb-2 flex flex-wrap items-center justify-between gap-3">
        <h2 id="api-access-heading" className="text-lg font-semibold">
          API Access
        </h2>
        <Button size="sm" variant="secondary" onClick={pane.open} aria-haspopup="dialog">
          Edit API Access
        </Button>
      </div>
      <p className="mb-4 text-sm text-slate-600">
        The APIs this client may get tokens for, asking with <code className="font-mono text-[0.8125rem]">resource=&lt;identifier&gt;</code>.
      </p>
      {access.length === 0 ? (
        <p className="text-sm text-slate-600" data-testid="api-access-none">
          None
        </p>
      ) : (
        <DescriptionList>
          {access.map((a) => (
            <DescriptionItem key={a.apiId} label={<span className="break-words text-slate-800">{a.name}</span>}>
              <div className="min-w-0 space-y-1.5 py-1.5">
                <code className="block font-mono text-[0.8125rem] break-all">{a.identifier}</code>
                {a.scopes === null ? (
                  <DescriptionText className="block py-0 text-slate-700">All scopes</DescriptionText>
                ) : (
                  <ScopeChips scopes={a.scopes} label={`Scopes of ${a.name} for this client`} />
                )}
              </div>
            </DescriptionItem>
          ))}
        </DescriptionList>
      )}
      <EditApiAccessSheet client={client} apis={apis} access={access} />
    </section>
  );
}
