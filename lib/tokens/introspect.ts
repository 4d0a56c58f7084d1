import { isClientIdFormat } from './client-store';
import { invalidClient, presentedAuth } from './client-auth';
import type { EndpointRequest } from './grant';
import { missingParameter } from './oauth-error';
import { NBF_LEEWAY_SECONDS } from './compact-jws';
import { verifyAccessTokenAsync } from './jwt';
import { boundJkt } from './dpop';
import { PATHS } from './paths';
import { isRevoked } from './revocation';
import { tokenStats } from './stats';
import type { IntrospectionResult, TokenService } from './token-service';

/**
 * POST /connect/introspect (RFC 7662), for a client of the token's tenant. Active only while the signature verifies
 * against a published key, the token is within nbf..exp, and its client still exists and is enabled.
 */
export async function introspect(service: TokenService, request: EndpointRequest): Promise<IntrospectionResult> {
  const { form, basic, sourceAddress, issuer } = request;
  const presented = presentedAuth(form, basic);
  if (!presented.ok) return presented;
  if (presented.auth.kind === 'none') return { ok: false, error: invalidClient(true) };
  const token = form.get('token');
  if (token === undefined) return missingParameter('token');
  const caller = await service.auth.request(form, basic, sourceAddress, issuer, PATHS.introspection);
  if (!caller.ok) return caller;
  const inactive: IntrospectionResult = { ok: true, body: { active: false } };
  const verifyAt = tokenStats ? performance.now() : 0;
  const claims = await verifyAccessTokenAsync(token, (kid) => service.keys.verificationKey(kid), service.verified);
  tokenStats?.record('verify', verifyAt);
  if (!claims) return inactive;
  const now = Math.floor(service.now() / 1000);
  const { exp, nbf, tenant_id: tenantId, client_id: clientId } = claims;
  if (typeof exp !== 'number' || exp <= now) return inactive;
  if (typeof nbf === 'number' && nbf > now + NBF_LEEWAY_SECONDS) return inactive;
  if (tenantId !== caller.client.tenantId || typeof clientId !== 'string' || !isClientIdFormat(clientId)) return inactive;
  const owner = await service.clients.get(clientId.toLowerCase());
  if (!owner || !owner.enabled || owner.tenantId !== tenantId) return inactive;
  if (typeof claims.jti === 'string' && (service.revoked.has(claims.jti, service.now()) || (!service.revoked.complete && (await isRevoked(service.handle.db, claims.jti))))) {
    return inactive;
  }
  // RFC 9449 section 6.2: a bound token's cnf (a claim of the token) tells the resource server which key to expect.
  return { ok: true, body: { active: true, token_type: boundJkt(claims) ? 'DPoP' : 'Bearer', ...claims } };
}

