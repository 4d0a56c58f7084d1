'use server';

import { revalidatePath } from 'next/cache';
import { getSessionUser } from '@/lib/auth/session';
import { accountMfaActions } from '@/lib/auth/mfa/account-actions';
import { currentRelyingParty } from '@/lib/auth/mfa/relying-party';

// Every export here is a public endpoint: each goes through makeAccountAction (signed in, own factors only, schema).
const actions = accountMfaActions(getSessionUser, currentRelyingParty);

function refresh<T extends { ok: boolean }>(result: T): T {
  if (result.ok) revalidatePath('/account/security');
  return result;
}

/** Returns the new seed and its QR code once; the page holds them in state until confirmed or cancelled. */
export async function beginTotpAction(raw?: unknown) {
  return actions.beginTotp(raw);
}

export async function confirmTotpAction(raw: unknown) {
  return refresh(await actions.confirmTotp(raw));
}

export async function removeTotpAction(raw: unknown) {
  return refresh(await actions.removeTotp(raw));
}

export async function beginPasskeyAction(raw?: unknown) {
  return actions.beginPasskey(raw);
}

export async function addPasskeyAction(raw: unknown) {
  return refresh(await actions.addPasskey(raw));
}

export async function removePasskeyAction(raw: unknown) {
  return refresh(await actions.removePasskey(raw));
}

/** Returns the new codes once; the page shows them and forgets them. */
export async function regenerateRecoveryCodesAction(raw: unknown) {
  return refresh(await actions.regenerateRecoveryCodes(raw));
}
