'use server';

import { getSessionUser } from '@/lib/auth/session';
import { federationAdminActions } from '@/lib/clients/federated/admin-actions';

// Every export here is a public endpoint: each goes through makeAdminAction (see lib/clients/federated/admin-actions.ts),
// which authenticates, requires Tenant Administrator, takes the tenant from the session and validates the input.
const actions = federationAdminActions(getSessionUser);

export async function addFederatedCredentialAction(raw: unknown) {
  return actions.addFederatedCredential(raw);
}

export async function updateFederatedCredentialAction(raw: unknown) {
  return actions.updateFederatedCredential(raw);
}

export async function removeFederatedCredentialAction(raw: unknown) {
  return actions.removeFederatedCredential(raw);
}

/** Nothing is stored; the token is never logged (makeAdminAction logs only an error's first line, never the input). */
export async function testFederatedTokenAction(raw: unknown) {
  return actions.testFederatedToken(raw);
}
