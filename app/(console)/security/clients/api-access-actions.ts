'use server';

import { revalidatePath } from 'next/cache';
import { getSessionUser } from '@/lib/auth/session';
import { clientAdminActions } from '@/lib/clients/admin-actions';

// Every export here is a public endpoint: it goes through makeAdminAction (see lib/clients/admin-actions.ts), which
// authenticates, requires Tenant Administrator, takes the tenant from the session and validates the input.
const actions = clientAdminActions(getSessionUser);

/** Edit API Access of a client. The pane refreshes the details page itself; Security > APIs counts its clients. */
export async function setClientApiAccessAction(raw: unknown) {
  const result = await actions.setClientApiAccess(raw);
  if (result.ok) revalidatePath('/security/apis');
  return result;
}
