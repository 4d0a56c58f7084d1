import { Link } from '@/components/ui/link';
import type { MfaOverview } from '@/lib/auth/mfa/factors';

/** Your account: what the user's second factors are, with the way to manage them. */
export function MfaSummary({ overview }: { overview: MfaOverview }) {
  const parts: string[] = [];
  if (overview.authenticatorApp) parts.push('Authenticator app');
  if (overview.passkeys.length) parts.push(`${overview.passkeys.length} ${overview.passkeys.length === 1 ? 'passkey' : 'passkeys'}`);
  if (overview.recoveryCodes.total) parts.push(`${overview.recoveryCodes.remaining} of ${overview.recoveryCodes.total} recovery codes left`);
  return (
    <section aria-labelledby="account-mfa-title" className="mt-8 max-w-xl rounded-lg border border-slate-200 bg-white p-5">
      <h2 id="account-mfa-title" className="text-lg font-semibold">
        Multi-factor authentication
      </h2>
      <p className="mt-1 text-sm text-slate-700">
        {parts.length ? parts.join(' · ') : 'Off: sign-in asks for your password only.'}
      </p>
      <Link href="/account/security" className="mt-3 inline-flex min-h-6 items-center text-sm font-medium text-brand-700 underline">
        Manage multi-factor authentication
      </Link>
    </section>
  );
}
