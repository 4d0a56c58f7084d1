'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { useForm, useWatch } from 'react-hook-form';
import type { z } from 'zod';
import { addKeyAction } from '@/app/(console)/security/clients/actions';
import { addKeySchema } from '@/lib/clients/key.schema';
import { Button } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Sheet } from '@/components/ui/sheet';
import { applyResult } from './form-result';
import { KeyFields } from './key-fields';
import { oneYearFromNow } from './new-guid';
import { usePaneParam } from './use-pane-param';

type FormIn = z.input<typeof addKeySchema>;
type FormOut = z.output<typeof addKeySchema>;
const FORM_ID = 'add-key-form';
const SHOWN_FIELDS = ['source', 'publicKey', 'jwksUrl', 'description', 'expiresAt', 'neverExpires'];

/** The Add Key pane (?add=key): a public key (PEM or JWK) or a JWKS URL, with a description and an expiration. */
export function AddKeySheet({ clientId, atLimit }: { clientId: string; atLimit: boolean }) {
  const router = useRouter();
  const pane = usePaneParam('add', 'key');
  const [dirty, setDirty] = useState(false);
  const [pending, setPending] = useState(false);
  const [confirmDiscard, setConfirmDiscard] = useState(false);
  const [closing, setClosing] = useState(false);
  const [urlOpen, setUrlOpen] = useState(pane.isOpen);
  if (urlOpen !== pane.isOpen) {
    setUrlOpen(pane.isOpen);
    if (!pane.isOpen) {
      setClosing(false);
      setDirty(false);
    }
  }
  const close = useCallback(() => {
    setClosing(true);
    pane.close();
  }, [pane]);
  const requestClose = () => {
    if (pending) return;
    if (dirty) setConfirmDiscard(true);
    else close();
  };

  return (
    <>
      <Sheet
        open={pane.isOpen && !closing && !atLimit}
        onOpenChange={(next) => (next ? pane.open() : requestClose())}
        onRequestClose={requestClose}
        title="Add Key"
        description="The client signs its token requests with the private key (private_key_jwt). Paste only the public key."
        footer={
          <>
            <Button variant="secondary" onClick={requestClose} disabled={pending}>
              Cancel
            </Button>
            <SubmitButton form={FORM_ID} disabled={pending} aria-busy={pending}>
              {pending ? 'Saving…' : 'Save'}
            </SubmitButton>
          </>
        }
      >
        <AddKeyForm
          clientId={clientId}
          onDirtyChange={setDirty}
          onPendingChange={setPending}
          onAdded={() => {
            close();
            router.refresh();
          }}
        />
      </Sheet>
      <ConfirmDialog
        open={confirmDiscard}
        onOpenChange={setConfirmDiscard}
        title="Discard this key?"
        description="The values you entered will be lost. Nothing has been saved."
        confirmLabel="Discard"
        cancelLabel="Keep editing"
        variant="danger"
        onConfirm={close}
      />
    </>
  );
}

function AddKeyForm({
  clientId,
  onAdded,
  onDirtyChange,
  onPendingChange,
}: {
  clientId: string;
  onAdded: () => void;
  onDirtyChange: (dirty: boolean) => void;
  onPendingChange: (pending: boolean) => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const {
    register,
    handleSubmit,
    setValue,
    setError,
    control,
    formState: { errors, isDirty, isSubmitting, isSubmitted },
  } = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(addKeySchema),
    mode: 'onTouched',
    defaultValues: { clientId, source: 'key', publicKey: '', jwksUrl: '', description: '', neverExpires: false, expiresAt: oneYearFromNow() },
  });
  const neverExpires = useWatch({ control, name: 'neverExpires' }) ?? false;
  const source = useWatch({ control, name: 'source' }) ?? 'key';
  useEffect(() => onDirtyChange(isDirty), [isDirty, onDirtyChange]);
  useEffect(() => onPendingChange(isSubmitting), [isSubmitting, onPendingChange]);

  const save = async (values: FormOut) => {
    setFormError(null);
    try {
      const result = await addKeyAction(values);
      if (result.ok) return onAdded();
      applyResult(result, setError, setFormError, SHOWN_FIELDS);
    } catch {
      setFormError('The server could not be reached. Nothing was saved; try again.');
    }
  };

  return (
    <form method="post" id={FORM_ID} onSubmit={(e) => void handleSubmit(save)(e)} noValidate aria-label="Add Key">
      {formError && (
        <div role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {formError}
        </div>
      )}
      <KeyFields
        source={source}
        onSourceChange={(v) => setValue('source', v, { shouldDirty: true })}
        sourceField={register('source')}
        publicKey={register('publicKey')}
        jwksUrl={register('jwksUrl')}
        description={register('description')}
        expiresAt={register('expiresAt')}
        neverExpires={neverExpires}
        onNeverExpiresChange={(v) => setValue('neverExpires', v, { shouldDirty: true, shouldValidate: isSubmitted })}
        errors={{
          publicKey: errors.publicKey?.message,
          jwksUrl: errors.jwksUrl?.message,
          description: errors.description?.message,
          expiresAt: errors.expiresAt?.message,
          neverExpires: errors.neverExpires?.message,
        }}
      />
    </form>
  );
}
