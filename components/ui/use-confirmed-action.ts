'use client';

import { useState } from 'react';
import type { ActionResult } from '@/lib/actions/result';

/**
 * A row action that asks first (Remove a role, a user, a channel...): `ask(item)` opens the confirmation, `dialog`
 * is spread on <ConfirmDialog>. Confirm runs the server action; a refusal stays in the open dialog as its error
 * (`failure` when the action gave no message), a success closes it and hands the answer to `onDone`.
 */
export function useConfirmedAction<T, R>(
  run: (item: T) => Promise<ActionResult<R>>,
  { failure, onDone }: { failure: string; onDone: (data: R, item: T) => void },
) {
  const [target, setTarget] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  return {
    target,
    ask(item: T) {
      setError(null);
      setTarget(item);
    },
    dialog: {
      open: target !== null,
      onOpenChange: (open: boolean) => {
        if (!open) setTarget(null);
      },
      error,
      onConfirm: async () => {
        if (target === null) return;
        setError(null);
        const result = await run(target);
        if (!result.ok) {
          setError(result.formError ?? failure);
          return false;
        }
        onDone(result.data, target);
        setTarget(null);
      },
    },
  };
}
