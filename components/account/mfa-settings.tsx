'use client';

import { browserSupportsWebAuthn, startRegistration } from '@simplewebauthn/browser';
import { useRouter } from 'next/navigation';
import { useId, useState } from 'react';
import {
  addPasskeyAction,
  beginPasskeyAction,
  beginTotpAction,
  confirmTotpAction,
  regenerateRecoveryCodesAction,
  removePasskeyAction,
  removeTotpAction,
} from '@/app/(console)/account/security/actions';
import { useNotice } from '@/components/roles/notice';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { Field, Input } from '@/components/ui/field';
import { LocalTime } from '@/components/ui/local-time';
import { SubmitButton, useHydrated } from '@/components/ui/submit-button';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import type { TotpEnrolment } from '@/lib/auth/mfa/account-actions';
import type { MfaOverview } from '@/lib/auth/mfa/factors';
import { confirmTotpSchema, passkeyNameSchema } from '@/lib/auth/mfa/mfa.schema';
import { formatSeed } from '@/lib/auth/mfa/seed-format';
import type { PasskeyRow } from '@/lib/auth/mfa/passkeys';
import { ProofDialog } from './proof-dialog';
import { RecoveryCodesDialog } from './recovery-codes-dialog';

const UNREACHABLE = 'The server could not be reached. Nothing was changed; try again.';

function FormAlert({ message }: { message: string | null }) {
  if (!message) return null;
  return (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {message}
    </div>
  );
}

function Card({ title, id, children }: { title: string; id: string; children: React.ReactNode }) {
  return (
    <section aria-labelledby={id} className="mt-6 rounded-lg border border-slate-200 bg-white p-5">
      <h2 id={id} className="text-lg font-semibold">
        {title}
      </h2>
      {children}
    </section>
  );
}

/** Account > Multi-factor authentication: authenticator app, passkeys and recovery codes of the signed-in user. */
export function MfaSettings({ overview, email }: { overview: MfaOverview; email: string }) {
  const router = useRouter();
  const { notice, setNotice } = useNotice();
  // The one place new recovery codes live: client state, dropped when their dialog closes.
  const [codes, setCodes] = useState<string[] | null>(null);
  const hasFactor = Boolean(overview.authenticatorApp) || overview.passkeys.length > 0;

  const done = (message: string, recoveryCodes?: string[] | null) => {
    setNotice(message);
    if (recoveryCodes) setCodes(recoveryCodes);
    router.refresh();
  };

  return (
    <>
      {notice}
      <AuthenticatorApp enrolledAt={overview.authenticatorApp?.enrolledAt ?? null} email={email} onDone={done} />
      <Passkeys passkeys={overview.passkeys} onDone={done} />
      <RecoveryCodes state={overview.recoveryCodes} hasFactor={hasFactor} onCodes={(c) => done('New recovery codes generated. The old ones no longer work.', c)} />
      {codes && <RecoveryCodesDialog codes={codes} onClose={() => setCodes(null)} />}
    </>
  );
}

type OnDone = (message: string, recoveryCodes?: string[] | null) => void;

