'use client';

import { useCallback, useState } from 'react';
import type { CreatedClient } from '@/lib/clients/create-client';
import type { RoleOption } from '@/lib/roles/queries';
import { AddClientForm } from './add-client-form';
import { AddClientPane, useAddClientPane } from './add-client-pane';
import type { CredentialKind } from './credential-choice';
import type { ApiOption } from './api-access-picker';

const FORM_ID = 'add-client-form';

/**
 * The Add Client pane of a client-credentials client (open while the URL has ?add=client) and, after Save, the
 * Client Successfully Created window (with the secret, or only the Client Id when the client has a key).
 */
export function AddClientSheet({ tenantRoles, communityRoles, apis }: { tenantRoles: RoleOption[]; communityRoles: RoleOption[]; apis: ApiOption[] }) {
  const state = useAddClientPane();
  const [credential, setCredential] = useState<CredentialKind>('secret');
  const { showCreated } = state;
  const onCreated = useCallback((c: CreatedClient) => showCreated({ clientId: c.clientId, secret: c.secret }), [showCreated]);

  return (
    <AddClientPane
      state={state}
      formId={FORM_ID}
      advance
      description={
        state.step === 'client'
          ? 'A client-credentials client lets a server get tokens without a user.'
          : credential === 'key'
            ? 'The client will authenticate with its key pair: only the public key is stored.'
            : credential === 'federated'
              ? 'The client will authenticate with its workload\'s platform token: nothing secret is stored.'
              : 'The secret is shown once, after Save.'
      }
    >
      {(form) => (
        <AddClientForm
          {...form}
          tenantRoles={tenantRoles}
          communityRoles={communityRoles}
          apis={apis}
          onCreated={onCreated}
          onCredentialChange={setCredential}
        />
      )}
    </AddClientPane>
  );
}
