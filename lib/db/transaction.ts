import type { Db } from './index';

/**
 * Registers work to run once the transaction has committed (change notifications). `key`: hooks with the same key run
 * once (three steps changing one client in one transaction announce it once).
 */
export type AfterCommit = (hook: () => Promise<void> | void, key?: string) => void;

/**
 * One transaction, and the work that must wait for its commit. A notification sent from inside a transaction that
 * then rolls back would be a lie, and a cache refilled before the commit would hold the old state: so the code that
 * makes a change registers its notification where it makes it (`afterCommit`), and the hooks run here, in order, after
 * the commit. A transaction that throws (rolls back) runs none. Hooks must not throw (clientChanged never does).
 */
export async function inTransaction<T>(db: Db, work: (tx: Db, afterCommit: AfterCommit) => Promise<T>): Promise<T> {
  const hooks = new Map<string | symbol, () => Promise<void> | void>();
  const result = await db.transaction((tx) =>
    work(tx as unknown as Db, (hook, key) => {
      const k = key ?? Symbol();
      if (!hooks.has(k)) hooks.set(k, hook);
    }),
  );
  for (const hook of hooks.values()) await hook();
  return result;
}
