'use client';

import { usePathname, useRouter, useSearchParams } from 'next/navigation';
import { useState } from 'react';
import { removeFederatedCredentialAction } from '@/app/(console)/security/clients/federated-actions';
import type { FederatedCredentialRow } from '@/lib/clients/federated/credentials';
import { MAX_FEDERATED_PER_CLIENT } from '@/lib/clients/federated/federated-credential.schema';
import { presetLabel } from '@/lib/clients/federated/presets';
import { SECRET_STATUS_LABEL, secretStatus } from '@/lib/clients/secret-status';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { LocalTime } from '@/components/ui/local-time';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import { AddFederatedSheet } from './add-federated-sheet';
import { EditFederatedSheet, editFederatedParam } from './edit-federated-sheet';
import { EmptyCredentials } from './credential-list-panel';
import { FederatedTestToken } from './federated-test-token';
import { usePaneParam } from '@/components/forms/use-url-pane';

const statusTone = { active: 'green', expiring: 'amber', expired: 'red', disabled: 'neutral' } as const;
const OPERATOR = { equals: '=', glob: 'matches', one_of: 'one of' } as const;

/**
 * The Federated Credentials tab: up to 20 credentials (issuer, audience, subject and claim conditions), each with its
 * status, last use and last failure reason; Add Federated Credential, Edit, Remove, and Test a token.
 */
