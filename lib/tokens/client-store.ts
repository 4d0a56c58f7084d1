import { sql } from 'drizzle-orm';
import type { Db } from '../db';
import { loadedKeys, type AuthKey, type KeyRow } from './client-keys';
import { loadedFederated, type AuthFederated, type FederatedRow } from './federated-assertion';
import { loadedApiAccess, type ApiAccess, type ApiAccessRow } from './resource';
import { tokenStats } from './stats';
import { metrics } from '../metrics';

/** What the token endpoint needs to know about a client, all of it from one database round trip. */
export type AuthClient = {
  id: string;
  tenantId: string;
  clientType: string;
  enabled: boolean;
  /** Require DPoP: a token request without a DPoP proof is refused (lib/tokens/dpop.ts). */
  requireDpop: boolean;
  tokenLifetime: number;
  /** Authorization Code and Hybrid clients (lib/oidc); empty for client-credentials clients. */
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  refreshTokenLifetime: number;
  roleNames: string[];
  roleIds: string[];
  secrets: { id: number; hash: Buffer; expiresAt: number | null }[];
  /** Public keys for private_key_jwt (lib/tokens/client-assertion.ts). */
  keys: AuthKey[];
  /** Federated credentials: platform tokens accepted as client authentication (lib/tokens/federated-assertion.ts). */
  federated: AuthFederated[];
  /** RFC 8707: the APIs (by identifier) this client may get tokens for, with the scopes it may ask for (lib/apis). */
  apis: ApiAccess;
};

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Client ids are GUIDs; anything else cannot name a client and needs no database lookup. */
export function isClientIdFormat(value: string): boolean {
  return UUID_RE.test(value);
}

type Row = {
  id: string;
  tenant_id: string;
  client_type: string;
  enabled: boolean;
  require_dpop: boolean;
  token_lifetime: number;
  name: string;
  redirect_uris: string[] | string;
  post_logout_redirect_uris: string[] | string;
  refresh_token_lifetime: number;
  roles: { id: string; name: string }[] | string;
  secrets: { id: number; hash: string; expiresAt: number | string | null }[] | string;
  keys: KeyRow[] | string;
  federated: FederatedRow[] | string;
  apis: ApiAccessRow[] | string;
};

function json<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

function toAuthClient(row: Row): AuthClient {
  const roles = json(row.roles);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    clientType: row.client_type,
    enabled: row.enabled,
    requireDpop: Boolean(row.require_dpop),
    tokenLifetime: Number(row.token_lifetime),
    name: row.name,
    redirectUris: json(row.redirect_uris),
    postLogoutRedirectUris: json(row.post_logout_redirect_uris),
    refreshTokenLifetime: Number(row.refresh_token_lifetime),
    roleNames: roles.map((r) => r.name),
    roleIds: roles.map((r) => r.id),
    secrets: json(row.secrets)
      .map((s) => ({
        id: Number(s.id),
        hash: Buffer.from(s.hash, 'hex'),
        expiresAt: s.expiresAt === null ? null : Number(s.expiresAt),
      }))
      // A SHA-256 is 32 bytes; anything else could never match (and would break the constant-time comparison).
      .filter((s) => s.hash.length === 32),
    keys: loadedKeys(json(row.keys)),
    federated: loadedFederated(json(row.federated)),
    apis: loadedApiAccess(json(row.apis)),
  };
}

/**
 * Clients, their roles, secret hashes and public keys in one query (json aggregates), so a known and an unknown client id
 * cost the same single round trip. `clientIds` must be GUIDs (isClientIdFormat).
 */
export async function loadAuthClients(db: Db, clientIds: string[]): Promise<Map<string, AuthClient>> {
  const result = await db.execute(sql`
    select c.id, c.tenant_id, c.client_type, c.enabled, c.require_dpop, c.token_lifetime, c.name, c.refresh_token_lifetime,
      to_json(c.redirect_uris) as redirect_uris, to_json(c.post_logout_redirect_uris) as post_logout_redirect_uris,
      coalesce((select json_agg(json_build_object('id', r.id, 'name', r.name) order by r.name)
                from client_roles cr join roles r on r.id = cr.role_id where cr.client_id = c.id), '[]'::json) as roles,
      coalesce((select json_agg(json_build_object('id', s.id, 'hash', s.secret_hash,
                                                  'expiresAt', floor(extract(epoch from s.expires_at) * 1000)) order by s.id)
                from client_secrets s where s.client_id = c.id and s.revoked_at is null), '[]'::json) as secrets,
      coalesce((select json_agg(json_build_object('id', k.id, 'kid', k.kid, 'alg', k.alg, 'algExact', k.alg_exact, 'jwk', k.public_jwk,
                                                  'jwksUrl', k.jwks_url,
                                                  'expiresAt', floor(extract(epoch from k.expires_at) * 1000)) order by k.id)
                from client_keys k where k.client_id = c.id), '[]'::json) as keys,
      coalesce((select json_agg(json_build_object('id', f.id, 'name', f.name, 'issuer', f.issuer, 'audience', f.audience,
                                                  'subject', f.subject, 'subjectOperator', f.subject_operator,
                                                  'conditions', f.conditions, 'jwks', f.jwks,
                                                  'maxTokenAgeSeconds', f.max_token_age_seconds, 'singleUse', f.single_use,
                                                  'enabled', f.enabled, 'expiresAt', floor(extract(epoch from f.expires_at) * 1000)) order by f.id)
                from client_federated_credentials f where f.client_id = c.id), '[]'::json) as federated,
      coalesce((select json_agg(json_build_object('identifier', a.identifier, 'scopes', g.scopes, 'apiScopes', a.scopes))
                from client_api_access g join api_resources a on a.id = g.api_id where g.client_id = c.id), '[]'::json) as apis
    from clients c where c.id = any(string_to_array(${clientIds.join(',')}, ',')::uuid[])`);
  const rows = (result as unknown as { rows: Row[] }).rows;
  return new Map(rows.map((row) => [row.id, toAuthClient(row)]));
}

