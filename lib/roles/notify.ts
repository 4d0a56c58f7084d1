import type { AfterCommit } from '../db/transaction';
import { notifyAllClientsChanged, notifyClientChanged } from '../tokens/invalidation';

// Past this many clients one "every client" message is cheaper than a message per client.
const PER_CLIENT_LIMIT = 100;

/**
 * The single call site for "these clients' roles changed" (a role renamed or removed, a community removed): the
 * token service caches each client's role ids and names and must drop these clients. Call it only AFTER the
 * transaction commits, with the ids collected inside it. Never throws (the notifications do not).
 */
export async function afterClientsChanged(clientIds: readonly string[]): Promise<void> {
  if (clientIds.length === 0) return;
  if (clientIds.length > PER_CLIENT_LIMIT) {
    await notifyAllClientsChanged();
    return;
  }
  for (const id of clientIds) await notifyClientChanged(id);
}

/** afterClientsChanged once the transaction of `afterCommit` has committed (lib/db/transaction.ts). */
export function clientsChangedAfterCommit(afterCommit: AfterCommit, clientIds: readonly string[]) {
  if (clientIds.length > 0) afterCommit(() => afterClientsChanged(clientIds));
}
