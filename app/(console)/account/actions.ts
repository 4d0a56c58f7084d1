'use server';

import { revalidatePath } from 'next/cache';
import { headers } from 'next/headers';
import { requestClientAddress } from '@/lib/auth/client-address';
import { getCurrentSession } from '@/lib/auth/session';
import { accountActions } from '@/lib/users/account-actions';

// Every export here is a public endpoint: each goes through makeSignedInAction (lib/users/account-actions.ts),
// which checks the session and scopes everything to its own user.
const actions = accountActions(getCurrentSession, async () => requestClientAddress(await headers()));

function refresh<T extends { ok: boolean }>(result: T): T {
  if (result.ok) revalidatePath('/account');
  return result;
}

/** Change password: the current one is required; every other session of the user ends. */
export async function changePasswordAction(raw: unknown) {
  return refresh(await actions.changePassword(raw));
}

export async function endSessionAction(raw: unknown) {
  return refresh(await actions.endSession(raw));
}

export async function endOtherSessionsAction(raw: unknown) {
  return refresh(await actions.endOtherSessions(raw ?? {}));
}
