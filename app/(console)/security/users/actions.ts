'use server';

import { revalidatePath } from 'next/cache';
import { getSessionUser } from '@/lib/auth/session';
import { userAdminActions } from '@/lib/users/admin-actions';
import { mfaAdminActions } from '@/lib/auth/mfa/admin-actions';
import { endUserSessions, forgetSessions } from '@/lib/auth/sessions';

// Every export here is a public endpoint: each goes through makeAdminAction (see lib/users/admin-actions.ts).
const actions = userAdminActions(getSessionUser);

function refresh<T extends { ok: boolean }>(result: T): T {
  if (result.ok) {
    revalidatePath('/security/users');
    revalidatePath('/security/roles');
  }
  return result;
}

/** Returns the initial password once; the caller shows it and forgets it. */
export async function inviteUserAction(raw: unknown) {
  return refresh(await actions.inviteUser(raw));
}

export async function setUserRolesAction(raw: unknown) {
  return refresh(await actions.setUserRoles(raw));
}

export async function removeUserAction(raw: unknown) {
  return refresh(await actions.removeUser(raw));
}

/** Reset password: returns the one-time password once; the caller shows it and forgets it. */
export async function resetPasswordAction(raw: unknown) {
  return refresh(await actions.resetPassword(raw));
}

/** Sign out all sessions of a user: each ends at its next request, on every instance. */
export async function endUserSessionsAction(raw: unknown) {
  return refresh(await actions.endUserSessions(raw));
}

export async function clearSignInLockAction(raw: unknown) {
  return refresh(await actions.clearSignInLock(raw));
}

const mfa = mfaAdminActions(getSessionUser, { end: (tx, userId) => endUserSessions(tx, userId), forget: forgetSessions });

/** Reset MFA: removes the user's factors and ends their sessions (audited). */
export async function resetUserMfaAction(raw: unknown) {
  const result = await mfa.resetUserMfa(raw);
  if (result.ok) revalidatePath('/security/users');
  return result;
}
