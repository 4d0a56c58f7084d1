import { sql } from 'drizzle-orm';
import type { Db } from '../db';

/**
 * Allowed CORS Origins of Authorization Code clients: browser apps on these origins may call the token and userinfo
 * endpoints. An origin is allowed when any enabled Authorization Code client lists it (as IdentityServer does: the
 * preflight does not say which client is calling). Cached briefly; a removed origin stops working within `ttlMs`.
 */
export class CorsOrigins {
  private cache = new Map<string, { allowed: boolean; at: number }>();

  constructor(
    private readonly db: Db,
    private readonly ttlMs = 5000,
    private readonly now: () => number = Date.now,
  ) {}

  async allowed(origin: string | undefined): Promise<boolean> {
    if (!origin || origin.length > 300 || !/^https?:\/\/[^/\s]+$/.test(origin)) return false;
    const hit = this.cache.get(origin);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.allowed;
    const result = await this.db.execute(sql`
      select 1 from clients
      where enabled and client_type = 'authorization_code' and ${origin} = any(allowed_cors_origins) limit 1`);
    const allowed = (result as unknown as { rows: unknown[] }).rows.length > 0;
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(origin, { allowed, at: this.now() });
    return allowed;
  }

  /** Headers for a response to `origin` (empty when it is not allowed). */
  async headers(origin: string | undefined, preflight = false): Promise<Record<string, string>> {
    if (!(await this.allowed(origin))) return {};
    const base = { 'Access-Control-Allow-Origin': origin!, Vary: 'Origin' };
    // DPoP (RFC 9449): a browser app sends its proof in the DPoP header and must read DPoP-Nonce and WWW-Authenticate.
    return preflight
      ? { ...base, 'Access-Control-Allow-Methods': 'GET, POST', 'Access-Control-Allow-Headers': 'Authorization, Content-Type, DPoP', 'Access-Control-Max-Age': '600' }
      : { ...base, 'Access-Control-Expose-Headers': 'DPoP-Nonce, WWW-Authenticate' };
  }
}
