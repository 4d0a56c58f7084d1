'use client';

import { useState } from 'react';
import {
  clearSignInLockAction,
  endUserSessionsAction,
  removeUserAction,
  resetPasswordAction,
} from '@/app/(console)/security/users/actions';
import { useNotice } from '@/components/roles/notice';
import { PageHeader } from '@/components/roles/page-header';
import { useUrlPane } from '@/components/forms/use-url-pane';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { useConfirmedAction } from '@/components/ui/use-confirmed-action';
import { DropdownMenu } from '@/components/ui/dropdown-menu';
import { LocalTime } from '@/components/ui/local-time';
import { focusPlacedElsewhere } from '@/components/ui/restore-focus';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import type { RoleOption } from '@/lib/roles/queries';
import type { UserSignInStatus } from '@/lib/users/passwords';
import type { UserRow } from '@/lib/users/users';
import { EditUserRolesSheet } from './edit-user-roles-sheet';
import { InviteUserSheet } from './invite-user-sheet';
import { PasswordResetDialog, type PasswordReset } from './password-reset-dialog';
import { UserInvitedDialog, type InvitedUser } from './user-invited-dialog';
import { mfaSummary, ResetMfaButton } from './reset-mfa';
import type { UserMfaStatus } from '@/lib/auth/mfa/admin-actions';

type UsersViewProps = {
  users: UserRow[];
  /** Open sessions and sign-in lock of each user, by id. */
  signIn: Record<string, UserSignInStatus>;
  choices: { tenantRoles: RoleOption[]; communityRoles: RoleOption[] };
  currentUserId: string;
  /** Each user's second factors (no entry: none). */
  mfa: Record<string, UserMfaStatus>;
};

type SignInAction = { kind: 'reset' | 'sessions'; user: UserRow };
const unreachable = 'The server could not be reached. Nothing was changed; try again.';

/**
 * Security > Users: the tenant's users and their roles, with Invite User, Edit Roles and Remove; each user's open
 * sessions and sign-in lock, with Reset password, Sign out all sessions and Clear lock.
 */
