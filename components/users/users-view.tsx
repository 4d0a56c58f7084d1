'use client';

import { useState } from 'react';
import { removeUserAction } from '@/app/(console)/security/users/actions';
import { useNotice } from '@/components/roles/notice';
import { PageHeader } from '@/components/roles/page-header';
import { useUrlPane } from '@/components/roles/use-url-pane';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import type { RoleOption } from '@/lib/roles/queries';
import type { UserRow } from '@/lib/users/users';
import { EditUserRolesSheet } from './edit-user-roles-sheet';
import { InviteUserSheet } from './invite-user-sheet';
import { UserInvitedDialog, type InvitedUser } from './user-invited-dialog';
import { mfaSummary, ResetMfaButton } from './reset-mfa';
import type { UserMfaStatus } from '@/lib/auth/mfa/admin-actions';

type UsersViewProps = {
  users: UserRow[];
  choices: { tenantRoles: RoleOption[]; communityRoles: RoleOption[] };
  currentUserId: string;
  /** Each user's second factors (no entry: none). */
  mfa: Record<string, UserMfaStatus>;
};

/** Security > Users: the tenant's users and their roles, with Invite User, Edit Roles and Remove. */
export function UsersView({ users, choices, currentUserId, mfa }: UsersViewProps) {
  const [invite, setInvite] = useUrlPane('invite');
  const [editId, setEditId] = useUrlPane('roles');
  // The one place the initial password lives: client state, dropped when its dialog closes.
  const [invited, setInvited] = useState<InvitedUser | null>(null);
  const [removing, setRemoving] = useState<UserRow | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const { notice, setNotice } = useNotice();
  const editing = users.find((u) => u.id === editId);

  async function remove() {
    if (!removing) return;
    setRemoveError(null);
    const result = await removeUserAction({ userId: removing.id });
    if (!result.ok) {
      setRemoveError(result.formError ?? 'The user could not be removed.');
      return false;
    }
    setNotice(`User ${result.data.email} removed.`);
    setRemoving(null);
  }

  return (
    <section>
      <PageHeader
        title="Users"
        toolbar={
          <Button id="invite-user-button" onClick={() => setInvite('user')} aria-haspopup="dialog">
            Invite User
          </Button>
        }
      >
        People who sign in to this tenant. Every user has Tenant Member; the last Tenant Administrator keeps that role.
      </PageHeader>
      {notice}
      <div className="mt-6">
        <Table aria-label="Users">
          <THead>
            <Tr>
              <Th>Name</Th>
              <Th>Email</Th>
              <Th>Roles</Th>
              <Th>MFA</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </Tr>
          </THead>
          <TBody>
            {users.map((u) => (
              <Tr key={u.id}>
                <Td className="font-medium whitespace-nowrap">
                  {u.name}
                  {u.id === currentUserId && <span className="ml-2 text-xs font-normal text-slate-500">(you)</span>}
                </Td>
                <Td className="whitespace-nowrap">{u.email}</Td>
                <Td>
                  <ul aria-label={`Roles of ${u.email}`} className="flex flex-wrap gap-1">
                    {u.roles.map((r) => (
                      <li
                        key={r.id}
                        className={`rounded px-1.5 py-0.5 text-xs ${r.scope === 'community' ? 'bg-emerald-50 text-emerald-800' : 'bg-slate-100 text-slate-700'}`}
                      >
                        {r.name}
                      </li>
                    ))}
                  </ul>
                </Td>
                <Td className="whitespace-nowrap">{mfaSummary(mfa[u.id])}</Td>
                <Td className="text-right whitespace-nowrap">
                  <span className="inline-flex gap-1">
                    {u.id !== currentUserId && mfa[u.id] && <ResetMfaButton email={u.email} userId={u.id} onDone={setNotice} />}
                    <Button size="sm" variant="ghost" aria-label={`Edit Roles of ${u.email}`} onClick={() => setEditId(u.id)}>
                      Edit Roles
                    </Button>
                    {u.id !== currentUserId && (
                      <Button
                        size="sm"
                        variant="ghost"
                        className="text-red-700! hover:bg-red-50"
                        aria-label={`Remove ${u.email}`}
                        onClick={() => {
                          setRemoveError(null);
                          setRemoving(u);
                        }}
                      >
                        Remove
                      </Button>
                    )}
                  </span>
                </Td>
              </Tr>
            ))}
          </TBody>
        </Table>
      </div>

      <InviteUserSheet open={invite === 'user'} onClose={() => setInvite(null)} onInvited={setInvited} choices={choices} />
      {invited && (
        <UserInvitedDialog
          invited={invited}
          onClose={() => setInvited(null)}
          returnFocus={() => document.getElementById('invite-user-button')}
        />
      )}
      {editing && (
        <EditUserRolesSheet key={editing.id} user={editing} choices={choices} onClose={() => setEditId(null)} onDone={setNotice} />
      )}
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove user ${removing?.email ?? ''}?`}
        description="They will no longer be able to sign in to this tenant. This cannot be undone."
        confirmLabel="Remove User"
        variant="danger"
        onConfirm={remove}
        error={removeError}
      />
    </section>
  );
}