function AuthenticatorApp({ enrolledAt, email, onDone }: { enrolledAt: Date | null; email: string; onDone: OnDone }) {
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [codeError, setCodeError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [removing, setRemoving] = useState(false);
  const keyId = useId();
  const hydrated = useHydrated();

  async function begin() {
    setFormError(null);
    setPending(true);
    try {
      const result = await beginTotpAction();
      if (result.ok) setEnrolment(result.data);
      else setFormError(result.formError ?? 'The authenticator app could not be set up. Try again.');
    } catch {
      setFormError(UNREACHABLE);
    }
    setPending(false);
  }

  async function confirm(e: React.FormEvent) {
    e.preventDefault();
    const parsed = confirmTotpSchema.safeParse({ code });
    if (!parsed.success) {
      setCodeError(parsed.error.issues[0].message);
      return;
    }
    setCodeError(null);
    setFormError(null);
    setPending(true);
    try {
      const result = await confirmTotpAction(parsed.data);
      if (result.ok) {
        setEnrolment(null);
        setCode('');
        onDone('Authenticator app set up. Sign-in now asks for a code from it.', result.data.recoveryCodes);
      } else if (result.fieldErrors?.code) setCodeError(result.fieldErrors.code);
      else setFormError(result.formError ?? 'The code could not be checked. Try again.');
    } catch {
      setFormError(UNREACHABLE);
    }
    setPending(false);
  }

  return (
    <Card title="Authenticator app" id="mfa-app-title">
      {enrolledAt ? (
        <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
          <p className="text-sm text-slate-700">
            <span className="mr-2 rounded bg-emerald-50 px-1.5 py-0.5 text-xs font-medium text-emerald-800">On</span>
            Set up <LocalTime value={enrolledAt} />
          </p>
          <Button variant="secondary" onClick={() => setRemoving(true)}>
            Remove authenticator app
          </Button>
        </div>
      ) : enrolment ? (
        <form method="post" onSubmit={(e) => void confirm(e)} noValidate aria-label="Set up authenticator app" className="mt-3 space-y-4">
          <FormAlert message={formError} />
          <ol className="list-decimal space-y-4 pl-5 text-sm text-slate-700">
            <li>
              Scan this QR code with your authenticator app (for example 1Password, Google Authenticator or Microsoft Authenticator).
              {/* eslint-disable-next-line @next/next/no-img-element -- a data: URL drawn on the server, nothing to optimise */}
              <img src={enrolment.qrDataUrl} alt={`QR code to add ${email} to an authenticator app`} width={192} height={192} className="mt-2 rounded border border-slate-200" />
            </li>
            <li>
              <span>Or enter this setup key by hand (time-based, 6 digits):</span>
              <div className="mt-1 flex items-center gap-2">
                <label htmlFor={keyId} className="sr-only">
                  Setup key
                </label>
                <input
                  id={keyId}
                  readOnly
                  value={formatSeed(enrolment.manualKey)}
                  autoComplete="off"
                  spellCheck={false}
                  className="block w-full max-w-md rounded-md border border-slate-300 bg-slate-50 px-3 py-2 font-mono text-sm"
                />
                <CopyButton value={enrolment.manualKey} label="Copy Setup Key" targetId={keyId} />
              </div>
            </li>
            <li>
              <div className="max-w-xs">
                <Field label="Authentication code" hint="The 6-digit code the app shows now." error={codeError ?? undefined}>
                  {(p) => (
                    <Input {...p} inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} />
                  )}
                </Field>
              </div>
            </li>
          </ol>
          <div className="flex gap-2">
            <SubmitButton disabled={pending} aria-busy={pending}>
              Verify
            </SubmitButton>
            <Button variant="secondary" disabled={pending} onClick={() => setEnrolment(null)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div className="mt-3 space-y-3">
          <FormAlert message={formError} />
          <p className="text-sm text-slate-700">Use an app on your phone that shows a new 6-digit code every 30 seconds.</p>
          <Button onClick={() => void begin()} disabled={!hydrated || pending} aria-busy={pending}>
            Set up authenticator app
          </Button>
        </div>
      )}
      <ProofDialog
        open={removing}
        onOpenChange={setRemoving}
        title="Remove the authenticator app?"
        description="Sign-in will no longer ask for its codes. Confirm with your current password or a code from the app."
        confirmLabel="Remove authenticator app"
        variant="danger"
        onSubmit={async (proof) => {
          const result = await removeTotpAction({ proof });
          if (result.ok) onDone('Authenticator app removed.');
          return result;
        }}
      />
    </Card>
  );
}

function passkeyFailure(err: unknown): string {
  const name = (err as { name?: string })?.name;
  if (name === 'NotAllowedError' || name === 'AbortError') return 'The passkey was not created: the request was cancelled or timed out.';
  if (name === 'InvalidStateError') return 'This device already holds a passkey for your account.';
  return 'Your browser could not create a passkey. Try again, or use another device.';
}

function Passkeys({ passkeys, onDone }: { passkeys: PasskeyRow[]; onDone: OnDone }) {
  const [name, setName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);
  const [removing, setRemoving] = useState<PasskeyRow | null>(null);
  const hydrated = useHydrated();
  const supported = hydrated && browserSupportsWebAuthn();

  async function add(e: React.FormEvent) {
    e.preventDefault();
    const parsed = passkeyNameSchema.safeParse({ name });
    if (!parsed.success) {
      setNameError(parsed.error.issues[0].message);
      return;
    }
    setNameError(null);
    setFormError(null);
    setPending(true);
    try {
      const begun = await beginPasskeyAction();
      if (!begun.ok) {
        setFormError(begun.formError ?? 'The passkey could not be added. Try again.');
        return;
      }
      let response;
      try {
        response = await startRegistration({ optionsJSON: begun.data.options });
      } catch (err) {
        setFormError(passkeyFailure(err));
        return;
      }
      const result = await addPasskeyAction({ stateId: begun.data.stateId, name: parsed.data.name, response });
      if (result.ok) {
        setName('');
        onDone(`Passkey “${result.data.passkey.name}” added.`, result.data.recoveryCodes);
      } else if (result.fieldErrors?.name) setNameError(result.fieldErrors.name);
      else setFormError(result.formError ?? 'The passkey could not be added. Try again.');
    } catch {
      setFormError(UNREACHABLE);
    } finally {
      setPending(false);
    }
  }

  return (
    <Card title="Passkeys" id="mfa-passkeys-title">
      <p className="mt-1 text-sm text-slate-600">
        A passkey on this device, your phone or a security key signs you in with your fingerprint, face or PIN: as the second
        step after your password, or on its own with Sign in with a passkey.
      </p>
      {passkeys.length > 0 ? (
        <div className="mt-3">
          <Table aria-label="Passkeys">
            <THead>
              <Tr>
                <Th>Name</Th>
                <Th>Added</Th>
                <Th>Last used</Th>
                <Th>
                  <span className="sr-only">Actions</span>
                </Th>
              </Tr>
            </THead>
            <TBody>
              {passkeys.map((p) => (
                <Tr key={p.id}>
                  <Td className="font-medium">{p.name}</Td>
                  <Td>
                    <LocalTime value={p.createdAt} dateOnly />
                  </Td>
                  <Td>{p.lastUsedAt ? <LocalTime value={p.lastUsedAt} /> : 'Never'}</Td>
                  <Td className="text-right">
                    <Button size="sm" variant="ghost-danger" aria-label={`Remove passkey ${p.name}`} onClick={() => setRemoving(p)}>
                      Remove
                    </Button>
                  </Td>
                </Tr>
              ))}
            </TBody>
          </Table>
        </div>
      ) : (
        <p className="mt-3 text-sm text-slate-700">No passkeys yet.</p>
      )}
      <form method="post" onSubmit={(e) => void add(e)} noValidate aria-label="Add passkey" className="mt-4 flex flex-wrap items-start gap-2">
        <div className="w-full">
          <FormAlert message={formError} />
        </div>
        <div className="w-72">
          <Field label="Passkey name" hint="So you can tell your passkeys apart, e.g. “Work laptop”." error={nameError ?? undefined}>
            {(p) => <Input {...p} maxLength={60} value={name} onChange={(e) => setName(e.target.value)} />}
          </Field>
        </div>
        <SubmitButton className="mt-6" disabled={pending || (hydrated && !supported)} aria-busy={pending}>
          Add passkey
        </SubmitButton>
        {hydrated && !supported && <p className="w-full text-sm text-slate-600">This browser does not support passkeys.</p>}
      </form>
      <ProofDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove passkey “${removing?.name ?? ''}”?`}
        description="It will no longer sign you in. Confirm with your current password or a code from your authenticator app."
        confirmLabel="Remove passkey"
        variant="danger"
        onSubmit={async (proof) => {
          const result = await removePasskeyAction({ passkeyId: removing!.id, proof });
          if (result.ok) onDone(`Passkey “${result.data.name}” removed.`);
          return result;
        }}
      />
    </Card>
  );
}

function RecoveryCodes({
  state,
  hasFactor,
  onCodes,
}: {
  state: MfaOverview['recoveryCodes'];
  hasFactor: boolean;
  onCodes: (codes: string[]) => void;
}) {
  const [asking, setAsking] = useState(false);
  return (
    <Card title="Recovery codes" id="mfa-recovery-title">
      <p className="mt-1 text-sm text-slate-600">
        Each recovery code signs you in once when you cannot use your authenticator app or passkeys.
      </p>
      <div className="mt-3 flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-700" data-testid="recovery-codes-left">
          {state.total === 0 ? 'No recovery codes yet.' : `${state.remaining} of ${state.total} recovery codes left.`}
        </p>
        <Button variant="secondary" disabled={!hasFactor} onClick={() => setAsking(true)}>
          Generate new recovery codes
        </Button>
      </div>
      {!hasFactor && <p className="mt-2 text-xs text-slate-600">Set up an authenticator app or a passkey first.</p>}
      <ProofDialog
        open={asking}
        onOpenChange={setAsking}
        title="Generate new recovery codes?"
        description="The codes you have now stop working. Confirm with your current password or a code from your authenticator app."
        confirmLabel="Generate new codes"
        onSubmit={async (proof) => {
          const result = await regenerateRecoveryCodesAction({ proof });
          if (result.ok) onCodes(result.data.recoveryCodes);
          return result;
        }}
      />
    </Card>
  );
}
