'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { testFederatedTokenAction } from '@/app/(console)/security/clients/federated-actions';
import { testTokenSchema } from '@/lib/clients/federated/federated-credential.schema';
import type { TestTokenResult } from '@/lib/clients/federated/test-token';
import { Badge } from '@/components/ui/badge';
import { Field } from '@/components/ui/field';
import { SubmitButton } from '@/components/ui/submit-button';
import { Textarea } from '@/components/ui/textarea';
import { FormError, useActionForm } from './action-form';

type FormIn = z.input<typeof testTokenSchema>;
type FormOut = z.output<typeof testTokenSchema>;

/**
 * Test a token: paste a sample token (or its claims as JSON) and see, per federated credential, which checks pass and
 * why. Nothing is stored; the token stays in this form's state and is sent only to the check.
 */
export function FederatedTestToken({ clientId, hasCredentials }: { clientId: string; hasCredentials: boolean }) {
  const [result, setResult] = useState<TestTokenResult | null>(null);
  const form = useForm<FormIn, unknown, FormOut>({ resolver: zodResolver(testTokenSchema), mode: 'onSubmit', defaultValues: { clientId, token: '' } });
  const { formError, submit } = useActionForm(form, { shownFields: ['token'] });
  const run = async (values: FormOut) => {
    setResult(null);
    await submit(() => testFederatedTokenAction(values), setResult);
  };
  const tokenError = form.formState.errors.token?.message;

  return (
    <section aria-labelledby="test-token-title" className="space-y-4 rounded-lg border border-slate-200 bg-white p-5">
      <div>
        <h2 id="test-token-title" className="text-lg font-semibold">
          Test a token
        </h2>
        <p className="mt-1 text-sm text-slate-600">
          Paste a sample token from the platform, or its claims as JSON, to see which conditions of each federated credential
          pass. Nothing is stored or logged.
        </p>
      </div>
      <form method="post" onSubmit={(e) => void form.handleSubmit(run)(e)} noValidate aria-label="Test a token" className="space-y-3">
        <FormError message={formError} />
        <Field label="Token or Claims" hint="A JWT (eyJ…) or a JSON object such as {&quot;iss&quot;: …, &quot;sub&quot;: …}." error={tokenError}>
          {(p) => <Textarea {...p} rows={4} spellCheck={false} autoComplete="off" className="font-mono text-xs" {...form.register('token')} />}
        </Field>
        <SubmitButton disabled={!hasCredentials || form.formState.isSubmitting} aria-busy={form.formState.isSubmitting}>
          {form.formState.isSubmitting ? 'Testing…' : 'Test Token'}
        </SubmitButton>
        {!hasCredentials && <p className="text-sm text-slate-600">Add a federated credential first.</p>}
      </form>

      {result && (
        <div role="region" aria-label="Test results" className="space-y-4">
          <p className="text-sm text-slate-700">
            {result.kind === 'token' ? 'Token' : 'Claims'}: iss <code className="font-mono text-xs">{result.summary.iss ?? '—'}</code>, sub{' '}
            <code className="font-mono text-xs">{result.summary.sub ?? '—'}</code>, aud <code className="font-mono text-xs">{result.summary.aud ?? '—'}</code>
          </p>
          {result.tokenProblem && <p className="text-sm text-red-800">This token can never be accepted: {result.tokenProblem}.</p>}
          {result.credentials.map((c) => (
            <div key={c.id} className="rounded-md border border-slate-200">
              <h3 className="flex items-center justify-between gap-2 border-b border-slate-200 px-3 py-2 text-sm font-medium">
                {c.name}
                {c.accepted ? <Badge tone="green">Would be accepted</Badge> : <Badge tone="red">Would be refused</Badge>}
              </h3>
              <ul aria-label={`Checks of ${c.name}`} className="divide-y divide-slate-100 text-sm">
                <li className="flex items-start gap-3 px-3 py-2">
                  <CheckBadge status={c.signature.status} />
                  <span>
                    <span className="font-medium">Signature</span>
                    <span className="block text-xs text-slate-600">{c.signature.detail}</span>
                  </span>
                </li>
                {c.checks.map((check) => (
                  <li key={check.check + check.label} className="flex items-start gap-3 px-3 py-2">
                    <CheckBadge status={check.ok ? 'pass' : 'fail'} />
                    <span className="min-w-0 break-words">
                      <span className="font-medium">{check.label}</span>
                      <span className="block text-xs text-slate-600">{check.detail}</span>
                    </span>
                  </li>
                ))}
              </ul>
            </div>
          ))}
        </div>
      )}
    </section>
  );
}

function CheckBadge({ status }: { status: 'pass' | 'fail' | 'not_checked' }) {
  return status === 'pass' ? <Badge tone="green">Pass</Badge> : status === 'fail' ? <Badge tone="red">Fail</Badge> : <Badge>Not checked</Badge>;
}
