import { sql } from 'drizzle-orm';
import type { Db } from '../db';

/** What the token endpoint needs to know about a client, all of it from one database round trip. */
export type AuthClient = {
  id: string;
  tenantId: string;
  clientType: string;
  enabled: boolean;
  tokenLifetime: number;
  /** Authorization Code and Hybrid clients (lib/oidc); empty for client-credentials clients. */
  name: string;
  redirectUris: string[];
  postLogoutRedirectUris: string[];
  refreshTokenLifetime: number;
  roleNames: string[];
  roleIds: string[];
  secrets: { id: number; hash: Buffer; expiresAt: number | null }[];
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
  token_lifetime: number;
  name: string;
  redirect_uris: string[] | string;
  post_logout_redirect_uris: string[] | string;
  refresh_token_lifetime: number;
  roles: { id: string; name: string }[] | string;
  secrets: { id: number; hash: string; expiresAt: number | string | null }[] | string;
};

function json<T>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}

/**
 * The client, its roles and its secret hashes in one query (json aggregates), so a known and an unknown client id
 * cost the same single round trip.
 */
export async function loadAuthClient(db: Db, clientId: string): Promise<AuthClient | null> {
  const result = await db.execute(sql`
    select c.id, c.tenant_id, c.client_type, c.enabled, c.token_lifetime, c.name, c.refresh_token_lifetime,
      to_json(c.redirect_uris) as redirect_uris, to_json(c.post_logout_redirect_uris) as post_logout_redirect_uris,
      coalesce((select json_agg(json_build_object('id', r.id, 'name', r.name) order by r.name)
                from client_roles cr join roles r on r.id = cr.role_id where cr.client_id = c.id), '[]'::json) as roles,
      coalesce((select json_agg(json_build_object('id', s.id, 'hash', s.secret_hash,
                                                  'expiresAt', floor(extract(epoch from s.expires_at) * 1000)) order by s.id)
                from client_secrets s where s.client_id = c.id), '[]'::json) as secrets
    from clients c where c.id = ${clientId}::uuid`);
  const row = (result as unknown as { rows: Row[] }).rows[0];
  if (!row) return null;
  const roles = json(row.roles);
  return {
    id: row.id,
    tenantId: row.tenant_id,
    clientType: row.client_type,
    enabled: row.enabled,
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
  };
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
    private readonly ttlMs: number,
    private readonly maxEntries = 100_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** `clientId` must be a lower-case GUID (see isClientIdFormat). */
  async get(clientId: string): Promise<AuthClient | null> {
    const entry = this.entries.get(clientId);
    if (entry) {
      const age = this.now() - entry.loadedAt;
      if (age < this.ttlMs) {
        if (age >= this.ttlMs / 2 && !this.inflight.has(clientId)) {
          this.fetch(clientId).catch((err) => console.error('[tokens] refreshing a client failed:', (err as Error).message));
        }
        return entry.value;
      }
    }
    return this.inflight.get(clientId) ?? this.fetch(clientId);
  }

  private fetch(clientId: string): Promise<AuthClient | null> {
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

  invalidate(clientId: string) {
    this.entries.delete(clientId);
    this.inflight.delete(clientId);
  }

  invalidateAll() {
    this.entries.clear();
    this.inflight.clear();
  }
}
