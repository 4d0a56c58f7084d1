import type { Metadata } from 'next';
import { eq } from 'drizzle-orm';
import { cookies } from 'next/headers';
import { redirect } from 'next/navigation';
import { connection } from 'next/server';
import { ChoosePasswordForm } from '@/components/auth/choose-password-form';
import { PENDING_COOKIE, readNewPasswordPending } from '@/lib/auth/sign-in-flow';
import { getDb } from '@/lib/db';
import { users } from '@/lib/db/schema';

export const metadata: Metadata = { title: 'Choose your password' };

/** Reached from sign-in when an administrator set the user's password (invite, reset): no session exists yet. */
export default async function ChoosePasswordPage() {
  await connection();
  const pending = await readNewPasswordPending((await cookies()).get(PENDING_COOKIE)?.value);
  if (!pending) redirect('/sign-in');
  const [user] = await (await getDb()).select({ email: users.email }).from(users).where(eq(users.id, pending.userId));
  if (!user) redirect('/sign-in');
  return (
    <main className="flex min-h-full items-center justify-center px-4 py-16">
      <div className="w-full max-w-sm rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
        <p className="text-xs font-semibold tracking-wide text-brand-700 uppercase">Tenant Security Console</p>
        <h1 className="mt-1 text-2xl font-semibold">Choose your password</h1>
        <p className="mt-2 text-sm text-slate-600">
          The password you signed in with was set by an administrator. Choose your own for{' '}
          <strong className="font-semibold text-slate-900">{user.email}</strong> to continue.
        </p>
        <ChoosePasswordForm email={user.email} />
      </div>
    </main>
  );
}
