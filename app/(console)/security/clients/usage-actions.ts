'use server';

import { getSessionUser } from '@/lib/auth/session';
import { usageAdminActions } from '@/lib/clients/usage-actions';

// A public endpoint like every server action: makeAdminAction checks the session, the role and the tenant.
const actions = usageAdminActions(getSessionUser);

export async function clientUsageAction(raw: unknown) {
  return actions.clientUsage(raw);
}
