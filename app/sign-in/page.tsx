import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { oidcEnabled } from '@/lib/auth/auth';
import { getSessionUser, safeCallbackUrl } from '@/lib/auth/session';
import { SignInForm } from '@/components/auth/sign-in-form';
import { LogoMark } from '@/components/shell/logo-mark';
import { PasskeySignIn } from '@/components/auth/passkey-sign-in';
import { getDb } from '@/lib/db';
import { applicationForCallback, requiresFreshSignIn } from '@/lib/oidc/sign-in-application';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  await connection();
  const { callbackUrl } = await searchParams;
  const target = safeCallbackUrl(callbackUrl);
  // Signed in already: straight back, unless an application asked for a fresh sign-in (prompt=login, max_age).
  if (!requiresFreshSignIn(target) && (await getSessionUser())) redirect(target);
  // Reached from an application's sign-in request (/identity/connect/authorize): name the application.
  const application = await applicationForCallback(await getDb(), target);
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-16">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-6 shadow-sm sm:p-8">
        <p className="flex items-center gap-2 text-xs font-semibold tracking-wide text-brand-700 uppercase">
          <LogoMark className="h-6 w-6" />
          Tenant Security Console
        </p>
        <h1 className="mt-1 text-2xl font-semibold">Sign in</h1>
        {application && (
          <p className="mt-2 text-sm text-slate-600">
            to continue to <strong className="font-semibold text-slate-900">{application}</strong>
          </p>
        )}
        <SignInForm callbackUrl={target} oidc={oidcEnabled ? process.env.AUTH_OIDC_NAME || 'Single sign-on' : null} />
        <div className="mt-4 border-t border-slate-200 pt-4">
          <PasskeySignIn callbackUrl={target} />
        </div>
      </div>
    </main>
  );
}
