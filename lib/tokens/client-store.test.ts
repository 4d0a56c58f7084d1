import { describe, expect, it } from 'vitest';
import { ClientStore, isClientIdFormat, type AuthClient } from './client-store';

const client = (id: string, enabled = true): AuthClient => ({
  id,
  tenantId: 't',
  clientType: 'client_credentials',
  enabled,
  requireDpop: false,
  tokenLifetime: 3600,
  name: 'c',
  redirectUris: [],
  postLogoutRedirectUris: [],
  refreshTokenLifetime: 2592000,
  roleNames: [],
  roleIds: [],
  secrets: [],
  keys: [],
  federated: [],
  apis: new Map(),
});

function deferred<T>() {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

describe('ClientStore', () => {
  it('loads once for concurrent requests and serves from memory within the TTL', async () => {
    let loads = 0;
    let now = 0;
    const store = new ClientStore(async (id) => (loads++, client(id)), 1000, 100, () => now);
    await Promise.all([store.get('a'), store.get('a'), store.get('a')]);
    expect(loads).toBe(1);
    now = 400;
    await store.get('a');
    expect(loads).toBe(1);
    // Past half the TTL: served from memory while a refresh runs in the background.
    now = 600;
    await store.get('a');
    expect(loads).toBe(2);
    // Past the TTL of the refreshed entry: must wait for the database.
    now = 1700;
    await store.get('a');
    expect(loads).toBe(3);
  });

  it('caches unknown ids too, and drops entries on invalidation', async () => {
    let loads = 0;
    const store = new ClientStore(async () => (loads++, null), 60_000);
    expect(await store.get('x')).toBeNull();
    expect(await store.get('x')).toBeNull();
    expect(loads).toBe(1);
    store.invalidate('x');
    await store.get('x');
    expect(loads).toBe(2);
    store.invalidateAll();
    await store.get('x');
    expect(loads).toBe(3);
  });

  it('does not keep a load that an invalidation overtook', async () => {
    const first = deferred<AuthClient | null>();
    const results = [first.promise, Promise.resolve(client('a', false))];
    const store = new ClientStore(() => results.shift()!, 60_000);
    const stale = store.get('a');
    store.invalidate('a'); // the client changed while the first load was on its way
    const fresh = await store.get('a');
    first.resolve(client('a', true));
    await stale;
    expect(fresh?.enabled).toBe(false);
    expect((await store.get('a'))?.enabled).toBe(false);
  });

  it('stays bounded', async () => {
    const store = new ClientStore(async (id) => client(id), 60_000, 3);
    for (const id of ['a', 'b', 'c', 'd']) await store.get(id);
    let loads = 0;
    const probe = new ClientStore(async (id) => (loads++, client(id)), 60_000, 3);
    for (const id of ['a', 'b', 'c', 'd', 'a']) await probe.get(id);
    expect(loads).toBe(5); // 'a' was evicted to make room for 'd'
    expect(await store.get('d')).toMatchObject({ id: 'd' });
  });

  it('recognises client ids (GUIDs) only', () => {
    expect(isClientIdFormat('0b6f1a52-6c1e-4b8a-9a3e-2f1f4c1d2e3f')).toBe(true);
    expect(isClientIdFormat('0B6F1A52-6C1E-4B8A-9A3E-2F1F4C1D2E3F')).toBe(true);
    expect(isClientIdFormat("x' or 1=1")).toBe(false);
  });

  it('uses a shorter TTL from setTtl on (while change notifications may be missed)', async () => {
    let loads = 0;
    let now = 0;
    const store = new ClientStore(async (id) => (loads++, client(id)), 60_000, 100, () => now);
    await store.get('a');
    now = 5000;
    await store.get('a');
    expect(loads).toBe(1);
    store.setTtl(1000);
    await store.get('a'); // 5 s old: past the short TTL, so loaded again
    expect(loads).toBe(2);
  });
});
