import type { Metadata } from 'next';
import { requireSignedInPage } from '@/lib/auth/session';
import { DeviceVerification } from '@/components/device/device-verification';

export const metadata: Metadata = { title: 'Connect a device' };

/**
 * RFC 8628's verification page: a signed-in user types the code a TV, CLI or device shows, sees which application
 * asks, and allows or denies it. The code is typed, never taken from the URL (it would stay in history and logs).
 */
export default async function DevicePage() {
  const user = await requireSignedInPage('/device');
  return (
    <section className="max-w-xl">
      <h1 className="text-2xl font-semibold">Connect a device</h1>
      <p className="mt-2 text-sm text-slate-600">
        A device or command-line tool asked you to sign in here. Enter the code it shows to connect it to your account,{' '}
        <span className="font-medium text-slate-900">{user.email}</span>.
      </p>
      <DeviceVerification />
    </section>
  );
}
