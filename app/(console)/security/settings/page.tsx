import type { Metadata } from 'next';
import { requireAdminPage } from '@/lib/auth/session';
import { getDb } from '@/lib/db';
import { getCredentialPolicy } from '@/lib/policy/credential-policy';
import { CredentialPolicyForm } from '@/components/settings/credential-policy-form';

export const metadata: Metadata = { title: 'Settings' };

export default async function SettingsPage() {
  const user = await requireAdminPage('/security/settings');
  const policy = await getCredentialPolicy(await getDb(), user.tenantId);
  return (
    <section className="space-y-5">
      <div>
        <h1 className="text-2xl font-semibold">Settings</h1>
        <p className="mt-1 text-sm text-slate-600">Rules for the credentials of this tenant&rsquo;s clients.</p>
      </div>
      <CredentialPolicyForm policy={policy} />
    </section>
  );
}
