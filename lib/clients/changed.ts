import type { AfterCommit } from '../db/transaction';
import { notifyClientChanged } from '../tokens/invalidation';

/**
 * The one place every post-commit client change goes through (created, edited, disabled, enabled, removed, secret
 * added, edited or removed), so the token service's caches drop the client in every instance. Call it only AFTER
 * the transaction committed: a notification from inside a transaction that then rolls back would be a lie, and a
 * cache refilled before the commit would hold the old state. Never throws.
 */
export function clientChanged(clientId: string): Promise<void> {
  return notifyClientChanged(clientId);
}

/** clientChanged once the transaction of `afterCommit` has committed (lib/db/transaction.ts); once per client. */
export function clientChangedAfterCommit(afterCommit: AfterCommit, clientId: string) {
  afterCommit(() => clientChanged(clientId), `client:${clientId}`);
}
