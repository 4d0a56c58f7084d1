'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import type { ActionResult } from '@/lib/actions/result';
import { SECRET_STATUS_LABEL, secretStatus } from '@/lib/clients/secret-status';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { LocalTime } from '@/components/ui/local-time';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import { usePaneParam } from '@/components/forms/use-url-pane';

const statusTone = { active: 'green', expiring: 'amber', expired: 'red' } as const;

/** What the Secrets and Keys tabs list: credentials with a description, an expiry and a last use. */
export type CredentialRow = { id: number; description: string; expiresAt: Date | null; lastUsedAt: Date | null; revokedAt?: Date | null };

type CredentialListPanelProps<T extends CredentialRow> = {
  /** "Secret" or "Key": the buttons (Add Key, Remove Key), the table (Keys) and the sentences (3 of 10 keys). */
  noun: 'Secret' | 'Key';
  items: T[];
  max: number;
  /** After "3 of 10 keys.". */
  intro: React.ReactNode;
  /** The value of ?add= that opens the Add pane. */
  addPane: string;
  addButtonId?: string;
  /** Shown instead of the table when there is nothing to list. */
  empty: React.ReactNode;
  /** Names an item in the Remove button and its confirmation ("Remove Key prod (kid-1)"). */
  label: (item: T) => string;
  /** Under the description in its cell. */
  describe?: (item: T) => React.ReactNode;
  /** The columns between Description and Expiration: their headers, and each row's cells (Td). */
  columns: string[];
  cells: (item: T) => React.ReactNode;
  /** Buttons before Remove in a row. */
  actions?: (item: T) => React.ReactNode;
  remove: (item: T) => Promise<ActionResult<unknown>>;
  /** What removing stops working, for the confirmation. */
  removeDescription: (label: string) => string;
  /** More in the confirmation (e.g. that this is the last secret). */
  removeWarning?: React.ReactNode;
  /** The Add pane and any dialogs of the tab. */
  children?: React.ReactNode;
};

/**
 * A tab of a client's credentials (Secrets, Keys): how many of the most it may have, Add (disabled at the limit,
 * with the reason), a table with Expiration, Status and Last Used, and Remove with a confirmation that shows the
 * server's refusal.
 */
export function CredentialListPanel<T extends CredentialRow>(props: CredentialListPanelProps<T>) {
  const { noun, items, max, label, remove: removeItem } = props;
  const router = useRouter();
  const addPane = usePaneParam('add', props.addPane);
  const [removing, setRemoving] = useState<T | null>(null);
  const [removeError, setRemoveError] = useState<string | null>(null);
  const atLimit = items.length >= max;
  const one = noun.toLowerCase();
  const limitId = `add-${one}-limit`;

  async function remove() {
    if (!removing) return;
    setRemoveError(null);
    const result = await removeItem(removing).catch(() => null);
    if (result?.ok) {
      router.refresh();
      return true;
    }
    setRemoveError((result?.ok === false && result.formError) || 'The server could not be reached. Nothing was removed; try again.');
    return false;
  }

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-700">
          {items.length} of {max} {one}s. {props.intro}
        </p>
        <div className="flex items-center gap-3">
          {atLimit && (
            <p id={limitId} className="text-sm text-amber-900">
              This client has {max} {one}s, the most it can have. Remove a {one} to add another.
            </p>
          )}
          <Button id={props.addButtonId} onClick={addPane.open} disabled={atLimit} aria-describedby={atLimit ? limitId : undefined}>
            Add {noun}
          </Button>
        </div>
      </div>

      {items.length === 0 ? (
        props.empty
      ) : (
        <Table aria-label={`${noun}s`}>
          <THead>
            <tr>
              <Th>Description</Th>
              {props.columns.map((c) => (
                <Th key={c}>{c}</Th>
              ))}
              <Th>Expiration</Th>
              <Th>Status</Th>
              <Th>Last Used</Th>
              <Th>
                <span className="sr-only">Actions</span>
              </Th>
            </tr>
          </THead>
          <TBody>
            {items.map((item) => {
              const status = secretStatus(item.expiresAt);
              return (
                <Tr key={item.id}>
                  <Td className="max-w-56 break-words">
                    {item.description || <span className="text-slate-500">No description</span>}
                    {props.describe?.(item)}
                  </Td>
                  {props.cells(item)}
                  <Td className="whitespace-nowrap text-slate-700">{item.expiresAt ? <LocalTime value={item.expiresAt} /> : 'Never'}</Td>
                  <Td>
                    {item.revokedAt ? (
                      <Badge tone="red">Revoked (reported leaked)</Badge>
                    ) : (
                      <Badge tone={statusTone[status]}>{SECRET_STATUS_LABEL[status]}</Badge>
                    )}
                  </Td>
                  <Td className="whitespace-nowrap text-slate-700">{item.lastUsedAt ? <LocalTime value={item.lastUsedAt} /> : 'Never used'}</Td>
                  <Td>
                    <div className="flex justify-end gap-1">
                      {props.actions?.(item)}
                      <Button
                        size="sm"
                        variant="ghost"
                        className="whitespace-nowrap text-red-700 hover:bg-red-50"
                        aria-label={`Remove ${noun} ${label(item)}`}
                        onClick={() => {
                          setRemoveError(null);
                          setRemoving(item);
                        }}
                      >
                        Remove {noun}
                      </Button>
                    </div>
                  </Td>
                </Tr>
              );
            })}
          </TBody>
        </Table>
      )}

      {props.children}
      <ConfirmDialog
        open={removing !== null}
        onOpenChange={(open) => !open && setRemoving(null)}
        title={`Remove this ${one}?`}
        description={removing ? props.removeDescription(label(removing)) : undefined}
        confirmLabel={`Remove ${noun}`}
        variant="danger"
        onConfirm={remove}
        error={removeError}
      >
        {props.removeWarning}
      </ConfirmDialog>
    </div>
  );
}

/** The empty state of a credential tab; `tone` red when the client cannot get tokens without one. */
export function EmptyCredentials({ title, hint, tone = 'neutral' }: { title: string; hint?: string; tone?: 'neutral' | 'red' }) {
  return (
    <div className={`rounded-lg border border-dashed ${tone === 'red' ? 'border-red-300' : 'border-slate-300'} bg-white px-6 py-8 text-center`}>
      <p className="font-medium text-slate-800">{title}</p>
      {hint && <p className="mt-1 text-sm text-slate-600">{hint}</p>}
    </div>
  );
}
