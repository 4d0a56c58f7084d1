'use client';

import { useRouter } from 'next/navigation';
import type { RoleOption } from '@/lib/roles/queries';
import { EditClientForm, type EditableClient } from './edit-client-form';
import { DISCARD_EDIT, UrlFormPane } from '@/components/forms/form-pane';
import type { ApiOption } from './api-access-picker';

const FORM_ID = 'edit-client-form';

/** The Edit Client pane, open while the URL has ?edit=client. */
export function EditClientSheet({
  client,
  tenantRoles,
  communityRoles,
  apis,
}: {
  client: EditableClient;
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
  apis: ApiOption[];
}) {
  const router = useRouter();
  return (
    <UrlFormPane
      param={['edit', 'client']}
      title="Edit Client"
      description={client.name}
      formId={FORM_ID}
      discard={{ title: 'Discard your changes?', description: DISCARD_EDIT }}
    >
      {(form) => (
        <EditClientForm
          // A newer version (after Reload) starts the form again from the current values.
          key={client.version}
          formId={FORM_ID}
          client={client}
          tenantRoles={tenantRoles}
          communityRoles={communityRoles}
          apis={apis}
          {...form}
          onReload={() => router.refresh()}
        />
      )}
    </UrlFormPane>
  );
}
