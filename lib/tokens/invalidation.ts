import { getDbHandle, type DbHandle } from '../db';

/**
 * Change notifications for the token service's in-memory caches. This process's caches are updated before the call
 * returns; PostgreSQL LISTEN/NOTIFY reaches every other instance on the database within milliseconds (on PGlite, one
 * process per folder, there are no others). A change to one client is announced by the database itself: triggers on
 * clients, client_secrets, client_keys, client_roles and roles (drizzle/0005_client_change_triggers.sql) NOTIFY on
 * commit, whoever wrote it (the console, the REST API, a script, psql), and never for a rolled-back transaction.
 * So while an instance's listening connection is up its cache misses nothing, and the cache TTL is only a backstop.
 */
export const CLIENT_CHANGED_CHANNEL = 'tsc_client_changed';
export const KEYS_CHANGED_CHANNEL = 'tsc_signing_keys_changed';
/** Payload meaning "every client" (e.g. a role was renamed or deleted). */
export const ALL_CLIENTS = '*';

type LocalListener = (channel: string, payload: string) => void;
// On globalThis: the console's server actions run in Next's module graph, the token service in server.ts's.
const localListeners = ((globalThis as Record<string, unknown>).__tscTokenInvalidation ??= new Set()) as Set<LocalListener>;

/** Token services in this process register here, so a change made in this process applies before the call returns. */
export function onLocalChange(fn: LocalListener): () => void {
  localListeners.add(fn);
  return () => localListeners.delete(fn);
}

/** After a failed NOTIFY: retried in the background at these delays (the caller is not kept waiting). */
export const NOTIFY_RETRY_DELAYS_MS = [250, 1000, 4000, 15_000];

async function send(channel: string, payload: string, handle?: DbHandle) {
  for (const fn of localListeners) fn(channel, payload);
  let h: DbHandle | undefined = handle;
  // A change to one client the database announces itself, on commit (triggers, drizzle/0005): nothing to send.
  if (channel === CLIENT_CHANGED_CHANNEL && payload !== ALL_CLIENTS) return;
  const attempt = async () => (h ??= await getDbHandle()).notify(channel, payload);
  try {
    await attempt();
  } catch (err) {
    // The change is committed. Other instances learn of it from a retry, or at the latest from their cache TTL.
    console.error(`[tokens] change notification on ${channel} failed, retrying:`, (err as Error).message);
    const retry = (i: number) => {
      if (i >= NOTIFY_RETRY_DELAYS_MS.length) {
        console.error(`[tokens] change notification on ${channel} failed ${i + 1} times; giving up`);
        return;
      }
      setTimeout(() => {
        attempt().catch(() => retry(i + 1));
      }, NOTIFY_RETRY_DELAYS_MS[i]).unref();
    };
    retry(0);
  }
}

/**
 * Call AFTER the transaction that changed a client commits: create, edit (name, token lifetime, roles), disable,
 * enable, remove, secret or key added/edited/removed. This process's token services drop their cached copy before
 * the call returns; every other instance hears of the change from the database (its triggers NOTIFY on commit), so
 * e.g. a disabled client or a removed secret gets no more tokens and the client's tokens introspect as inactive.
 * Never throws.
 */
export function notifyClientChanged(clientId: string, handle?: DbHandle): Promise<void> {
  return send(CLIENT_CHANGED_CHANNEL, clientId.toLowerCase(), handle);
}

/** Call after a change that touches many clients at once (a role renamed or deleted, a tenant deleted). Never throws. */
export function notifyAllClientsChanged(handle?: DbHandle): Promise<void> {
  return send(CLIENT_CHANGED_CHANNEL, ALL_CLIENTS, handle);
}

/** Call after signing keys change (keys:rotate does). Never throws. */
export function notifySigningKeysChanged(handle?: DbHandle): Promise<void> {
  return send(KEYS_CHANGED_CHANNEL, '', handle);
}