export function UsersView({ users, signIn, choices, currentUserId, mfa }: UsersViewProps) {
  const [invite, setInvite] = useUrlPane('invite');
  const [editId, setEditId] = useUrlPane('roles');
  // The one place the initial password lives: client state, dropped when its dialog closes.
  const [invited, setInvited] = useState<InvitedUser | null>(null);
  const { notice, setNotice } = useNotice();
  const editing = users.find((u) => u.id === editId);
  const [confirming, setConfirming] = useState<SignInAction | null>(null);
  const [confirmError, setConfirmError] = useState<string | null>(null);
  // The one place a one-time password lives: client state, dropped when its dialog closes.
  const [passwordReset, setPasswordReset] = useState<PasswordReset | null>(null);

  async function confirmSignInAction() {
    if (!confirming) return;
    setConfirmError(null);
    const { kind, user } = confirming;
    if (kind === 'reset') {
      const result = await resetPasswordAction({ userId: user.id }).catch(() => null);
      if (!result?.ok) {
        setConfirmError(result?.formError ?? unreachable);
        return false;
      }
      setConfirming(null);
      setPasswordReset(result.data);
      return;
    }
    const result = await endUserSessionsAction({ userId: user.id }).catch(() => null);
    if (!result?.ok) {
      setConfirmError(result?.formError ?? unreachable);
      return false;
    }
    const n = result.data.sessionsEnded;
    setNotice(`Signed out ${n === 1 ? '1 session' : `${n} sessions`} of ${result.data.email}.`);
    setConfirming(null);
  }

  async function clearLock(user: UserRow) {
    const result = await clearSignInLockAction({ userId: user.id }).catch(() => null);
    setNotice(result?.ok ? `Sign-in lock of ${result.data.email} cleared.` : (result?.formError ?? unreachable));
  }

  const removal = useConfirmedAction((user: UserRow) => removeUserAction({ userId: user.id }), {
    failure: 'The user could not be removed.',
    onDone: ({ email }) => setNotice(`User ${email} removed.`),
  });

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
              <Th>Sign-in</Th>
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
                <Td className="min-w-48">
                  <ul aria-label={`Roles of ${u.email}`} className="flex flex-wrap gap-1">
                    {u.roles.map((r) => (
                      <li
                        key={r.id}
                        className={`rounded px-1.5 py-0.5 text-xs whitespace-nowrap ${r.scope === 'community' ? 'bg-emerald-50 text-emerald-800' : 'bg-slate-100 text-slate-700'}`}
                      >
                        {r.name}
                      </li>
                    ))}
                  </ul>
                </Td>
                <Td className="min-w-32">
                  <SignInCell status={signIn[u.id]} onClearLock={() => void clearLock(u)} email={u.email} />
                </Td>
                <Td className="whitespace-nowrap">{mfaSummary(mfa[u.id])}</Td>
                <Td className="text-right whitespace-nowrap">
                  <span className="inline-flex gap-1">
                    {u.id !== currentUserId && mfa[u.id] && <ResetMfaButton email={u.email} userId={u.id} onDone={setNotice} />}
                    <Button size="sm" variant="ghost" aria-label={`Edit Roles of ${u.email}`} onClick={() => setEditId(u.id)}>
                      Edit Roles
                    </Button>
                    {u.id !== currentUserId && (
                      <DropdownMenu
                        trigger={
                          <Button size="sm" variant="ghost" aria-label={`Sign-in options for ${u.email}`}>
                            Sign-in
                            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
                              <path d="M5.5 7.5L10 12l4.5-4.5z" />
                            </svg>
                          </Button>
                        }
                        items={[
                          { label: 'Reset password', onSelect: () => (setConfirmError(null), setConfirming({ kind: 'reset', user: u })) },
                          {
                            label: 'Sign out all sessions',
                            disabled: (signIn[u.id]?.activeSessions ?? 0) === 0,
                            onSelect: () => (setConfirmError(null), setConfirming({ kind: 'sessions', user: u })),
                          },
                        ]}
                      />
                    )}
                    {u.id !== currentUserId && (
                      <Button size="sm" variant="ghost-danger" aria-label={`Remove ${u.email}`} onClick={() => removal.ask(u)}>
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
          onClose={() => {
            setInvited(null);
            // Back on Invite User once everything closing has settled (the pane behind this window returns focus at
            // the end of its own animation, and a quick close here could otherwise leave focus nowhere), unless the
            // user has already moved on to another control (a menu opened right after Close would close again).
            setTimeout(() => {
              if (!focusPlacedElsewhere(document.activeElement)) document.getElementById('invite-user-button')?.focus();
            }, 50);
          }}
          returnFocus={() => document.getElementById('invite-user-button')}
        />
      )}
      {editing && (
        <EditUserRolesSheet key={editing.id} user={editing} choices={choices} onClose={() => setEditId(null)} onDone={setNotice} />
      )}
      <ConfirmDialog
        open={confirming !== null}
        onOpenChange={(open) => !open && setConfirming(null)}
        title={
          confirming?.kind === 'reset'
            ? `Reset the password of ${confirming.user.email}?`
            : `Sign out all sessions of ${confirming?.user.email ?? ''}?`
        }
        description={
          confirming?.kind === 'reset'
            ? 'They get a one-time password, shown to you once, which they must replace when they next sign in. Their current password stops working and all their sessions end now.'
            : 'Every browser where they are signed in is signed out at its next request. They can sign in again.'
        }
        confirmLabel={confirming?.kind === 'reset' ? 'Reset password' : 'Sign out all sessions'}
        variant="danger"
        onConfirm={confirmSignInAction}
        error={confirmError}
      />
      {passwordReset && <PasswordResetDialog reset={passwordReset} onClose={() => setPasswordReset(null)} />}
      <ConfirmDialog
        {...removal.dialog}
        title={`Remove user ${removal.target?.email ?? ''}?`}
        description="They will no longer be able to sign in to this tenant. This cannot be undone."
        confirmLabel="Remove User"
        variant="danger"
      />
    </section>
  );
}

/** Open sessions, and a lock in force after too many failed sign-ins (with Clear lock). */
function SignInCell({ status, email, onClearLock }: { status?: UserSignInStatus; email: string; onClearLock: () => void }) {
  const sessions = status?.activeSessions ?? 0;
  return (
    <div className="space-y-1 text-sm">
      <p className="text-slate-700">{sessions === 0 ? 'No open sessions' : sessions === 1 ? '1 open session' : `${sessions} open sessions`}</p>
      {status?.lockedUntil && (
        <div className="flex flex-col items-start gap-1">
          <span className="rounded bg-red-50 px-1.5 py-0.5 text-xs font-medium text-red-800">
            Locked until <LocalTime value={status.lockedUntil} />
          </span>
          <Button size="sm" variant="secondary" aria-label={`Clear lock of ${email}`} onClick={onClearLock}>
            Clear lock
          </Button>
        </div>
      )}
    </div>
  );
}