export function FederatedPanel({ clientId, credentials, audience }: { clientId: string; credentials: FederatedCredentialRow[]; audience: string }) {
  const router = useRouter();
  const addPane = usePaneParam('add', 'federated');
  const [removing, setRemoving] = useState<FederatedCredentialRow | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const atLimit = credentials.length >= MAX_FEDERATED_PER_CLIENT;
  // Edit Federated Credential's pane is in the URL (?edit=federated-<id>). The credential stays mounted after the pane
  // closes, so the pane can animate out and give focus back to its Edit button.
  const params = useSearchParams();
  const pathname = usePathname();
  const editParam = params.get('edit');
  const editingNow = credentials.find((c) => editParam === editFederatedParam(c.id)) ?? null;
  const [editing, setEditing] = useState<FederatedCredentialRow | null>(editingNow);
  if (editingNow && editingNow !== editing) setEditing(editingNow);
  function openEdit(id: number) {
    const next = new URLSearchParams(params.toString());
    next.set('edit', editFederatedParam(id));
    window.history.pushState(null, '', `${pathname}?${next.toString()}`);
  }

  async function remove() {
    if (!removing) return;
    setRemoveError(null);
    const result = await removeFederatedCredentialAction({ clientId, credentialId: removing.id }).catch(() => null);
    if (result?.ok) {
      router.refresh();
      return true;
    }
    setRemoveError((result?.ok === false && result.formError) || 'The server could not be reached. Nothing was removed; try again.');
    return false;
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="max-w-3xl text-sm text-slate-700">
          {credentials.length} of {MAX_FEDERATED_PER_CLIENT} federated credentials. A workload (a CI job, a Kubernetes pod, a
          SPIFFE workload) sends the token its platform gave it as <code className="font-mono text-xs">client_assertion</code>, with
          this client&rsquo;s <code className="font-mono text-xs">client_id</code>: no secret to copy or rotate.
        </p>
        <div className="flex items-center gap-3">
          {atLimit && (
            <p id="add-federated-limit" className="text-sm text-amber-900">
              This client has {MAX_FEDERATED_PER_CLIENT} federated credentials, the most it can have.
            </p>
          )}
          <Button onClick={addPane.open} disabled={atLimit} aria-describedby={atLimit ? 'add-federated-limit' : undefined}>
            Add Federated Credential
          </Button>
        </div>
      </div>

      {credentials.length === 0 ? (
        <EmptyCredentials title="This client has no federated credentials." hint="Select Add Federated Credential and pick a preset such as GitHub Actions or Kubernetes." />
      ) : (
        <Table aria-label="Federated Credentials">
          <THead>
            <tr>
              <Th>Name</Th>
              <Th>Issuer and Subject</Th>
              <Th>Expiration</Th>
              <Th>Status</Th>
              <Th>Last Used</Th>
              <Th>Last Failure</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            {credentials.map((c) => {
              const status = c.enabled ? secretStatus(c.expiresAt) : 'disabled';
              return (
                <Tr key={c.id}>
                  <Td className="max-w-48 break-words">
                    <span className="font-medium">{c.name}</span>
                    <div className="text-xs text-slate-500">
                      {presetLabel(c.preset)} · added <LocalTime value={c.createdAt} /> by {c.createdBy}
                    </div>
                  </Td>
                  <Td className="max-w-md break-all text-xs">
                    <div>
                      <span className="text-slate-600">iss </span>
                      <code className="font-mono">{c.issuer}</code>
                    </div>
                    <div>
                      <span className="text-slate-600">aud </span>
                      <code className="font-mono">{c.audience}</code>
                    </div>
                    <div>
                      <span className="text-slate-600">sub {c.subjectOperator === 'glob' ? 'matches' : '='} </span>
                      <code className="font-mono">{c.subject}</code>
                    </div>
                    {c.conditions.map((cond, i) => (
                      <div key={i}>
                        <span className="text-slate-600">
                          {cond.claim} {OPERATOR[cond.operator]}{' '}
                        </span>
                        <code className="font-mono">{cond.values.join(', ')}</code>
                      </div>
                    ))}
                    <div className="text-slate-600">
                      Keys: {c.keySource === 'pasted' ? `pasted JWK Set (${c.keyIds.length} ${c.keyIds.length === 1 ? 'key' : 'keys'})` : 'OIDC discovery'} · at most{' '}
                      {Math.round(c.maxTokenAgeSeconds / 60)} min old{c.singleUse ? ' · each token once' : ''}
                    </div>
                  </Td>
                  <Td className="whitespace-nowrap text-slate-700">{c.expiresAt ? <LocalTime value={c.expiresAt} /> : 'Never'}</Td>
                  <Td>
                    <Badge tone={statusTone[status]}>{status === 'disabled' ? 'Disabled' : SECRET_STATUS_LABEL[status]}</Badge>
                  </Td>
                  <Td className="whitespace-nowrap text-slate-700">{c.lastUsedAt ? <LocalTime value={c.lastUsedAt} /> : 'Never used'}</Td>
                  <Td className="max-w-64 text-xs break-words text-slate-700">
                    {c.lastFailureAt ? (
                      <>
                        <LocalTime value={c.lastFailureAt} />
                        <div className="text-red-800">{c.lastFailureReason}</div>
                      </>
                    ) : (
                      'None'
                    )}
                  </Td>
                  <Td className="whitespace-nowrap">
                    <Button size="sm" variant="ghost" aria-label={`Edit Federated Credential ${c.name}`} onClick={() => openEdit(c.id)}>
                      Edit
                    </Button>
                    <Button
                      size="sm"
                      variant="ghost"
                      className="whitespace-nowrap text-red-700 hover:bg-red-50"
                      aria-label={`Remove Federated Credential ${c.name}`}
                      onClick={() => {
                        setRemoveError(null);
                        setRemoving(c);
                      }}
                    >
                      Remove
                    </Button>
                  </Td>
                </Tr>
              );
            })}
          </TBody>
        </Table>
      )}

      <FederatedTestToken clientId={clientId} hasCredentials={credentials.length > 0} />

      <AddFederatedSheet clientId={clientId} atLimit={atLimit} audience={audience} />
      {editing && <EditFederatedSheet key={editing.id} clientId={clientId} credential={editingNow ?? editing} />}
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title="Remove this federated credential?"
        description={removing ? `Tokens matching ${removing.name} will get no more access tokens, at once. This cannot be undone.` : undefined}
        confirmLabel="Remove Federated Credential"
        variant="danger"
        onConfirm={remove}
        error={removeError}
      />
    </div>
  );
}
