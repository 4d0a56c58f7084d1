'use client';

import { useRouter } from 'next/navigation';
import { useState } from 'react';
import { removeClientAction, setClientEnabledAction } from '@/app/(console)/security/clients/actions';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/dialog';
import { DropdownMenu } from '@/components/ui/dropdown-menu';
import { usePaneParam } from '@/components/forms/use-url-pane';

const unreachable = 'The server could not be reached. Nothing was changed; try again.';

/** Disable Client / Enable Client, next to Status, each with a confirmation. */
export function ClientStatusControl({ clientId, name, enabled }: { clientId: string; name: string; enabled: boolean }) {
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const label = enabled ? 'Disable Client' : 'Enable Client';

  async function apply() {
    setError(null);
    // The answer carries the refreshed page (refresh() in the action): no second round trip.
    const result = await setClientEnabledAction({ clientId, enabled: !enabled }).catch(() => null);
    if (result?.ok) return true;
    setError(result?.formError ?? unreachable);
    return false;
  }

  return (
    <>
      <Button
        size="sm"
        variant="secondary"
        onClick={() => {
          setError(null);
          setOpen(true);
        }}
      >
        {label}
      </Button>
      <ConfirmDialog
        open={open}
        onOpenChange={setOpen}
        title={enabled ? `Disable client “${name}”?` : `Enable client “${name}”?`}
        description={
          enabled
            ? 'A disabled client gets no tokens: applications using it stop working until it is enabled again. Its secrets and roles are kept.'
            : 'The client can get tokens again with any of its secrets that have not expired.'
        }
        confirmLabel={label}
        variant={enabled ? 'danger' : 'primary'}
        onConfirm={apply}
        error={error}
      />
    </>
  );
}

/** Edit Client and the More Options menu (Remove Client, with a confirmation that names the client). */
export function ClientToolbar({ clientId, name, secretCount }: { clientId: string; name: string; secretCount: number }) {
  const router = useRouter();
  const editPane = usePaneParam('edit', 'client');
  const [removing, setRemoving] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function remove() {
    setError(null);
    const result = await removeClientAction({ clientId }).catch(() => null);
    if (result?.ok) {
      router.push('/security/clients');
      router.refresh();
      return true;
    }
    setError(result?.formError ?? unreachable);
    return false;
  }

  return (
    <div className="flex items-center gap-2" role="toolbar" aria-label="Client">
      <Button onClick={editPane.open}>Edit Client</Button>
      <DropdownMenu
        trigger={
          <Button variant="secondary" aria-label="More Options">
            More Options
            <svg aria-hidden="true" viewBox="0 0 20 20" className="h-4 w-4" fill="currentColor">
              <path d="M5.5 7.5L10 12l4.5-4.5z" />
            </svg>
          </Button>
        }
        items={[
          {
            label: 'Remove Client',
            danger: true,
            onSelect: () => {
              setError(null);
              setRemoving(true);
            },
          },
        ]}
      />
      <ConfirmDialog
        open={removing}
        onOpenChange={setRemoving}
        title={`Remove client “${name}”?`}
        description={`This removes the client, its roles${secretCount === 0 ? '' : ` and its ${secretCount === 1 ? 'secret' : `${secretCount} secrets`}`}. Applications using it can no longer get tokens. This cannot be undone.`}
        confirmLabel="Remove Client"
        variant="danger"
        onConfirm={remove}
        error={error}
      />
    </div>
  );
}
