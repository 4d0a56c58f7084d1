import { and, eq, isNull } from 'drizzle-orm';
import { authorizationCodes } from '../db/schema';
import { CODE_PREFIX, hashOpaque, isWellFormedOpaque, verifyPkce } from './tokens';
import { missingParameter } from '../tokens/oauth-error';
import { invalidGrant, isPublic, type Exchange } from './user-grant';

/** grant_type=authorization_code (RFC 6749 4.1.3, RFC 7636 PKCE): a code, used up by its first exchange. */
export const exchangeCode: Exchange = async (ctx, form, client, proof) => {
  const code = form.get('code');
  if (!code) return missingParameter('code');
  const redirectUri = form.get('redirect_uri');
  if (!redirectUri) return missingParameter('redirect_uri');
  const verifier = form.get('code_verifier');
  if (!verifier) return missingParameter('code_verifier');
  const refused = invalidGrant('The authorization code is invalid, expired, already used, or was issued to another client.');
  if (!isWellFormedOpaque(code, CODE_PREFIX)) return refused;
  const codeHash = hashOpaque(code);
  // Single use: the first exchange marks the code consumed atomically; checks follow, so a failed attempt burns it too.
  const [row] = await ctx.db
    .update(authorizationCodes)
    .set({ consumedAt: new Date(ctx.now()) })
    .where(and(eq(authorizationCodes.codeHash, codeHash), isNull(authorizationCodes.consumedAt)))
    .returning();
  if (!row) {
    // A replayed code: revoke what its first exchange issued (RFC 6749 4.1.2).
    const [used] = await ctx.db
      .select({ familyId: authorizationCodes.familyId, clientId: authorizationCodes.clientId })
      .from(authorizationCodes)
      .where(eq(authorizationCodes.codeHash, codeHash));
    if (used && used.clientId === client.id) await ctx.revokeFamily(used.familyId);
    return refused;
  }
  if (
    row.clientId !== client.id ||
    row.expiresAt.getTime() <= ctx.now() ||
    row.redirectUri !== redirectUri ||
    !verifyPkce(verifier, row.codeChallenge)
  ) {
    return refused;
  }
  // RFC 9449 section 10: a code requested with dpop_jkt is exchanged only with a proof signed by that key.
  if (row.dpopJkt !== null && row.dpopJkt !== proof?.jkt) {
    return invalidGrant('The authorization code is bound to a DPoP key (dpop_jkt): send a DPoP proof signed with that key.');
  }
  if (!(await ctx.userOfTenant(row.userId, client.tenantId))) return refused;
  // Expired codes are deleted by the token service's periodic cleanup (deleteExpiredGrants in ./grant-store).
  return {
    ok: true,
    granted: {
      userId: row.userId,
      scope: row.scope,
      authTime: row.authTime,
      nonce: row.nonce,
      familyId: row.familyId,
      // RFC 9449 section 5: a public client's refresh tokens are bound to the key of its proof (a confidential
      // client's are bound to its client authentication already).
      dpopJkt: proof && isPublic(client) ? proof.jkt : null,
      resource: row.resource,
    },
    refreshToken: row.scope.split(' ').includes('offline_access'),
  };
};