export async function loadAuthClient(db: Db, clientId: string): Promise<AuthClient | null> {
  return (await loadAuthClients(db, [clientId])).get(clientId.toLowerCase()) ?? null;
}

/**
 * A per-client loader that sends the ids asked for within one turn of the event loop as one query: when many
 * cached clients expire or are refreshed together (a busy tenant with 1,000 active clients, a storm of changes),
 * the database sees one round trip per turn instead of one per client, and no request queues behind the pool.
 */
export function batchedClientLoader(db: Db, maxBatch = 500): (clientId: string) => Promise<AuthClient | null> {
  let queue = new Map<string, { resolve: (v: AuthClient | null) => void; reject: (e: unknown) => void }[]>();
  const flush = () => {
    const batch = queue;
    queue = new Map();
    const ids = [...batch.keys()];
    for (let i = 0; i < ids.length; i += maxBatch) {
      const chunk = ids.slice(i, i + maxBatch);
      tokenStats?.count('client load queries');
      loadAuthClients(db, chunk).then(
        (found) => {
          for (const id of chunk) for (const w of batch.get(id)!) w.resolve(found.get(id) ?? null);
        },
        (err) => {
          for (const id of chunk) for (const w of batch.get(id)!) w.reject(err);
        },
      );
    }
  };
  return (clientId) =>
    new Promise((resolve, reject) => {
      if (queue.size === 0) setImmediate(flush);
      const waiting = queue.get(clientId);
      if (waiting) waiting.push({ resolve, reject });
      else queue.set(clientId, [{ resolve, reject }]);
    });
}

type Entry = { value: AuthClient | null; loadedAt: number };

/**
 * Clients in memory, so a token request needs no database work. The database stays the source of truth:
 * a change notification (lib/tokens/invalidation.ts, LISTEN/NOTIFY across instances) drops an entry at once, and no
 * entry is trusted for longer than `ttlMs` in case a notification is lost. A hot entry is refreshed in the
 * background once it is half that age, so steady traffic never waits for the database.
 * Unknown ids are cached too (as null) so they cost the same as known ones.
 */
export class ClientStore {
  private entries = new Map<string, Entry>();
  private inflight = new Map<string, Promise<AuthClient | null>>();

  constructor(
    private readonly load: (clientId: string) => Promise<AuthClient | null>,
    private ttlMs: number,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** `clientId` must be a lower-case GUID (see isClientIdFormat). */
  async get(clientId: string): Promise<AuthClient | null> {
    const hit = this.cached(clientId);
    if (hit !== undefined) return hit;
    metrics.clientCacheLookups.inc({ result: 'miss' });
    return this.inflight.get(clientId) ?? this.fetch(clientId);
  }

  /**
   * The cached client (null: known not to exist) without a promise, or undefined when it must be loaded (get()).
   * The token endpoint's hot path: a hit costs no promise and no turn of the microtask queue.
   */
  cached(clientId: string): AuthClient | null | undefined {
    const entry = this.entries.get(clientId);
    if (!entry) return undefined;
    const age = this.now() - entry.loadedAt;
    if (age >= this.ttlMs) return undefined;
    if (age >= this.ttlMs / 2 && !this.inflight.has(clientId)) {
      this.fetch(clientId).catch((err) => console.error('[tokens] refreshing a client failed:', err));
    }
    metrics.clientCacheLookups.inc({ result: 'hit' });
    return entry.value;
  }

  private fetch(clientId: string): Promise<AuthClient | null> {
    tokenStats?.count('client loads');
    const started = this.now();
    const promise = this.load(clientId).then(
      (value) => {
        // Stored only if no invalidation replaced this load meanwhile.
        if (this.inflight.get(clientId) === promise) {
          this.inflight.delete(clientId);
          if (this.entries.size >= this.maxEntries && !this.entries.has(clientId)) {
            // Oldest first: Map iteration is insertion order.
            this.entries.delete(this.entries.keys().next().value!);
          }
          this.entries.set(clientId, { value, loadedAt: started });
        }
        return value;
      },
      (err) => {
        if (this.inflight.get(clientId) === promise) this.inflight.delete(clientId);
        throw err;
      },
    );
    this.inflight.set(clientId, promise);
    return promise;
  }

  /** A shorter TTL while change notifications may be missed (the LISTEN connection is down), the normal one after. */
  setTtl(ms: number) {
    this.ttlMs = ms;
  }

  invalidate(clientId: string) {
    metrics.clientCacheInvalidations.inc({ scope: 'one' });
    this.entries.delete(clientId);
    this.inflight.delete(clientId);
  }

  invalidateAll() {
    metrics.clientCacheInvalidations.inc({ scope: 'all' });
    this.entries.clear();
    this.inflight.clear();
  }
}
