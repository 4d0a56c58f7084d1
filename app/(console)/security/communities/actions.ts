'use server';

import { revalidatePath } from 'next/cache';
import { getSessionUser } from '@/lib/auth/session';
import { communityAdminActions } from '@/lib/communities/admin-actions';

// Every export here is a public endpoint: each goes through makeAdminAction (see lib/communities/admin-actions.ts).
const actions = communityAdminActions(getSessionUser);

/** Community changes show on Communities, and in the community roles of Users and Clients. */
function refresh<T extends { ok: boolean }>(result: T): T {
  if (result.ok) {
    revalidatePath('/security/communities');
    revalidatePath('/security/users');
    revalidatePath('/security/clients', 'layout');
  }
  return result;
}

export async function createCommunityAction(raw: unknown) {
  return refresh(await actions.createCommunity(raw));
}

export async function removeCommunityAction(raw: unknown) {
  return refresh(await actions.removeCommunity(raw));
}
