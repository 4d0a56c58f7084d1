import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { SecondFactorForm } from '@/components/auth/second-factor-form';
import { secondFactorMethods } from '@/lib/auth/mfa/factors';
import { pendingFromCookie } from '@/lib/auth/sign-in-flow';
import { getDb } from '@/lib/db';

export const metadata: Metadata = { title: 'Verify your sign-in' };

/** The second step of sign-in: reached after a right password, with the pending sign-in in its HttpOnly cookie. */
export default async function VerifyPage() {
  await connection();
  const pending = await pendingFromCookie();
  if (!pending) redirect('/sign-in');
  const methods = await secondFactorMethods(await getDb(), pending.userId);
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-16">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-xs font-semibold tracking-wide text-brand-700 uppercase">Tenant Security Console</p>
        <h1 className="mt-1 text-2xl font-semibold">Verify your sign-in</h1>
        <p className="mt-2 text-sm text-slate-600">
          {methods.totp
            ? 'Enter the code from your authenticator app, or one of your recovery codes.'
            : methods.passkey
              ? 'Use your passkey, or enter one of your recovery codes.'
              : 'Enter one of your recovery codes.'}
        </p>
        <SecondFactorForm passkey={methods.passkey} />
      </div>
    </main>
  );
}
