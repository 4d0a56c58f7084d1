'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { updateSecretAction } from '@/app/(console)/security/clients/actions';
import type { ClientSecretRow } from '@/lib/clients/queries';
import { updateSecretSchema } from '@/lib/clients/secret.schema';
import { Button } from '@/components/ui/button';
import { SubmitButton } from '@/components/ui/submit-button';
import { Dialog } from '@/components/ui/dialog';
import { FormError, useActionForm, useExpiryFields } from './action-form';
import { oneYearFromNow, toLocalInputValue } from './new-guid';
import { SecretFields } from './secret-fields';

type FormIn = z.input<typeof updateSecretSchema>;
type FormOut = z.output<typeof updateSecretSchema>;
const SHOWN_FIELDS = ['description', 'expiresAt', 'neverExpires'];

/** Edit Secret: description and expiration (or Never Expires). The secret itself never changes and is never shown. */
export function EditSecretDialog({
  clientId,
  secret,
  onClose,
}: {
  clientId: string;
  secret: ClientSecretRow | null;
  onClose: () => void;
}) {
  return (
    <Dialog
      open={secret !== null}
      onOpenChange={(open) => !open && onClose()}
      title="Edit Secret"
      description={secret ? `Secret ${secret.displayHint}${secret.description ? ` (${secret.description})` : ''}` : undefined}
    >
      {secret && <EditSecretForm key={secret.id} clientId={clientId} secret={secret} onDone={onClose} />}
    </Dialog>
  );
}

function EditSecretForm({ clientId, secret, onDone }: { clientId: string; secret: ClientSecretRow; onDone: () => void }) {
  const router = useRouter();
  const current = secret.expiresAt ? new Date(secret.expiresAt) : null;
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(updateSecretSchema),
    mode: 'onTouched',
    defaultValues: {
      clientId,
      secretId: secret.id,
      description: secret.description,
      neverExpires: current === null,
      expiresAt: current ? toLocalInputValue(current) : oneYearFromNow(),
      currentExpiresAt: current ? current.toISOString() : null,
    },
  });
  const { formError, submit } = useActionForm(form, { shownFields: SHOWN_FIELDS });
  const expiry = useExpiryFields(form);
  const { isSubmitting } = form.formState;

  const save = (values: FormOut) =>
    submit(
      () => updateSecretAction(values),
      () => {
        onDone();
        router.refresh();
      },
    );

  return (
    <form method="post" onSubmit={(e) => void form.handleSubmit(save)(e)} noValidate aria-label="Edit Secret" className="space-y-5">
      <FormError message={formError} />
      <SecretFields {...expiry} />
      <div className="flex justify-end gap-2 pt-2">
        <Button variant="secondary" onClick={onDone} disabled={isSubmitting}>
          Cancel
        </Button>
        <SubmitButton disabled={isSubmitting} aria-busy={isSubmitting}>
          {isSubmitting ? 'Saving…' : 'Save'}
        </SubmitButton>
      </div>
    </form>
  );
}
