'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useCallback, useEffect, useState } from 'react';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { updateClientUrlsAction } from '@/app/(console)/security/clients/actions';
import { updateClientUrlsSchema } from '@/lib/clients/user-client.schema';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { Sheet } from '@/components/ui/sheet';
import { SubmitButton } from '@/components/ui/submit-button';
import { applyResult } from './form-result';
import { SignInUrlFields } from './sign-in-url-fields';
import { usePaneParam } from './use-pane-param';

const FORM_ID = 'edit-sign-in-settings-form';
const SHOWN_FIELDS = ['redirectUris', 'postLogoutRedirectUris', 'allowedCorsOrigins', 'refreshTokenLifetime'];

type FormIn = z.input<typeof updateClientUrlsSchema>;
type FormOut = z.output<typeof updateClientUrlsSchema>;

export type SignInSettings = {
  id: string;
  name: string;
  version: number;
  clientType: 'authorization_code' | 'hybrid';
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  allowedCorsOrigins: string[];
  refreshTokenLifetime: number;
};

/** The Edit Sign-In Settings pane of an Authorization Code or Hybrid client, open while the URL has ?edit=sign-in. */
export function EditSignInSettingsSheet({ client }: { client: SignInSettings }) {
  const router = useRouter();
  const pane = usePaneParam('edit', 'sign-in');
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
        open={pane.isOpen && !closing}
        onOpenChange={(next) => (next ? pane.open() : requestClose())}
        onRequestClose={requestClose}
        title="Edit Sign-In Settings"
        description={client.name}
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
        <SignInSettingsForm
          key={client.version}
          client={client}
          onSaved={() => {
            close();
            router.refresh();
          }}
          onDirtyChange={setDirty}
          onPendingChange={setPending}
          onReload={() => router.refresh()}
        />
      </Sheet>
      <ConfirmDialog
        open={confirmDiscard}
        onOpenChange={setConfirmDiscard}
        title="Discard your changes?"
        description="The changes you made to this client will be lost."
        confirmLabel="Discard"
        cancelLabel="Keep editing"
        variant="danger"
        onConfirm={close}
      />
    </>
  );
}

function SignInSettingsForm({
  client,
  onSaved,
  onDirtyChange,
  onPendingChange,
  onReload,
}: {
  client: SignInSettings;
  onSaved: () => void;
  onDirtyChange: (dirty: boolean) => void;
  onPendingChange: (pending: boolean) => void;
  onReload: () => void;
}) {
  const [formError, setFormError] = useState<string | null>(null);
  const [conflict, setConflict] = useState(false);
  const {
    register,
    handleSubmit,
    setError,
    formState: { errors, isDirty, isSubmitting },
  } = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(updateClientUrlsSchema),
    mode: 'onTouched',
    defaultValues: {
      clientId: client.id,
      version: client.version,
      redirectUris: client.redirectUris.join('\n'),
      postLogoutRedirectUris: client.postLogoutRedirectUris.join('\n'),
      allowedCorsOrigins: client.allowedCorsOrigins.join('\n'),
      refreshTokenLifetime: String(client.refreshTokenLifetime),
    },
  });
  useEffect(() => onDirtyChange(isDirty), [isDirty, onDirtyChange]);
  useEffect(() => onPendingChange(isSubmitting), [isSubmitting, onPendingChange]);

  const save = async (values: FormOut) => {
    setFormError(null);
    setConflict(false);
    try {
      const result = await updateClientUrlsAction(values);
      if (result.ok) return onSaved();
      if (result.code === 'conflict') setConflict(true);
      applyResult(result, setError, setFormError, SHOWN_FIELDS);
    } catch {
      setFormError('The server could not be reached. Nothing was saved; try again.');
    }
  };

  return (
    <form method="post" id={FORM_ID} onSubmit={(e) => void handleSubmit(save)(e)} noValidate aria-label="Edit Sign-In Settings" className="space-y-5">
      {formError && (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          <p>{formError}</p>
          {conflict && (
            <Button variant="secondary" size="sm" className="mt-2" onClick={onReload}>
              Reload
            </Button>
          )}
        </div>
      )}
      <SignInUrlFields
        register={{
          redirectUris: register('redirectUris'),
          postLogoutRedirectUris: register('postLogoutRedirectUris'),
          allowedCorsOrigins: client.clientType === 'hybrid' ? undefined : register('allowedCorsOrigins'),
          refreshTokenLifetime: register('refreshTokenLifetime'),
        }}
        errors={{
          redirectUris: errors.redirectUris?.message,
          postLogoutRedirectUris: errors.postLogoutRedirectUris?.message,
          allowedCorsOrigins: errors.allowedCorsOrigins?.message,
          refreshTokenLifetime: errors.refreshTokenLifetime?.message,
        }}
      />
    </form>
  );
}
