import { sql } from 'drizzle-orm';
import type { Db } from '../db';

/**
 * Token revocation (RFC 7009). A revoked access token's jti is stored in revoked_tokens until the token would have
 * expired anyway. Introspection and the REST API's bearer check look the jti up in the database on every call, so a
 * revocation holds at once on every instance; the NOTIFY on TOKEN_REVOKED_CHANNEL also puts it into each token
 * service's memory, which answers a revoked token without a query. Issuing tokens never reads any of this.
 */
export const TOKEN_REVOKED_CHANNEL = 'tsc_token_revoked';

/** jti -> when the token expires (ms). */
export class RevokedTokens {
  private entries = new Map<string, number>();
  private generation = 0;
  /**
   * true while this set holds every unexpired revocation: loaded from the database at start and kept current over
   * NOTIFY. Introspection then needs no database read; while false (listener down, or too many to hold) it asks the
   * database for each token instead.
   */
  complete = false;

  constructor(private readonly maxEntries = 100_000) {}

  add(jti: string, expiresAtMs: number) {
    if (this.entries.size >= this.maxEntries && !this.entries.has(jti)) {
      this.complete = false; // no longer the whole picture: the database decides from here on
      return;
    }
    this.entries.set(jti, expiresAtMs);
  }

  has(jti: string, now: number): boolean {
    const exp = this.entries.get(jti);
    return exp !== undefined && exp > now;
  }

  prune(now: number) {
    for (const [jti, exp] of this.entries) if (exp <= now) this.entries.delete(jti);
  }

  /** Notifications may have been missed (the listening connection failed): the database decides until reload(). */
  markIncomplete() {
    this.generation++;
    this.complete = false;
  }

  /**
   * Read every unexpired revocation (merged with what NOTIFY added meanwhile); complete afterwards only if nothing
   * marked the set incomplete during the read and `listening()` still holds.
   */
  async reload(db: Db, listening: () => boolean): Promise<void> {
    const generation = ++this.generation;
    this.complete = false;
    const result = await db.execute(sql`
      select jti, floor(extract(epoch from expires_at) * 1000) as exp from revoked_tokens
      where expires_at > now() limit ${this.maxEntries + 1}`);
    const rows = (result as unknown as { rows: { jti: string; exp: number | string }[] }).rows;
    if (rows.length > this.maxEntries) return;
    for (const r of rows) this.entries.set(r.jti, Number(r.exp));
    if (generation === this.generation && listening()) this.complete = true;
  }

  get size() {
    return this.entries.size;
  }
}

export async function storeRevocation(
  db: Db,
  token: { jti: string; tenantId: string; clientId: string; expSeconds: number },
): Promise<void> {
  await db.execute(sql`
    insert into revoked_tokens (jti, tenant_id, client_id, expires_at)
    values (${token.jti}, ${token.tenantId}::uuid, ${token.clientId}::uuid, to_timestamp(${token.expSeconds}))
    on conflict (jti) do nothing`);
}

export async function isRevoked(db: Db, jti: string): Promise<boolean> {
  const result = await db.execute(sql`select 1 from revoked_tokens where jti = ${jti} limit 1`);
  return (result as unknown as { rows: unknown[] }).rows.length > 0;
}

export async function deleteExpiredRevocations(db: Db): Promise<void> {
  await db.execute(sql`delete from revoked_tokens where expires_at < now()`);
}

/** The NOTIFY payload: "<jti> <exp seconds>" (a jti of ours is a UUID, so it holds no space). */
export const revocationPayload = (jti: string, expSeconds: number) => `${jti} ${expSeconds}`;
export function parseRevocationPayload(payload: string): { jti: string; expMs: number } | null {
  const [jti, exp] = payload.split(' ');
  const n = Number(exp);
  return jti && Number.isFinite(n) ? { jti, expMs: n * 1000 } : null;
}
