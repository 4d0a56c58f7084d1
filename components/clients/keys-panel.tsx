'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { removeKeyAction } from '@/app/(console)/security/clients/actions';
import { MAX_KEYS_PER_CLIENT } from '@/lib/clients/limits';
import type { ClientKeyRow } from '@/lib/clients/keys';
import { SECRET_STATUS_LABEL, secretStatus } from '@/lib/clients/secret-status';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { LocalTime } from '@/components/ui/local-time';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import { AddKeySheet } from './add-key-sheet';
import { usePaneParam } from './use-pane-param';

const statusTone = { active: 'green', expiring: 'amber', expired: 'red' } as const;
const SOURCE_LABEL = { pem: 'PEM', jwk: 'JWK', jwks_url: 'JWKS URL' } as const;
export const keyLabel = (k: ClientKeyRow) => {
  const what = k.source === 'jwks_url' ? (k.jwksUrl ?? 'JWKS URL') : (k.kid ?? `key ${k.id}`);
  return k.description ? `${k.description} (${what})` : what;
};

/** The Keys tab: the client's public keys for private_key_jwt, Add Key (up to 10) and Remove Key. */
export function KeysPanel({ clientId, keys }: { clientId: string; keys: ClientKeyRow[] }) {
  const router = useRouter();
  const addPane = usePaneParam('add', 'key');
  const [removing, setRemoving] = useState<ClientKeyRow | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const atLimit = keys.length >= MAX_KEYS_PER_CLIENT;

  async function remove() {
    if (!removing) return;
    setRemoveError(null);
    const result = await removeKeyAction({ clientId, keyId: removing.id }).catch(() => null);
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
          {keys.length} of {MAX_KEYS_PER_CLIENT} keys. With a key the client authenticates with a signed assertion
          (private_key_jwt) instead of a secret.
        </p>
        <div className="flex items-center gap-3">
          {atLimit && (
            <p id="add-key-limit" className="text-sm text-amber-900">
              This client has {MAX_KEYS_PER_CLIENT} keys, the most it can have. Remove a key to add another.
            </p>
          )}
          <Button onClick={addPane.open} disabled={atLimit} aria-describedby={atLimit ? 'add-key-limit' : undefined}>
            Add Key
          </Button>
        </div>
      </div>

      {keys.length === 0 ? (
        <div className="rounded-lg border border-dashed border-slate-300 bg-white px-6 py-8 text-center">
          <p className="font-medium text-slate-800">This client has no public keys.</p>
          <p className="mt-1 text-sm text-slate-600">Select Add Key to let it authenticate with a key pair instead of a secret.</p>
        </div>
      ) : (
        <Table aria-label="Keys">
          <THead>
            <tr>
              <Th>Description</Th>
              <Th>Key Id</Th>
              <Th>Algorithm</Th>
              <Th>Thumbprint</Th>
              <Th>Expiration</Th>
              <Th>Status</Th>
              <Th>Last Used</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            {keys.map((k) => {
              const status = secretStatus(k.expiresAt);
              return (
                <Tr key={k.id}>
                  <Td className="max-w-56 break-words">
                    {k.description || <span className="text-slate-500">No description</span>}
                    <div className="text-xs text-slate-500">
                      {SOURCE_LABEL[k.source]} · added <LocalTime value={k.createdAt} /> by {k.createdBy}
                    </div>
                  </Td>
                  {k.source === 'jwks_url' ? (
                    <Td colSpan={3} className="max-w-96 break-all">
                      <span className="text-slate-600">Keys from </span>
                      <code className="font-mono text-xs text-slate-700">{k.jwksUrl}</code>
                    </Td>
                  ) : (
                    <>
                      <Td className="max-w-40 break-all">
                        <code className="font-mono text-xs text-slate-700">{k.kid}</code>
                      </Td>
                      <Td>{k.alg}</Td>
                      <Td className="max-w-48 break-all">
                        <code className="font-mono text-xs text-slate-700">{k.thumbprint}</code>
                      </Td>
                    </>
                  )}
                  <Td className="whitespace-nowrap text-slate-700">{k.expiresAt ? <LocalTime value={k.expiresAt} /> : 'Never'}</Td>
                  <Td>
                    <Badge tone={statusTone[status]}>{SECRET_STATUS_LABEL[status]}</Badge>
                  </Td>
                  <Td className="whitespace-nowrap text-slate-700">{k.lastUsedAt ? <LocalTime value={k.lastUsedAt} /> : 'Never used'}</Td>
                  <Td>
                    <div className="flex justify-end">
                      <Button
                        size="sm"
                        variant="ghost"
                        className="whitespace-nowrap text-red-700 hover:bg-red-50"
                        aria-label={`Remove Key ${keyLabel(k)}`}
                        onClick={() => {
                          setRemoveError(null);
                          setRemoving(k);
                        }}
                      >
                        Remove Key
                      </Button>
                    </div>
                  </Td>
                </Tr>
              );
            })}
          </TBody>
        </Table>
      )}

      <AddKeySheet clientId={clientId} atLimit={atLimit} />
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title="Remove this key?"
        description={
          removing
            ? `The key ${keyLabel(removing)} will stop working at once: assertions signed with it get no more tokens. This cannot be undone.`
            : undefined
        }
        confirmLabel="Remove Key"
        variant="danger"
        onConfirm={remove}
        error={removeError}
      />
    </div>
  );
}
