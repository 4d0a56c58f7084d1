import { and, eq, isNull, sql } from 'drizzle-orm';
import type { Db } from '../db';
import { authorizationCodes, deviceAuthorizations, refreshTokens } from '../db/schema';
import { hashOpaque, isWellFormedOpaque, REFRESH_TOKEN_PREFIX } from './tokens';

/**
 * Revoking and cleaning up authorization codes and refresh tokens (lib/db/schema/oidc-grants.ts). A family is every
 * refresh token one code exchange started, rotation after rotation: it is revoked as a whole.
 */

export async function revokeRefreshFamily(db: Db, familyId: string, now: number): Promise<void> {
  await db
    .update(refreshTokens)
    .set({ revokedAt: new Date(now) })
    .where(and(eq(refreshTokens.familyId, familyId), isNull(refreshTokens.revokedAt)));
}

/**
 * RFC 7009: the family of `token` when it is a refresh token issued to `clientId` (used, expired or revoked already
 * included: revoking is idempotent); null, and nothing changed, for anything else.
 */
export async function revokeRefreshTokenOfClient(db: Db, token: string, clientId: string, now: number): Promise<string | null> {
  if (!isWellFormedOpaque(token, REFRESH_TOKEN_PREFIX)) return null;
  const [row] = await db
    .select({ familyId: refreshTokens.familyId, clientId: refreshTokens.clientId })
    .from(refreshTokens)
    .where(eq(refreshTokens.tokenHash, hashOpaque(token)));
  if (!row || row.clientId !== clientId) return null;
  await revokeRefreshFamily(db, row.familyId, now);
  return row.familyId;
}

/** A sign-in of a user: the session's auth_time (seconds) identifies it, and everything issued under it carries it. */
export type SignIn = { userId: string; authTime: number };

/**
 * Logout: revoke every refresh-token family issued under these sign-ins (any client), and delete their codes not yet
 * exchanged (else one issued just before the logout could still start a family). Families of the same user's other
 * sign-ins (another browser, another device) are left alone. Returns how many refresh tokens were revoked.
 */
export async function revokeSignIns(db: Db, signIns: SignIn[], now: number): Promise<number> {
  let revoked = 0;
  const seen = new Set<string>();
  for (const s of signIns) {
    const key = `${s.userId} ${s.authTime}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const authTime = new Date(s.authTime * 1000);
    const rows = await db
      .update(refreshTokens)
      .set({ revokedAt: new Date(now) })
      .where(and(eq(refreshTokens.userId, s.userId), eq(refreshTokens.authTime, authTime), isNull(refreshTokens.revokedAt)))
      .returning({ tokenHash: refreshTokens.tokenHash });
    revoked += rows.length;
    await db
      .delete(authorizationCodes)
      .where(
        and(eq(authorizationCodes.userId, s.userId), eq(authorizationCodes.authTime, authTime), isNull(authorizationCodes.consumedAt)),
      );
    // Devices approved under this sign-in that have not collected their tokens yet.
    await db
      .delete(deviceAuthorizations)
      .where(
        and(eq(deviceAuthorizations.userId, s.userId), eq(deviceAuthorizations.authTime, authTime), eq(deviceAuthorizations.status, 'approved')),
      );
  }
  return revoked;
}

/**
 * The periodic cleanup (TokenService, every minute). Codes: unused ones as soon as they expire; used ones an hour
 * after, so a replayed code is still recognised (and revokes what it issued) for that long. Refresh tokens: expired
 * ones once no token of their family can be used any more (a rotated-away token is kept while its family lives,
 * so presenting it still revokes the family, OAuth 2.0 Security BCP 4.14.2).
 */
export async function deleteExpiredGrants(db: Db): Promise<void> {
  await db.execute(sql`
    delete from authorization_codes
    where (consumed_at is null and expires_at < now()) or expires_at < now() - interval '1 hour'`);
  // Device requests (lib/oidc/device.ts): an hour after expiry, so a late poll still hears expired_token until then.
  await db.execute(sql`delete from device_authorizations where expires_at < now() - interval '1 hour'`);
  await db.execute(sql`
    delete from refresh_tokens r
    where r.expires_at < now()
      and not exists (
        select 1 from refresh_tokens s
        where s.family_id = r.family_id and s.used_at is null and s.revoked_at is null and s.expires_at >= now())`);
}
