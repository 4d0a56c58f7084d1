'use client';

import { Plus, Server } from 'lucide-react';
import { useState } from 'react';
import { removeApiAction } from '@/app/(console)/security/apis/actions';
import { useNotice } from '@/components/roles/notice';
import { PageHeader } from '@/components/roles/page-header';
import { plural } from '@/components/roles/plural';
import { useUrlPane } from '@/components/forms/use-url-pane';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { EmptyState } from '@/components/ui/empty-state';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import { useConfirmedAction } from '@/components/ui/use-confirmed-action';
import type { ApiRow } from '@/lib/apis/apis';
import { AddApiSheet, EditApiSheet } from './api-form';
import { ScopeChips } from './scope-chips';

type ApiListItem = Pick<ApiRow, 'id' | 'name' | 'identifier' | 'scopes' | 'version' | 'clientCount'>;

/** Security > APIs: the tenant's APIs (RFC 8707 resource indicators), with Add API, Edit and Remove. */
export function ApisView({ apis }: { apis: ApiListItem[] }) {
  const [add, setAdd] = useUrlPane('add');
  const [editId, setEditId] = useUrlPane('edit');
  const { notice, setNotice } = useNotice();
  // The API just added: its row's Edit button takes focus if the opener went away (the empty list's Add API).
  const [added, setAdded] = useState<string | null>(null);
  const editing = apis.find((a) => a.id === editId);
  const removal = useConfirmedAction((api: ApiListItem) => removeApiAction({ id: api.id }), {
    failure: 'The API could not be removed.',
    onDone: ({ name, clientCount }) => setNotice(`API "${name}" removed. ${plural(clientCount, 'client')} lost access to it.`),
  });
  const removing = removal.target;

  const addButton = (
    <Button onClick={() => setAdd('api')} aria-haspopup="dialog">
      <Plus aria-hidden="true" className="h-4 w-4" />
      Add API
    </Button>
  );

  return (
    <section>
      <PageHeader title="APIs" toolbar={apis.length > 0 ? addButton : undefined}>
        A client asks for a token for one API with <code className="font-mono text-[0.8125rem]">resource=&lt;identifier&gt;</code>: the
        token’s aud is that identifier, and its scope is limited to what the client was granted.
      </PageHeader>
      {notice}
      <div className="mt-6">
        {apis.length === 0 ? (
          <EmptyState icon={Server} title="This tenant has no API yet." action={addButton}>
            Add the APIs your clients call, with their scopes. Each token is then issued for one API, so a resource
            server accepts only the tokens meant for it, with the scopes the client was granted.
          </EmptyState>
        ) : (
          <Table aria-label="APIs">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Identifier</Th>
                <Th>Scopes</Th>
                <Th className="text-right">Clients</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {apis.map((api) => (
                <Tr key={api.id}>
                  <Td className="max-w-44 min-w-32 font-medium break-words sm:max-w-xs">{api.name}</Td>
                  <Td className="max-w-64 min-w-48">
                    <code className="font-mono text-[0.8125rem] break-all">{api.identifier}</code>
                  </Td>
                  <Td className="max-w-sm min-w-40">
                    <ScopeChips scopes={api.scopes} label={`Scopes of ${api.name}`} />
                  </Td>
                  <Td className="text-right tabular-nums">{api.clientCount}</Td>
                  <Td className="text-right whitespace-nowrap">
                    <span className="inline-flex gap-1">
                      <Button
                        ref={(el) => {
                          if (el && api.id === added) {
                            setAdded(null);
                            // No sideways scroll of a phone's table to reach it.
                            if (document.activeElement === document.body) el.focus({ preventScroll: true });
                          }
                        }}
                        size="sm"
                        variant="ghost"
                        aria-label={`Edit API ${api.name}`}
                        aria-haspopup="dialog"
                        onClick={() => setEditId(api.id)}
                      >
                        Edit
                      </Button>
                      <Button size="sm" variant="ghost-danger" aria-label={`Remove API ${api.name}`} onClick={() => removal.ask(api)}>
                        Remove
                      </Button>
                    </span>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </div>

      <AddApiSheet
        open={add === 'api'}
        onClose={() => setAdd(null)}
        onDone={(api) => {
          setAdded(api.id);
          setNotice(`API "${api.name}" added.`);
        }}
      />
      {editing && (
        <EditApiSheet key={`${editing.id}:${editing.version}`} api={editing} onClose={() => setEditId(null)} onDone={setNotice} />
      )}
      <ConfirmDialog
        {...removal.dialog}
        title={`Remove API "${removing?.name ?? ''}"?`}
        description={
          removing
            ? (removing.clientCount === 0
                ? 'No client has access to it.'
                : `${plural(removing.clientCount, 'client')} ${removing.clientCount === 1 ? 'loses' : 'lose'} access to it: they can no longer get tokens for ${removing.identifier}.`) +
              ' This cannot be undone.'
            : undefined
        }
        confirmLabel="Remove API"
        variant="danger"
      />
    </section>
  );
}
