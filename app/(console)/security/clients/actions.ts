'use server';

import { refresh } from 'next/cache';
import { getSessionUser } from '@/lib/auth/session';
import { clientAdminActions } from '@/lib/clients/admin-actions';

// Every export here is a public endpoint: each goes through makeAdminAction (see lib/clients/admin-actions.ts),
// which authenticates, requires Tenant Administrator, takes the tenant from the session and validates the input.
const actions = clientAdminActions(getSessionUser);

/** Returns the new client's secret once; the caller shows it and forgets it. */
export async function createClientAction(raw: unknown) {
  return actions.createClient(raw);
}

export async function updateClientAction(raw: unknown) {
  return actions.updateClient(raw);
}

/**
 * The page the administrator is on comes back re-rendered in this action's answer (refresh()), so the new status is
 * on screen after one round trip instead of the action's and then a router.refresh()'s.
 */
export async function setClientEnabledAction(raw: unknown) {
  const result = await actions.setClientEnabled(raw);
  if (result.ok) refresh();
  return result;
}

export async function removeClientAction(raw: unknown) {
  return actions.removeClient(raw);
}

/** Returns the new secret once; the caller shows it and forgets it. */
export async function addSecretAction(raw: unknown) {
  return actions.addSecret(raw);
}

export async function updateSecretAction(raw: unknown) {
  return actions.updateSecret(raw);
}

export async function removeSecretAction(raw: unknown) {
  return actions.removeSecret(raw);
}

/** Authorization Code and Hybrid clients; a Hybrid client's secret is returned once. */
export async function createUserClientAction(raw: unknown) {
  return actions.createUserClient(raw);
}

export async function updateClientUrlsAction(raw: unknown) {
  return actions.updateClientUrls(raw);
}

export async function addKeyAction(raw: unknown) {
  return actions.addKey(raw);
}

export async function removeKeyAction(raw: unknown) {
  return actions.removeKey(raw);
}
