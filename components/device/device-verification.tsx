'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { CheckCircle2, XCircle } from 'lucide-react';
import { useEffect, useRef, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { decideDeviceCodeAction, lookupDeviceCodeAction } from '@/app/(console)/device/actions';
import { applyActionResult } from '@/components/forms/action-result';
import { Field, Input } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { deviceCodeLookupSchema, formatUserCode, normalizeUserCode } from '@/lib/oidc/device.schema';

type FormIn = z.input<typeof deviceCodeLookupSchema>;
type FormOut = z.output<typeof deviceCodeLookupSchema>;
const SHOWN_FIELDS = ['userCode'];

/** What each scope lets the device do, in words. */
const SCOPE_WORDS: Record<string, string> = {
  openid: 'Sign you in',
  profile: 'See your name',
  email: 'See your email address',
  offline_access: 'Stay connected after this session (refresh tokens)',
};

type Step =
  | { kind: 'enter' }
  | { kind: 'confirm'; userCode: string; clientName: string; scopes: string[]; api: { name: string; identifier: string } | null }
  | { kind: 'done'; clientName: string; allowed: boolean };

const UNREACHABLE = 'The server could not be reached. Nothing was changed; try again.';

/** The /device steps: enter the code, allow or deny the device it names, then the outcome. */
export function DeviceVerification() {
  const [step, setStep] = useState<Step>({ kind: 'enter' });
  const [formError, setFormError] = useState<string | null>(null);
  const [deciding, setDeciding] = useState<'allow' | 'deny' | null>(null);
  const headingRef = useRef<HTMLHeadingElement>(null);
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(deviceCodeLookupSchema),
    mode: 'onSubmit',
    defaultValues: { userCode: '' },
  });
  const {
    register,
    handleSubmit,
    setError,
    reset,
    formState: { errors, isSubmitting },
  } = form;

  // Each new step's heading takes focus, so keyboard and screen-reader users land on what changed.
  useEffect(() => {
    if (step.kind !== 'enter') headingRef.current?.focus();
  }, [step]);

  const lookup = async (values: FormOut) => {
    setFormError(null);
    try {
      const result = await lookupDeviceCodeAction(values);
      if (result.ok) setStep({ kind: 'confirm', userCode: values.userCode, ...result.data });
      else applyActionResult(result, setError, setFormError, SHOWN_FIELDS);
    } catch {
      setFormError(UNREACHABLE);
    }
  };

  const decide = async (decision: 'allow' | 'deny') => {
    if (step.kind !== 'confirm') return;
    setFormError(null);
    setDeciding(decision);
    try {
      const result = await decideDeviceCodeAction({ userCode: step.userCode, decision });
      if (result.ok) {
        setStep({ kind: 'done', clientName: result.data.clientName, allowed: result.data.allowed });
      } else {
        // The code expired or was used meanwhile: back to the field, with the reason under it.
        reset({ userCode: '' });
        setStep({ kind: 'enter' });
        applyActionResult(result, setError, setFormError, SHOWN_FIELDS);
      }
    } catch {
      setFormError(UNREACHABLE);
    } finally {
      setDeciding(null);
    }
  };

  const alert = formError && (
    <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
      {formError}
    </div>
  );

  if (step.kind === 'done') {
    const Icon = step.allowed ? CheckCircle2 : XCircle;
    return (
      <div className="mt-6 rounded-lg border border-slate-200 bg-white p-5" role="status">
        <h2 ref={headingRef} tabIndex={-1} className="flex items-center gap-2 text-lg font-semibold outline-none">
          <Icon aria-hidden="true" className={`h-5 w-5 ${step.allowed ? 'text-green-700' : 'text-slate-600'}`} />
          {step.allowed ? 'Device connected' : 'Request denied'}
        </h2>
        <p className="mt-2 text-sm text-slate-700">
          {step.allowed
            ? `${step.clientName} is now signed in as you. You can go back to the device.`
            : `${step.clientName} was not connected. The device shows that the request was denied.`}
        </p>
        <button
          type="button"
          className="mt-4 text-sm text-brand-700 underline underline-offset-2 hover:no-underline"
          onClick={() => {
            reset({ userCode: '' });
            setStep({ kind: 'enter' });
          }}
        >
          Connect another device
        </button>
      </div>
    );
  }

  if (step.kind === 'confirm') {
    return (
      <div className="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-5">
        <h2 ref={headingRef} tabIndex={-1} className="text-lg font-semibold outline-none">
          Allow {step.clientName}?
        </h2>
        {alert}
        <p className="text-sm text-slate-700">
          <span className="font-medium">{step.clientName}</span> will get access tokens for your account with the roles this tenant gave
          it. Allow it only if you started this on your own device and it shows the code{' '}
          <code className="font-mono font-semibold">{formatUserCode(normalizeUserCode(step.userCode) ?? '')}</code>.
        </p>
        {step.api && (
          <p className="text-sm text-slate-700" data-testid="device-api">
            The tokens are for the API <span className="font-medium">{step.api.name}</span> (
            <code className="font-mono text-[0.8125rem] break-all">{step.api.identifier}</code>) only.
          </p>
        )}
        {step.scopes.length > 0 && (
          <div>
            <h3 className="text-sm font-medium text-slate-800">It asks to</h3>
            <ul className="mt-1 list-disc space-y-0.5 pl-5 text-sm text-slate-700">
              {step.scopes.map((s) => (
                <li key={s}>{SCOPE_WORDS[s] ?? <code className="font-mono">{s}</code>}</li>
              ))}
            </ul>
          </div>
        )}
        <form method="post" onSubmit={(e) => e.preventDefault()} className="flex flex-wrap gap-3" aria-label="Allow or deny the device">
          <SubmitButton onClick={() => void decide('allow')} disabled={deciding !== null}>
            {deciding === 'allow' ? 'Allowing…' : 'Allow'}
          </SubmitButton>
          <SubmitButton variant="secondary" onClick={() => void decide('deny')} disabled={deciding !== null}>
            {deciding === 'deny' ? 'Denying…' : 'Deny'}
          </SubmitButton>
        </form>
      </div>
    );
  }

  return (
    <form
      method="post"
      onSubmit={(e) => void handleSubmit(lookup)(e)}
      noValidate
      aria-label="Connect a device"
      className="mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-5"
    >
      {alert}
      <Field label="Code" hint="The 8 letters the device shows, such as BCDF-GHJK. Dash and case do not matter." error={errors.userCode?.message}>
        {(p) => (
          <Input
            {...p}
            autoFocus
            autoComplete="off"
            autoCapitalize="characters"
            spellCheck={false}
            className="max-w-48 font-mono tracking-widest uppercase"
            {...register('userCode')}
          />
        )}
      </Field>
      <SubmitButton disabled={isSubmitting}>{isSubmitting ? 'Checking…' : 'Continue'}</SubmitButton>
    </form>
  );
}
