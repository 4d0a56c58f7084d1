'use client';

import { removeRoleAction } from '@/app/(console)/security/roles/actions';
import { Plus } from 'lucide-react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { useConfirmedAction } from '@/components/ui/use-confirmed-action';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import type { RoleWithHolders } from '@/lib/roles/roles';
import { useNotice } from './notice';
import { PageHeader } from './page-header';
import { plural } from './plural';
import { AddRoleSheet, EditRoleSheet } from './role-form';
import { useUrlPane } from '@/components/forms/use-url-pane';

/** Security > Roles: built-in roles first, then custom ones, with Add Role, Edit and Remove for custom roles. */
export function RolesView({ roles }: { roles: RoleWithHolders[] }) {
  const [add, setAdd] = useUrlPane('add');
  const [editId, setEditId] = useUrlPane('edit');
  const { notice, setNotice } = useNotice();
  const editing = roles.find((r) => r.id === editId && !r.builtIn);
  const removal = useConfirmedAction((role: RoleWithHolders) => removeRoleAction({ id: role.id }), {
    failure: 'The role could not be removed.',
    onDone: ({ name, clientCount, userCount }) =>
      setNotice(`Role "${name}" removed. It was taken off ${plural(clientCount, 'client')} and ${plural(userCount, 'user')}.`),
  });
  const removing = removal.target;

  return (
    <section>
      <PageHeader
        title="Roles"
        toolbar={
          <Button onClick={() => setAdd('role')} aria-haspopup="dialog">
            <Plus aria-hidden="true" className="h-4 w-4" />
            Add Role
          </Button>
        }
      >
        The roles of this tenant. Built-in roles cannot be renamed or removed; custom roles have no permissions by default.
      </PageHeader>
      {notice}
      <div className="mt-6">
        <Table aria-label="Roles">
          <THead>
            <Tr>
              <Th>Name</Th>
              <Th>Description</Th>
              <Th className="text-right">Users</Th>
              <Th className="text-right">Clients</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </Tr>
          </THead>
          <TBody>
            {roles.map((role) => (
              <Tr key={role.id}>
                <Td className="max-w-40 min-w-32 font-medium sm:max-w-none sm:whitespace-nowrap">
                  <span className="break-words">{role.name}</span>
                  {role.builtIn && (
                    <span className="mt-1 block w-fit rounded bg-slate-100 px-1.5 py-0.5 text-xs font-normal text-slate-600 sm:mt-0 sm:ml-2 sm:inline">
                      Built-in
                    </span>
                  )}
                </Td>
                <Td className="max-w-md min-w-56 text-slate-700">{role.description || <span className="text-slate-500">None</span>}</Td>
                <Td className="text-right tabular-nums">{role.userCount}</Td>
                <Td className="text-right tabular-nums">{role.clientCount}</Td>
                <Td className="text-right whitespace-nowrap">
                  {!role.builtIn && (
                    <span className="inline-flex gap-1">
                      <Button size="sm" variant="ghost" aria-label={`Edit ${role.name}`} onClick={() => setEditId(role.id)}>
                        Edit
                      </Button>
                      <Button size="sm" variant="ghost-danger" aria-label={`Remove ${role.name}`} onClick={() => removal.ask(role)}>
                        Remove
                      </Button>
                    </span>
                  )}
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </div>

      <AddRoleSheet open={add === 'role'} onClose={() => setAdd(null)} onDone={setNotice} />
      {editing && <EditRoleSheet key={editing.id} role={editing} onClose={() => setEditId(null)} onDone={setNotice} />}
      <ConfirmDialog
        {...removal.dialog}
        title={`Remove role "${removing?.name ?? ''}"?`}
        description={
          removing
            ? `It is held by ${plural(removing.clientCount, 'client')} and ${plural(removing.userCount, 'user')}. Removing the role takes it off them. This cannot be undone.`
            : undefined
        }
        confirmLabel="Remove Role"
        variant="danger"
      />
    </section>
  );
}
