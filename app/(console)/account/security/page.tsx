import type { Metadata } from 'next';
import { Link } from '@/components/ui/link';
import { redirect } from 'next/navigation';
import { getSessionUser } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getMfaOverview, mustEnrolMfa } from '@/lib/auth/mfa/factors';
import { MfaSettings } from '@/components/account/mfa-settings';

export const metadata: Metadata = { title: 'Multi-factor authentication' };

/**
 * Account > Multi-factor authentication: the signed-in user's own authenticator app, passkeys and recovery codes.
 * The one page an administrator who must enrol (tenant setting) can open before having a factor.
 */
export default async function AccountSecurityPage() {
  const user = await getSessionUser();
  if (!user) redirect(`/sign-in?callbackUrl=${encodeURIComponent('/account/security')}`);
  const db = await getDb();
  const [overview, required] = await Promise.all([getMfaOverview(db, user.id), mustEnrolMfa(db, user)]);
  return (
    <section className="max-w-3xl">
      <p className="text-sm text-slate-600">
        <Link href="/account" className="inline-flex min-h-6 items-center text-brand-700 underline">
          Your account
        </Link>
      </p>
      <h1 className="mt-1 text-2xl font-semibold">Multi-factor authentication</h1>
      <p className="mt-1 text-sm text-slate-600">
        After your password, sign-in asks for a second factor: a code from an authenticator app or a passkey. A passkey can
        also sign you in on its own.
      </p>
      {required && (
        <div role="alert" className="mt-4 rounded-md border border-amber-300 bg-amber-50 px-4 py-3 text-sm text-amber-950">
          <p className="font-semibold">Set up multi-factor authentication to continue</p>
          <p className="mt-1">
            Your tenant requires Tenant Administrators to use multi-factor authentication. Set up an authenticator app or a
            passkey; the rest of the console opens once you have one.
          </p>
        </div>
      )}
      <MfaSettings overview={overview} email={user.email} />
    </section>
  );
}
