import { and, eq, gt, isNull, or } from 'drizzle-orm';
import { refreshTokens } from '../db/schema';
import { hashOpaque, isWellFormedOpaque, REFRESH_TOKEN_PREFIX } from './tokens';
import { missingParameter } from '../tokens/oauth-error';
import { invalidGrant, isPublic, type Exchange } from './user-grant';

/** grant_type=refresh_token (RFC 6749 6): rotation, reuse detection, scope narrowing, DPoP binding. */
export const refresh: Exchange = async (ctx, form, client, proof) => {
  const token = form.get('refresh_token');
  if (!token) return missingParameter('refresh_token');
  const refused = invalidGrant('The refresh token is invalid, expired, revoked or was issued to another client.');
  if (!isWellFormedOpaque(token, REFRESH_TOKEN_PREFIX)) return refused;
  const tokenHash = hashOpaque(token);
  const now = new Date(ctx.now());
  // The requested scope is checked before the token is used up: a client asking for too much gets invalid_scope
  // and may retry with the same, still valid token (a used-up token would revoke the whole family on retry).
  // A token's granted scope never changes, so reading it first cannot race with the rotation below.
  // The client's token, not used up, revoked or expired.
  const usable = and(
    eq(refreshTokens.tokenHash, tokenHash),
    eq(refreshTokens.clientId, client.id),
    isNull(refreshTokens.usedAt),
    isNull(refreshTokens.revokedAt),
    gt(refreshTokens.expiresAt, now),
  );
  const requested = form.get('scope');
  const resource = form.get('resource');
  let narrowed: string[] | null = null;
  if (requested !== undefined || resource !== undefined) {
    const [current] = await ctx.db
      .select({ scope: refreshTokens.scope, resource: refreshTokens.resource })
      .from(refreshTokens)
      .where(
        usable,
      );
    // The same for the resource: another than the sign-in's is refused with the token still valid.
    if (current && resource !== undefined && resource !== current.resource) {
      return { ok: false, error: { error: 'invalid_target', description: 'The resource must be the one of the authorization request.' } };
    }
    if (requested !== undefined) {
      narrowed = [...new Set(requested.split(' ').filter(Boolean))];
      if (current && narrowed.some((s) => !current.scope.split(' ').includes(s))) {
        return { ok: false, error: { error: 'invalid_scope', description: 'The scope exceeds what was granted.' } };
      }
    }
  }
  // Rotation: the presented token is used up atomically, so two concurrent refreshes cannot both succeed. A token
  // bound to a DPoP key is used up only with a proof of that key: a thief without the key burns nothing.
  const [row] = await ctx.db
    .update(refreshTokens)
    .set({ usedAt: now })
    .where(
      and(
        usable,
        proof ? or(isNull(refreshTokens.dpopJkt), eq(refreshTokens.dpopJkt, proof.jkt)) : isNull(refreshTokens.dpopJkt),
      ),
    )
    .returning();
  if (!row) {
    const [old] = await ctx.db
      .select({ familyId: refreshTokens.familyId, usedAt: refreshTokens.usedAt, clientId: refreshTokens.clientId, dpopJkt: refreshTokens.dpopJkt })
      .from(refreshTokens)
      .where(eq(refreshTokens.tokenHash, tokenHash));
    // Reuse of a rotated token means two parties hold the family: revoke all of it (OAuth 2.0 Security BCP 4.14.2).
    if (old && old.usedAt && old.clientId === client.id) await ctx.revokeFamily(old.familyId);
    else if (old && old.clientId === client.id && old.dpopJkt !== null && old.dpopJkt !== proof?.jkt) {
      return invalidGrant('The refresh token is bound to a DPoP key: send a DPoP proof signed with that key.');
    }
    return refused;
  }
  const scope = narrowed ? narrowed.join(' ') : row.scope;
  if (!(await ctx.userOfTenant(row.userId, client.tenantId))) return refused;
  return {
    ok: true,
    granted: {
      userId: row.userId,
      scope,
      authTime: row.authTime,
      nonce: null,
      familyId: row.familyId,
      // The family keeps its key; a public client's family that started without DPoP is bound from its first proof.
      dpopJkt: row.dpopJkt ?? (proof && isPublic(client) ? proof.jkt : null),
      resource: row.resource,
    },
    refreshToken: true,
  };
};
