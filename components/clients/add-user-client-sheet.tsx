'use client';

import { useRouter } from 'next/navigation';
import { useCallback } from 'react';
import type { CreatedUserClient } from '@/lib/clients/create-user-client';
import type { UserClientType } from '@/lib/clients/client-types';
import type { RoleOption } from '@/lib/roles/queries';
import { AddClientPane, useAddClientPane } from './add-client-pane';
import { AddUserClientForm } from './add-user-client-form';
import type { ApiOption } from './api-access-picker';

const FORM_ID = 'add-user-client-form';

const DESCRIPTIONS: Record<UserClientType, string> = {
  authorization_code: 'An Authorization Code client is a browser or native app that signs users in with PKCE. It has no secret.',
  hybrid: 'A Hybrid client is a server-side web app that signs users in and authenticates with a secret.',
  device_code: 'A Device Code client is a TV, CLI or device without a browser: its user approves it on another screen. It has no secret.',
};

/**
 * Add Client for the Authorization Code, Hybrid and Device Code types (open while the URL has ?add=client). A Hybrid client's
 * Save shows the Client Successfully Created window with its one-time secret; an Authorization Code client has no
 *  secret, nor has a Device Code client, so Save opens its details page.
 */
export function AddUserClientSheet({
  clientType,
  tenantRoles,
  communityRoles,
  apis,
}: {
  clientType: UserClientType;
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
  apis: ApiOption[];
}) {
  const router = useRouter();
  const state = useAddClientPane();
  const { showCreated } = state;
  const onCreated = useCallback(
    (c: CreatedUserClient) => {
      if (c.secret) showCreated({ clientId: c.clientId, secret: c.secret });
      else router.push(`/security/clients/${c.clientId}`);
    },
    [showCreated, router],
  );

  return (
    <AddClientPane
      state={state}
      formId={FORM_ID}
      advance={clientType === 'hybrid'}
      description={state.step === 'client' ? DESCRIPTIONS[clientType] : 'The secret is shown once, after Save.'}
    >
      {(form) => (
        <AddUserClientForm
          key={clientType}
          {...form}
          clientType={clientType}
          tenantRoles={tenantRoles}
          communityRoles={communityRoles}
          apis={apis}
          onCreated={onCreated}
        />
      )}
    </AddClientPane>
  );
}
