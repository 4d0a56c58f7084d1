import type { Metadata } from 'next';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getCredentialPolicy } from '@/lib/policy/credential-policy';
import { CredentialPolicyForm } from '@/components/settings/credential-policy-form';
import { SessionPolicyForm } from '@/components/settings/session-policy-form';
import { getSessionPolicy } from '@/lib/auth/session-policy';
import { MfaPolicyForm } from '@/components/settings/mfa-policy-form';
import { hasSecondFactor } from '@/lib/auth/mfa/factors';
import { getMfaPolicy } from '@/lib/policy/mfa-policy';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const user = await requireAdminPage('/security/settings');
  const db = await getDb();
  const [policy, mfaPolicy, youHaveFactor, sessions] = await Promise.all([
    getCredentialPolicy(db, user.tenantId),
    getMfaPolicy(db, user.tenantId),
    hasSecondFactor(db, user.id),
    getSessionPolicy(db, user.tenantId),
  ]);
  return (
    <section className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold">Settings</h1>
        <p className="mt-1 text-sm text-slate-600">Rules for the credentials of this tenant&rsquo;s clients and for how its people sign in to the console.</p>
      </div>
      <CredentialPolicyForm policy={policy} />
      <MfaPolicyForm policy={mfaPolicy} youHaveFactor={youHaveFactor} />
      <SessionPolicyForm policy={sessions} />
    </section>
  );
}
