'use client';

import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { Field, Input } from '@/components/ui/field';
import { proofField } from '@/lib/auth/mfa/mfa.schema';

type Failure = { ok: false; fieldErrors?: Record<string, string>; formError?: string };

/**
 * Asks for the current password or a current authenticator app code before a change to one's own factors.
 * `onSubmit` calls the server action; a refused proof comes back as a field error, anything else at the top.
 */
export function ProofDialog({
  open,
  onOpenChange,
  title,
  description,
  confirmLabel,
  variant = 'primary',
  onSubmit,
}: {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  title: string;
  description: string;
  confirmLabel: string;
  variant?: 'primary' | 'danger';
  onSubmit: (proof: string) => Promise<{ ok: true } | Failure>;
}) {
  const formId = useId();
  const [proof, setProof] = useState('');
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  function close(next: boolean) {
    if (pending) return;
    if (!next) {
      setProof('');
      setFieldError(null);
      setFormError(null);
    }
    onOpenChange(next);
  }

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    const parsed = proofField.safeParse(proof);
    if (!parsed.success) {
      setFieldError(parsed.error.issues[0].message);
      return;
    }
    setPending(true);
    setFieldError(null);
    setFormError(null);
    try {
      const result = await onSubmit(parsed.data);
      if (result.ok) {
        setProof('');
        setPending(false);
        onOpenChange(false);
        return;
      }
      if (result.fieldErrors?.proof) setFieldError(result.fieldErrors.proof);
      else setFormError(result.formError ?? Object.values(result.fieldErrors ?? {})[0] ?? 'Something went wrong. Nothing was changed; try again.');
    } catch {
      setFormError('The server could not be reached. Nothing was changed; try again.');
    }
    setPending(false);
  }

  return (
    <Dialog
      open={open}
      onOpenChange={close}
      title={title}
      description={description}
      size="sm"
      footer={
        <>
          <Button variant="secondary" onClick={() => close(false)} disabled={pending}>
            Cancel
          </Button>
          <Button type="submit" form={formId} variant={variant} disabled={pending} aria-busy={pending}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <form id={formId} method="post" onSubmit={(e) => void submit(e)} noValidate className="space-y-3">
        {formError && (
          <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
            {formError}
          </div>
        )}
        <Field label="Current password or authentication code" error={fieldError ?? undefined}>
          {(p) => (
            <Input
              {...p}
              type="password"
              autoComplete="current-password"
              autoFocus
              value={proof}
              onChange={(e) => setProof(e.target.value)}
            />
          )}
        </Field>
      </form>
    </Dialog>
  );
}
