'use server';

import { revalidatePath } from 'next/cache';
import { getSessionUser } from '@/lib/auth/session';
import { apiAdminActions } from '@/lib/apis/admin-actions';

// Every export here is a public endpoint: each goes through makeAdminAction (see lib/apis/admin-actions.ts).
const actions = apiAdminActions(getSessionUser);

/** API changes show on APIs, and in the API Access of every client's details page. */
function refresh<T extends { ok: boolean }>(result: T): T {
  if (result.ok) {
    revalidatePath('/security/apis');
    revalidatePath('/security/clients', 'layout');
  }
  return result;
}

export async function createApiAction(raw: unknown) {
  return refresh(await actions.createApi(raw));
}

export async function updateApiAction(raw: unknown) {
  return refresh(await actions.updateApi(raw));
}

export async function removeApiAction(raw: unknown) {
  return refresh(await actions.removeApi(raw));
}
