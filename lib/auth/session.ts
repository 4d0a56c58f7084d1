import { forbidden, redirect } from 'next/navigation';
import { auth } from './auth';
import type { SessionUser } from './users';
import { MFA_ENROLMENT_PATH, withMfaRequirement } from './mfa/requirement';

export const TENANT_ADMIN = 'tenant_administrator';

/** The signed-in user and their session row's id (lib/auth/sessions.ts), or null. */
export async function getCurrentSession(): Promise<{ user: SessionUser; sessionId: string } | null> {
  const session = await auth();
  const u = session?.user;
  if (!session || !u?.id || !u.tenantId || !session.sessionId) return null;
  return { user: await withMfaRequirement(u), sessionId: session.sessionId };
}

export async function getSessionUser(): Promise<SessionUser | null> {
  return (await getCurrentSession())?.user ?? null;
}

export function isTenantAdmin(user: SessionUser | null | undefined): user is SessionUser {
  return Boolean(user?.roleTypes.includes(TENANT_ADMIN));
}

/** Pages under Security: anonymous visitors go to sign-in and come back; non-administrators get the 403 page. */
export async function requireAdminPage(returnTo: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!isTenantAdmin(user)) forbidden();
  if (user.mfaEnrolmentRequired) redirect(MFA_ENROLMENT_PATH);
  return user;
}

export async function requireSignedInPage(returnTo: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (user.mfaEnrolmentRequired) redirect(MFA_ENROLMENT_PATH);
  return user;
}

export { safeCallbackUrl } from './callback-url';
