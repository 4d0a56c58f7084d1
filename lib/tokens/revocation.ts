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

  add(jti: string, expiresAtMs: number) {
    this.entries.set(jti, expiresAtMs);
  }

  has(jti: string, now: number): boolean {
    const exp = this.entries.get(jti);
    return exp !== undefined && exp > now;
  }

  prune(now: number) {
    for (const [jti, exp] of this.entries) if (exp <= now) this.entries.delete(jti);
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
