'use server';

import { revalidatePath } from 'next/cache';
import { getSessionUser } from '@/lib/auth/session';
import { notificationAdminActions } from '@/lib/notifications/admin-actions';

// Every export here is a public endpoint: each goes through makeAdminAction (see lib/notifications/admin-actions.ts).
const actions = notificationAdminActions(getSessionUser);

function refresh<T extends { ok: boolean }>(result: T): T {
  if (result.ok) revalidatePath('/security/notifications');
  return result;
}

export async function createChannelAction(raw: unknown) {
  return refresh(await actions.createChannel(raw));
}
export async function updateChannelAction(raw: unknown) {
  return refresh(await actions.updateChannel(raw));
}
export async function removeChannelAction(raw: unknown) {
  return refresh(await actions.removeChannel(raw));
}
export async function updateThresholdsAction(raw: unknown) {
  return refresh(await actions.updateThresholds(raw));
}
export async function sendTestEventAction(raw: unknown) {
  return refresh(await actions.sendTestEvent(raw));
}
export async function resendDeliveryAction(raw: unknown) {
  return refresh(await actions.resendDelivery(raw));
}
