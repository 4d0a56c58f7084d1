'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { updateMfaPolicyAction } from '@/app/(console)/security/settings/actions';
import { SettingsCard, SERVER_UNREACHABLE } from '@/components/forms/settings-form';
import { Checkbox } from '@/components/ui/checkbox';
import { updateMfaPolicySchema } from '@/lib/auth/mfa/mfa.schema';
import type { MfaPolicy } from '@/lib/policy/mfa-policy';

/** Security > Settings: "Require multi-factor authentication for Tenant Administrators". */
export function MfaPolicyForm({ policy, youHaveFactor }: { policy: MfaPolicy; youHaveFactor: boolean }) {
  const router = useRouter();
  const [required, setRequired] = useState(policy.requireAdminMfa);
  const [saved, setSaved] = useState<boolean | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function save(e: React.FormEvent) {
    e.preventDefault();
    setFormError(null);
    setSaved(null);
    const parsed = updateMfaPolicySchema.safeParse({ requireAdminMfa: required });
    if (!parsed.success) return setFormError(parsed.error.issues[0].message);
    setPending(true);
    try {
      const result = await updateMfaPolicyAction(parsed.data);
      if (result.ok) {
        setSaved(result.data.requireAdminMfa);
        router.refresh();
      } else {
        setFormError(result.formError ?? Object.values(result.fieldErrors ?? {})[0] ?? 'Nothing was saved; try again.');
      }
    } catch {
      setFormError(SERVER_UNREACHABLE);
    }
    setPending(false);
  }

  return (
    <SettingsCard
      title="Multi-factor Authentication"
      description="Tenant Administrators can create clients with any role. With this on, each of them signs in with a second factor (an authenticator app or a passkey); one who has none is sent to set it up before anything else."
      formError={formError}
      pending={pending}
      saved={saved !== null && saved === required}
      onSubmit={(e) => void save(e)}
    >
      <Checkbox
        label="Require multi-factor authentication for Tenant Administrators"
        description={
          youHaveFactor
            ? 'Other users can set it up on their own under Your account.'
            : 'You have no second factor yet: turning this on sends you to set one up first.'
        }
        checked={required}
        onCheckedChange={(v) => {
          setRequired(v);
          setSaved(null);
        }}
      />
    </SettingsCard>
  );
}
