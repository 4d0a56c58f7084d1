'use server';

import { getCurrentSession } from '@/lib/auth/session';
import { deviceActions } from '@/lib/oidc/device-actions';

// Public endpoints: each goes through makeSignedInAction (lib/oidc/device-actions.ts), which checks the session.
const actions = deviceActions(getCurrentSession);

/** The request behind a user code: the device's client name and scopes (counted against the user's throttle). */
export async function lookupDeviceCodeAction(raw: unknown) {
  return actions.lookup(raw);
}

/** Allow or deny the device of a user code. */
export async function decideDeviceCodeAction(raw: unknown) {
  return actions.decide(raw);
}
