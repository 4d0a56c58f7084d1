'use client';

import { removeCommunityAction } from '@/app/(console)/security/communities/actions';
import { useNotice } from '@/components/roles/notice';
import { PageHeader } from '@/components/roles/page-header';
import { plural } from '@/components/roles/plural';
import { useUrlPane } from '@/components/forms/use-url-pane';
import { Network, Plus } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { EmptyState } from '@/components/ui/empty-state';
import { ConfirmDialog } from '@/components/ui/dialog';
import { useConfirmedAction } from '@/components/ui/use-confirmed-action';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import type { CommunityRow } from '@/lib/communities/communities';
import { AddCommunitySheet } from './add-community-sheet';

/** Communities: the ones this tenant belongs to, with Add Community and, for the ones it administers, Remove. */
export function CommunitiesView({ communities }: { communities: CommunityRow[] }) {
  const [add, setAdd] = useUrlPane('add');
  const { notice, setNotice } = useNotice();
  const removal = useConfirmedAction((community: CommunityRow) => removeCommunityAction({ id: community.id }), {
    failure: 'The community could not be removed.',
    onDone: ({ name, clientCount, userCount }) =>
      setNotice(`Community "${name}" removed. Its roles were taken off ${plural(clientCount, 'client')} and ${plural(userCount, 'user')}.`),
  });
  const removing = removal.target;

  const addButton = (
    <Button onClick={() => setAdd('community')} aria-haspopup="dialog">
      <Plus aria-hidden="true" className="h-4 w-4" />
      Add Community
    </Button>
  );

  return (
    <section>
      <PageHeader
        title="Communities"
        // With no community yet, the empty list below offers Add Community instead.
        toolbar={communities.length > 0 ? addButton : undefined}
      >
        Communities this tenant belongs to. Their roles are what the Community Roles tab of a client lists.
      </PageHeader>
      {notice}
      <div className="mt-6">
        {communities.length === 0 ? (
          <EmptyState icon={Network} title="This tenant belongs to no community yet." action={addButton}>
            A community lets tenants share data: its roles can be given to clients and users of every member tenant.
            Add one to start; it comes with its own Community Member role.
          </EmptyState>
        ) : (
          <Table aria-label="Communities">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Administrative tenant</Th>
                <Th>Roles</Th>
                <Th className="text-right">Member tenants</Th>
                <Th className="text-right">Clients</Th>
                <Th className="text-right">Users</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {communities.map((c) => (
                <Tr key={c.id}>
                  <Td className="max-w-44 min-w-32 sm:max-w-sm">
                    <div className="font-medium break-words">{c.name}</div>
                    {c.description && <div className="mt-0.5 text-xs break-words text-slate-600">{c.description}</div>}
                  </Td>
                  <Td>{c.isAdmin ? 'This tenant' : c.adminTenantName}</Td>
                  <Td>
                    <ul className="space-y-0.5">
                      {c.roles.map((r) => (
                        <li key={r.id}>{r.name}</li>
                      ))}
                    </ul>
                  </Td>
                  <Td className="text-right tabular-nums">{c.memberTenantCount}</Td>
                  <Td className="text-right tabular-nums">{c.clientCount}</Td>
                  <Td className="text-right tabular-nums">{c.userCount}</Td>
                  <Td className="text-right whitespace-nowrap">
                    {c.isAdmin ? (
                      <Button size="sm" variant="ghost-danger" aria-label={`Remove ${c.name}`} onClick={() => removal.ask(c)}>
                        Remove
                      </Button>
                    ) : (
                      <span className="text-xs text-slate-500">Managed by {c.adminTenantName}</span>
                    )}
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        )}
      </div>

      <AddCommunitySheet open={add === 'community'} onClose={() => setAdd(null)} onDone={setNotice} />
      <ConfirmDialog
        {...removal.dialog}
        title={`Remove community "${removing?.name ?? ''}"?`}
        description={
          removing
            ? `Its roles are held by ${plural(removing.clientCount, 'client')} and ${plural(removing.userCount, 'user')}` +
              (removing.memberTenantCount > 1 ? `, in ${plural(removing.memberTenantCount, 'member tenant')}` : '') +
              '. Removing the community takes its roles off them. This cannot be undone.'
            : undefined
        }
        confirmLabel="Remove Community"
        variant="danger"
      />
    </section>
  );
}
