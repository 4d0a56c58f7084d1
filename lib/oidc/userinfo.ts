import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { users } from '../db/schema';
import { isClientIdFormat } from '../tokens/client-store';
import { verifyAccessToken } from '../tokens/jwt';
import { isRevoked } from '../tokens/revocation';
import type { TokenService } from '../tokens/token-service';
import { checkTokenBinding, parseAuthorization } from '../tokens/dpop-resource';
import { OIDC_PATHS } from './paths';

/** `scheme`: the challenge to answer with (DPoP for a DPoP request or a DPoP-bound token); `nonce`: DPoP-Nonce. */
export type UserinfoResult =
  | { ok: true; body: Record<string, unknown>; clientId: string }
  | {
      ok: false;
      status: 400 | 401;
      error: 'invalid_request' | 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce';
      description: string;
      scheme?: 'Bearer' | 'DPoP';
      nonce?: string;
    };

/**
 * GET or POST /connect/userinfo (OpenID Connect Core 5.3): the signed-in user of a valid access token issued to an
 * enabled Authorization Code, Hybrid or Device Code client, with the claims its scopes allow. A DPoP-bound token (RFC 9449) needs
 * `Authorization: DPoP` and a proof of its key (`dpop`: the DPoP header and this request's method).
 */
export async function userinfo(
  authorization: string | undefined,
  service: TokenService,
  db: Db,
  issuer: string,
  now = Date.now(),
  dpop: { header?: string | string[]; method: string } = { method: 'GET' },
): Promise<UserinfoResult> {
  const presented = parseAuthorization(authorization);
  const scheme = presented?.scheme;
  const invalid: UserinfoResult = { ok: false, status: 401, error: 'invalid_token', description: 'The access token is invalid or expired.', scheme };
  if (!authorization) return { ok: false, status: 401, error: 'invalid_request', description: 'Send the access token as a Bearer token.' };
  if (!presented) return invalid;
  const claims = verifyAccessToken(presented.token, (kid) => service.keys.verificationKey(kid));
  if (!claims) return invalid;
  const binding = await checkTokenBinding(
    presented,
    claims,
    dpop.header,
    { htm: dpop.method, htu: issuer + OIDC_PATHS.userinfo },
    service.dpopSettings(),
    (key, jti, exp) => service.recordDpopJti(key, jti, exp),
  );
  if (binding) return { ok: false, status: 401, error: binding.error, description: binding.description, scheme: 'DPoP', nonce: binding.nonce };
  const seconds = Math.floor(now / 1000);
  const { exp, iss, aud, sub, client_id: clientId, tenant_id: tenantId, scope } = claims;
  if (typeof exp !== 'number' || exp <= seconds || iss !== issuer) return invalid;
  // RFC 8707: a token for one of the tenant's APIs (aud = its identifier) is for that API only, not for userinfo.
  if (aud !== service.audience(issuer)) return invalid;
  if (typeof sub !== 'string' || typeof clientId !== 'string' || sub === clientId || !isClientIdFormat(clientId)) return invalid;
  // Revoked at /connect/revocation (RFC 7009): refused at once, on every instance (memory, then the database).
  const { jti } = claims;
  if (typeof jti === 'string' && (service.revoked.has(jti, now) || (await isRevoked(db, jti)))) return invalid;
  const scopes = typeof scope === 'string' ? scope.split(' ') : [];
  if (!scopes.includes('openid')) return { ok: false, status: 401, error: 'invalid_token', description: 'The access token lacks the openid scope.' };
  const client = await service.clients.get(clientId.toLowerCase());
  if (!client || !client.enabled || client.tenantId !== tenantId) return invalid;
  if (!isClientIdFormat(sub)) return invalid;
  const [user] = await db.select().from(users).where(eq(users.id, sub));
  if (!user || user.tenantId !== tenantId) return invalid;
  const body: Record<string, unknown> = { sub: user.id };
  if (scopes.includes('profile')) body.name = user.name;
  if (scopes.includes('email')) body.email = user.email;
  return { ok: true, body, clientId: client.id };
}
