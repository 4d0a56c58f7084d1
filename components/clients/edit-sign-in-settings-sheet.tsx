'use client';

import { zodResolver } from '@hookform/resolvers/zod';
import { useRouter } from 'next/navigation';
import { useForm } from 'react-hook-form';
import type { z } from 'zod';
import { updateClientUrlsAction } from '@/app/(console)/security/clients/actions';
import { updateClientUrlsSchema } from '@/lib/clients/user-client.schema';
import { FormError, useActionForm } from './action-form';
import { DISCARD_EDIT, UrlFormPane, type PaneFormProps } from '@/components/forms/form-pane';
import { SignInUrlFields, signInUrlFieldProps } from './sign-in-url-fields';

const FORM_ID = 'edit-sign-in-settings-form';
const SHOWN_FIELDS = ['redirectUris', 'postLogoutRedirectUris', 'allowedCorsOrigins', 'refreshTokenLifetime'];

type FormIn = z.input<typeof updateClientUrlsSchema>;
type FormOut = z.output<typeof updateClientUrlsSchema>;

export type SignInSettings = {
  id: string;
  name: string;
  version: number;
  clientType: 'authorization_code' | 'hybrid' | 'device_code';
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  allowedCorsOrigins: string[];
  refreshTokenLifetime: number;
};

/** The Edit Sign-In Settings pane of an Authorization Code, Hybrid or Device Code client, open while the URL has ?edit=sign-in. */
export function EditSignInSettingsSheet({ client }: { client: SignInSettings }) {
  const router = useRouter();
  return (
    <UrlFormPane
      param={['edit', 'sign-in']}
      title="Edit Sign-In Settings"
      description={client.name}
      formId={FORM_ID}
      discard={{ title: 'Discard your changes?', description: DISCARD_EDIT }}
    >
      {(form) => <SignInSettingsForm key={client.version} client={client} {...form} onReload={() => router.refresh()} />}
    </UrlFormPane>
  );
}

function SignInSettingsForm({
  client,
  onDone,
  onDirtyChange,
  onPendingChange,
  onReload,
}: PaneFormProps & { client: SignInSettings; onReload: () => void }) {
  const form = useForm<FormIn, unknown, FormOut>({
    resolver: zodResolver(updateClientUrlsSchema),
    mode: 'onTouched',
    defaultValues: {
      clientId: client.id,
      version: client.version,
      clientType: client.clientType,
      redirectUris: client.redirectUris.join('\n'),
      postLogoutRedirectUris: client.postLogoutRedirectUris.join('\n'),
      allowedCorsOrigins: client.allowedCorsOrigins.join('\n'),
      refreshTokenLifetime: String(client.refreshTokenLifetime),
    },
  });
  const { formError, conflict, submit } = useActionForm(form, { shownFields: SHOWN_FIELDS, onDirtyChange, onPendingChange });

  const save = (values: FormOut) => submit(() => updateClientUrlsAction(values), onDone);

  return (
    <form method="post" id={FORM_ID} onSubmit={(e) => void form.handleSubmit(save)(e)} noValidate aria-label="Edit Sign-In Settings" className="space-y-5">
      <FormError message={formError} onReload={conflict ? onReload : undefined} />
      <SignInUrlFields
        {...signInUrlFieldProps(form, { corsOrigins: client.clientType === 'authorization_code', urls: client.clientType !== 'device_code' })}
      />
    </form>
  );
}
