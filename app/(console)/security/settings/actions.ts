'use server';

import { revalidatePath } from 'next/cache';
import { getSessionUser } from '@/lib/auth/session';
import { sessionPolicyAdminActions } from '@/lib/auth/session-policy';
import { policyAdminActions } from '@/lib/policy/admin-actions';

// Every export here is a public endpoint: each goes through makeAdminAction (see lib/policy/admin-actions.ts).
const actions = policyAdminActions(getSessionUser);

export async function updateCredentialPolicyAction(raw: unknown) {
  const result = await actions.updateCredentialPolicy(raw);
  if (result.ok) revalidatePath('/security/settings');
  return result;
}

export async function updateMfaPolicyAction(raw: unknown) {
  const result = await actions.updateMfaPolicy(raw);
  if (result.ok) revalidatePath('/security/settings');
  return result;
}

const sessionActions = sessionPolicyAdminActions(getSessionUser);

/** Console Sessions: idle timeout and absolute lifetime of a console sign-in (lib/auth/session-policy.ts). */
export async function updateSessionPolicyAction(raw: unknown) {
  const result = await sessionActions.updateSessionPolicy(raw);
  if (result.ok) revalidatePath('/security/settings');
  return result;
}
