import { forbidden, redirect } from 'next/navigation';
import { auth } from './auth';
import type { SessionUser } from './users';

export const TENANT_ADMIN = 'tenant_administrator';

export async function getSessionUser(): Promise<SessionUser | null> {
  const session = await auth();
  const u = session?.user;
  if (!u?.id || !u.tenantId) return null;
  return u;
}

export function isTenantAdmin(user: SessionUser | null | undefined): user is SessionUser {
  return Boolean(user?.roleTypes.includes(TENANT_ADMIN));
}

/** Pages under Security: anonymous visitors go to sign-in and come back; non-administrators get the 403 page. */
export async function requireAdminPage(returnTo: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  if (!isTenantAdmin(user)) forbidden();
  return user;
}

export async function requireSignedInPage(returnTo: string): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent(returnTo)}`);
  return user;
}

export { safeCallbackUrl } from './callback-url';
