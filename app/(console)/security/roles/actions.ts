'use server';

import { revalidatePath } from 'next/cache';
import { getSessionUser } from '@/lib/auth/session';
import { roleAdminActions } from '@/lib/roles/admin-actions';

// Every export here is a public endpoint: each goes through makeAdminAction (see lib/roles/admin-actions.ts).
const actions = roleAdminActions(getSessionUser);

/** Role changes show on Roles, and in the role lists of Users and Clients. */
function refresh<T extends { ok: boolean }>(result: T): T {
  if (result.ok) {
    revalidatePath('/security/roles');
    revalidatePath('/security/users');
    revalidatePath('/security/clients', 'layout');
  }
  return result;
}

export async function createRoleAction(raw: unknown) {
  return refresh(await actions.createRole(raw));
}

export async function updateRoleAction(raw: unknown) {
  return refresh(await actions.updateRole(raw));
}

export async function removeRoleAction(raw: unknown) {
  return refresh(await actions.removeRole(raw));
}
