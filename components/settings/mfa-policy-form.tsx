'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { updateMfaPolicyAction } from '@/app/(console)/security/settings/actions';
import { Checkbox } from '@/components/ui/checkbox';
import { SubmitButton } from '@/components/ui/submit-button';
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
      setFormError('The server could not be reached. Nothing was saved; try again.');
    }
    setPending(false);
  }

  return (
    <form
      method="post"
      onSubmit={(e) => void save(e)}
      noValidate
      aria-label="Multi-factor Authentication"
      className="max-w-2xl space-y-5 rounded-lg border border-slate-200 bg-white p-5"
    >
      <div>
        <h2 className="text-lg font-semibold">Multi-factor Authentication</h2>
        <p className="mt-1 text-sm text-slate-600">
          Tenant Administrators can create clients with any role. With this on, each of them signs in with a second factor
          (an authenticator app or a passkey); one who has none is sent to set it up before anything else.
        </p>
      </div>
      {formError && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {formError}
        </div>
      )}
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
      <div className="flex items-center gap-3">
        <SubmitButton disabled={pending} aria-busy={pending}>
          {pending ? 'Saving…' : 'Save'}
        </SubmitButton>
        {saved !== null && saved === required && (
          <p role="status" className="text-sm text-green-800">
            Saved.
          </p>
        )}
      </div>
    </form>
  );
}
