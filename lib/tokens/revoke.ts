import { auditEvents } from '../db/schema';
import type { AuthClient } from './client-store';
import { invalidClient, presentedAuth } from './client-auth';
import type { EndpointRequest } from './grant';
import { missingParameter } from './oauth-error';
import { verifyAccessToken } from './jwt';
import { PATHS } from './paths';
import { revocationPayload, storeRevocation, TOKEN_REVOKED_CHANNEL } from './revocation';
import type { IntrospectionResult, TokenService } from './token-service';

/**
 * POST /connect/revocation (RFC 7009): a client revokes an access token or a refresh token issued to it (a refresh
 * token: its whole family, every token rotation has issued from the same sign-in). The answer is 200 whether or not
 * the token was valid, known or the caller's (2.2: the client cannot do anything about it either way), so it tells
 * nothing about other clients' tokens; only the caller's own tokens are revoked. token_type_hint is accepted and not
 * needed: our refresh tokens (tsrt_...) and access tokens (JWTs) cannot be mistaken for each other (2.1: the server
 * looks the token up either way). Client authentication as at the token endpoint, and (2.1) a public Authorization
 * Code client by its client_id alone.
 */
export async function revoke(service: TokenService, request: EndpointRequest): Promise<IntrospectionResult> {
  const { form, basic, sourceAddress, issuer } = request;
  const presented = presentedAuth(form, basic);
  if (!presented.ok) return presented;
  const publicClientId = presented.auth.kind === 'none' ? form.get('client_id') : undefined;
  if (presented.auth.kind === 'none' && publicClientId === undefined) return { ok: false, error: invalidClient(true) };
  const token = form.get('token');
  if (token === undefined) return missingParameter('token');
  const caller =
    publicClientId !== undefined
      ? await service.auth.publicClient(publicClientId, sourceAddress)
      : await service.auth.request(form, basic, sourceAddress, issuer, PATHS.revocation);
  if (!caller.ok) return caller;
  const done: IntrospectionResult = { ok: true, body: {} };
  if (service.refreshTokens?.recognizes(token)) {
    const familyId = await service.refreshTokens.revoke(token, caller.client.id, service.now());
    if (familyId) await auditRevoked(service, caller.client, { tokenType: 'refresh_token', familyId });
    return done;
  }
  const claims = verifyAccessToken(token, (kid) => service.keys.verificationKey(kid));
  if (!claims) return done;
  const { exp, jti, client_id: clientId, tenant_id: tenantId } = claims;
  if (typeof exp !== 'number' || exp * 1000 <= service.now() || typeof jti !== 'string' || typeof clientId !== 'string') return done;
  if (clientId.toLowerCase() !== caller.client.id || tenantId !== caller.client.tenantId) return done;
  await storeRevocation(service.handle.db, { jti, tenantId: caller.client.tenantId, clientId: caller.client.id, expSeconds: exp });
  service.revoked.add(jti, exp * 1000);
  try {
    await service.handle.notify(TOKEN_REVOKED_CHANNEL, revocationPayload(jti, exp));
  } catch (err) {
    // Stored: the database check of introspection and the API refuses it on every instance regardless.
    console.error('[tokens] revocation notification failed:', (err as Error).message);
  }
  await auditRevoked(service, caller.client, { tokenType: 'access_token', jti });
  return done;
}

/** The token.revoked audit event, in the caller's tenant. */
async function auditRevoked(
  service: TokenService,
  client: AuthClient,
  token: { tokenType: 'access_token'; jti: string } | { tokenType: 'refresh_token'; familyId: string },
) {
  const details =
    token.tokenType === 'access_token'
      ? { jti: token.jti, via: 'revocation_endpoint' }
      : { tokenType: 'refresh_token', familyId: token.familyId, via: 'revocation_endpoint' };
  await service.handle.db.insert(auditEvents).values({
    tenantId: client.tenantId,
    actor: `client:${client.id}`,
    actorType: 'client',
    action: 'token.revoked',
    targetType: 'client',
    targetId: client.id,
    details,
  });
}
