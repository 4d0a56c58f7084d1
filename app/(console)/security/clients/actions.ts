'use server';

import { getSessionUser } from '@/lib/auth/session';
import { clientAdminActions } from '@/lib/clients/admin-actions';

// Every export here is a public endpoint: each goes through makeAdminAction (see lib/clients/admin-actions.ts).
const actions = clientAdminActions(getSessionUser);

/** Returns the new client's secret once; the caller shows it and forgets it. */
export async function createClientAction(raw: unknown) {
  return actions.createClient(raw);
}
