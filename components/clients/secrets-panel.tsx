'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { removeSecretAction } from '@/app/(console)/security/clients/actions';
import { MAX_SECRETS_PER_CLIENT } from '@/lib/clients/limits';
import type { ClientSecretRow } from '@/lib/clients/queries';
import { SECRET_STATUS_LABEL, secretStatus } from '@/lib/clients/secret-status';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { LocalTime } from '@/components/ui/local-time';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import { ADD_SECRET_BUTTON_ID, AddSecretSheet } from './add-secret-sheet';
import { EditSecretDialog } from './edit-secret-dialog';
import { usePaneParam } from './use-pane-param';

const statusTone = { active: 'green', expiring: 'amber', expired: 'red' } as const;
const secretLabel = (s: ClientSecretRow) => (s.description ? `${s.description} (${s.displayHint})` : s.displayHint);

/** The Secrets tab: every secret with its dates and status, Add Secret (up to 10), Edit Secret, Remove Secret. */
export function SecretsPanel({ clientId, secrets, keyCount = 0 }: { clientId: string; secrets: ClientSecretRow[]; keyCount?: number }) {
  const router = useRouter();
  const addPane = usePaneParam('add', 'secret');
  const [editing, setEditing] = useState<ClientSecretRow | null>(null);
  const [removing, setRemoving] = useState<ClientSecretRow | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const atLimit = secrets.length >= MAX_SECRETS_PER_CLIENT;

  async function remove() {
    if (!removing) return;
    setRemoveError(null);
    const result = await removeSecretAction({ clientId, secretId: removing.id }).catch(() => null);
    if (result?.ok) {
      router.refresh();
      return true;
    }
    setRemoveError(result?.formError ?? 'The server could not be reached. Nothing was removed; try again.');
    return false;
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-700">
          {secrets.length} of {MAX_SECRETS_PER_CLIENT} secrets. Add a new secret before removing an old one to rotate without
          downtime.
        </p>
        <div className="flex items-center gap-3">
          {atLimit && (
            <p id="add-secret-limit" className="text-sm text-amber-900">
              This client has {MAX_SECRETS_PER_CLIENT} secrets, the most it can have. Remove a secret to add another.
            </p>
          )}
          <Button
            id={ADD_SECRET_BUTTON_ID}
            onClick={addPane.open}
            disabled={atLimit}
            aria-describedby={atLimit ? 'add-secret-limit' : undefined}
          >
            Add Secret
          </Button>
        </div>
      </div>

      {secrets.length === 0 && keyCount > 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-8 text-center">
          <p className="font-medium text-slate-800">This client has no secrets: it authenticates with its public keys (Keys tab).</p>
        </div>
      ) : secrets.length === 0 ? (
        <div className="rounded-lg border border-dashed border-red-300 bg-white px-6 py-8 text-center">
          <p className="font-medium text-slate-800">This client has no secrets, so it cannot get tokens.</p>
          <p className="mt-1 text-sm text-slate-600">Select Add Secret to create one.</p>
        </div>
      ) : (
        <Table aria-label="Secrets">
          <THead>
            <tr>
              <Th>Description</Th>
              <Th>Secret</Th>
              <Th>Created</Th>
              <Th>Expiration</Th>
              <Th>Status</Th>
              <Th>Last Used</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            {secrets.map((s) => {
              const status = secretStatus(s.expiresAt);
              return (
                <Tr key={s.id}>
                  <Td className="max-w-56 break-words">{s.description || <span className="text-slate-500">No description</span>}</Td>
                  <Td>
                    <code className="font-mono text-xs text-slate-700">{s.displayHint}</code>
                  </Td>
                  <Td className="text-slate-700">
                    <div className="whitespace-nowrap">
                      <LocalTime value={s.createdAt} />
                    </div>
                    <div className="text-xs text-slate-500">by {s.createdBy}</div>
                  </Td>
                  <Td className="whitespace-nowrap text-slate-700">{s.expiresAt ? <LocalTime value={s.expiresAt} /> : 'Never'}</Td>
                  <Td>
                    <Badge tone={statusTone[status]}>{SECRET_STATUS_LABEL[status]}</Badge>
                  </Td>
                  <Td className="whitespace-nowrap text-slate-700">{s.lastUsedAt ? <LocalTime value={s.lastUsedAt} /> : 'Never used'}</Td>
                  <Td>
                    <div className="flex justify-end gap-1">
                      <Button size="sm" variant="ghost" className="whitespace-nowrap" aria-label={`Edit Secret ${secretLabel(s)}`} onClick={() => setEditing(s)}>
                        Edit Secret
                      </Button>
                      <Button
                        size="sm"
                        variant="ghost"
                        className="whitespace-nowrap text-red-700 hover:bg-red-50"
                        aria-label={`Remove Secret ${secretLabel(s)}`}
                        onClick={() => {
                          setRemoveError(null);
                          setRemoving(s);
                        }}
                      >
                        Remove Secret
                      </Button>
                    </div>
                  </Td>
                </Tr>
              );
            })}
          </TBody>
        </Table>
      )}

      <AddSecretSheet clientId={clientId} atLimit={atLimit} />
      <EditSecretDialog clientId={clientId} secret={editing} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title="Remove this secret?"
        description={
          removing
            ? `The secret ${secretLabel(removing)} will stop working at once: applications using it can no longer get tokens with it. This cannot be undone.`
            : undefined
        }
        confirmLabel="Remove Secret"
        variant="danger"
        onConfirm={remove}
        error={removeError}
      >
        {secrets.length === 1 && (
          <p className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-amber-900">
            <strong className="font-semibold">This is the client’s last secret.</strong> After removing it the client cannot get
            tokens until you add a new secret.
          </p>
        )}
      </ConfirmDialog>
    </div>
  );
}
