'use client';

import { useState } from 'react';
import { removeSecretAction } from '@/app/(console)/security/clients/actions';
import { MAX_SECRETS_PER_CLIENT } from '@/lib/clients/limits';
import type { ClientSecretRow } from '@/lib/clients/queries';
import { Button } from '@/components/ui/button';
import { LocalTime } from '@/components/ui/local-time';
import { Td } from '@/components/ui/table';
import { ADD_SECRET_BUTTON_ID, AddSecretSheet } from './add-secret-sheet';
import { CredentialListPanel, EmptyCredentials } from './credential-list-panel';
import { EditSecretDialog } from './edit-secret-dialog';

const secretLabel = (s: ClientSecretRow) => (s.description ? `${s.description} (${s.displayHint})` : s.displayHint);

/** The Secrets tab: every secret with its dates and status, Add Secret (up to 10), Edit Secret, Remove Secret. */
export function SecretsPanel({ clientId, secrets, keyCount = 0 }: { clientId: string; secrets: ClientSecretRow[]; keyCount?: number }) {
  const [editing, setEditing] = useState<ClientSecretRow | null>(null);
  return (
    <CredentialListPanel
      noun="Secret"
      items={secrets}
      max={MAX_SECRETS_PER_CLIENT}
      intro="Add a new secret before removing an old one to rotate without downtime."
      addPane="secret"
      addButtonId={ADD_SECRET_BUTTON_ID}
      empty={
        keyCount > 0 ? (
          <EmptyCredentials title="This client has no secrets: it authenticates with its public keys (Keys tab)." />
        ) : (
          <EmptyCredentials tone="red" title="This client has no secrets, so it cannot get tokens." hint="Select Add Secret to create one." />
        )
      }
      label={secretLabel}
      columns={['Secret', 'Created']}
      cells={(s) => (
        <>
          <Td>
            <code className="font-mono text-xs text-slate-700">{s.displayHint}</code>
          </Td>
          <Td className="text-slate-700">
            <div className="whitespace-nowrap">
              <LocalTime value={s.createdAt} />
            </div>
            <div className="text-xs text-slate-500">by {s.createdBy}</div>
          </Td>
        </>
      )}
      actions={(s) => (
        <Button size="sm" variant="ghost" className="whitespace-nowrap" aria-label={`Edit Secret ${secretLabel(s)}`} onClick={() => setEditing(s)}>
          Edit Secret
        </Button>
      )}
      remove={(s) => removeSecretAction({ clientId, secretId: s.id })}
      removeDescription={(label) =>
        `The secret ${label} will stop working at once: applications using it can no longer get tokens with it. This cannot be undone.`
      }
      removeWarning={
        secrets.length === 1 && (
          <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
            <strong className="font-semibold">This is the client’s last secret.</strong> After removing it the client cannot get
            tokens until you add a new secret.
          </p>
        )
      }
    >
      <AddSecretSheet clientId={clientId} atLimit={secrets.length >= MAX_SECRETS_PER_CLIENT} />
      <EditSecretDialog clientId={clientId} secret={editing} onClose={() => setEditing(null)} />
    </CredentialListPanel>
  );
}
