import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { Db } from '../db';
import { refreshTokens, users } from '../db/schema';
import { isClientIdFormat, type AuthClient } from '../tokens/client-store';
import { ClientAuthThrottle } from '../tokens/throttle';
import type { PreparedDpop } from '../tokens/dpop';
import { invalidClient, resolveCredentials, type BasicCredentials } from '../tokens/client-auth';
import type { Grant, GrantRequest, GrantResult, TokenBody } from '../tokens/grant';
import type { OAuthError } from '../tokens/oauth-error';
import { DPOP_REQUIRED, type TokenService } from '../tokens/token-service';
import { revokeRefreshFamily } from './grant-store';
import { DEVICE_CODE_GRANT_TYPE, startDeviceAuthorization, type DeviceAuthorizationBody } from './device';
import { atHash } from './id-token';
import { OIDC_SCOPES } from './authorize';
import { deviceRequestKey, takeSignInAttempt } from '../auth/throttle';
import { generateRefreshToken, hashOpaque } from './tokens';
import { exchangeCode } from './grant-authorization-code';
import { refresh } from './grant-refresh-token';
import { exchangeDeviceCode } from './grant-device-code';
import { isPublic, type Exchange, type GrantContext, type Granted } from './user-grant';

export type UserGrantType = 'authorization_code' | 'refresh_token' | typeof DEVICE_CODE_GRANT_TYPE;

/** One exchange per user grant, each in its own file. */
const EXCHANGES: Record<UserGrantType, Exchange> = {
  authorization_code: exchangeCode,
  refresh_token: refresh,
  [DEVICE_CODE_GRANT_TYPE]: exchangeDeviceCode,
};

/** Which client types may use a grant: the device code grant is the Device Code client's, the code grant is not. */
function grantAllowed(grantType: UserGrantType, client: AuthClient): boolean {
  if (grantType === DEVICE_CODE_GRANT_TYPE) return client.clientType === 'device_code';
  if (grantType === 'authorization_code') return client.clientType !== 'device_code';
  return true;
}

const UNAUTHORIZED_CLIENT: OAuthError = { error: 'unauthorized_client', description: 'This client may not use this grant.' };

/**
 * The token endpoint's authorization_code (RFC 6749 4.1.3, RFC 7636) and refresh_token (RFC 6749 6) grants for
 * Authorization Code clients (public: client_id only, PKCE is the proof) and Hybrid clients (a secret, as for
 * client credentials). Every failed code or refresh token counts against the client-auth throttle of the pair
 * (client id, address), so neither can be guessed online.
 */
export class UserGrants {
  private readonly context: GrantContext;

  constructor(
    private readonly service: TokenService,
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {
    this.context = {
      db,
      now,
      userOfTenant: (userId, tenantId) => this.userOfTenant(userId, tenantId),
      revokeFamily: (familyId) => revokeRefreshFamily(db, familyId, this.now()),
    };
  }

  /** The token endpoint's grants this layer serves, by grant_type (lib/identity adds them to lib/tokens' client_credentials). */
  grants(): [UserGrantType, Grant][] {
    return (Object.keys(EXCHANGES) as UserGrantType[]).map((grantType) => [grantType, (request) => this.token(grantType, request)]);
  }

  async token(grantType: UserGrantType, request: GrantRequest): Promise<GrantResult> {
    const { form, basic, sourceAddress, issuer, dpopHeader } = request;
    // DPoP (RFC 9449): the proof is checked before the code or refresh token is used up, so a bad proof burns nothing.
    const dpop = this.service.prepareDpop(dpopHeader, issuer);
    if (!dpop.ok) return dpop;
    const proof = dpop.proof;
    const verifying = this.service.verifyDpop(proof);
    const auth = await this.authenticateClient(form, basic, sourceAddress);
    if (!auth.ok) return auth;
    const { client, throttleKey } = auth;
    if (!grantAllowed(grantType, client)) return { ok: false, error: UNAUTHORIZED_CLIENT };
    if (client.requireDpop && !proof) return { ok: false, error: DPOP_REQUIRED };
    const refused = proof ? await this.service.confirmDpop(proof, verifying) : null;
    if (refused) return { ok: false, error: refused };
    // RFC 8707: a resource this client may not (or no longer) get tokens for is refused before the code, device code
    // or refresh token is used up, so a retry without it still works (a used-up refresh token would end the family).
    const resource = form.get('resource');
    if (resource !== undefined && !client.apis.has(resource)) {
      return { ok: false, error: { error: 'invalid_target', description: 'This client may not get tokens for that resource.' } };
    }
    const result = await EXCHANGES[grantType](this.context, form, client, proof);
    if (!result.ok) {
      if (result.error.error === 'invalid_grant') this.service.auth.failed(throttleKey, client.id, sourceAddress, this.now());
      return result;
    }
    // RFC 8707: the resource is the authorization request's; a token request may name it again, not another one.
    // Access to the API withdrawn since then ends the family's access tokens for it.
    if (resource !== undefined && resource !== result.granted.resource) {
      return { ok: false, error: { error: 'invalid_target', description: 'The resource must be the one of the authorization request.' } };
    }
    if (result.granted.resource !== null && !client.apis.has(result.granted.resource)) {
      return { ok: false, error: { error: 'invalid_target', description: 'This client may no longer get tokens for that resource.' } };
    }
    this.service.throttle.recordSuccess(throttleKey);
    const body = await this.issue(client, result.granted, issuer, result.refreshToken, proof);
    const dpopNonce = this.service.dpopSuccessNonce(proof);
    return { ok: true, body, ...(dpopNonce ? { dpopNonce } : {}) };
  }

  /**
   * POST /connect/deviceauthorization (RFC 8628 3.1): a Device Code client, by client_id alone (it is public), gets a
   * device code and a user code. An unknown or disabled client counts against the throttle like a failed token request.
   */
  async deviceAuthorization(
    form: Map<string, string>,
    basic: BasicCredentials,
    sourceAddress: string,
    origin: string,
  ): Promise<{ ok: true; body: DeviceAuthorizationBody; client: AuthClient } | { ok: false; error: OAuthError }> {
    const auth = await this.authenticateClient(form, basic, sourceAddress);
    if (!auth.ok) return auth;
    if (auth.client.clientType !== 'device_code') return { ok: false, error: UNAUTHORIZED_CLIENT };
    // Per client and address, shared by every instance (lib/auth/throttle.ts): one caller cannot fill the client's cap.
    const verdict = await takeSignInAttempt(this.db, [deviceRequestKey(auth.client.id, sourceAddress)], new Date(this.now()));
    if (!verdict.allowed) {
      return {
        ok: false,
        error: { error: 'invalid_request', description: `Too many device requests from this address. Try again in ${verdict.retryAfterSeconds} seconds.` },
      };
    }
    const started = await startDeviceAuthorization(this.db, auth.client, form.get('scope'), form.get('resource'), {
      origin,
      accessTokenScopes: this.service.settings.scopes,
      now: this.now(),
    });
    return started.ok ? { ...started, client: auth.client } : started;
  }

  /** Hybrid: a secret (Basic or body). Authorization Code and Device Code (public): client_id alone, and no secret may be sent. */
  private async authenticateClient(
    form: Map<string, string>,
    basic: BasicCredentials,
    sourceAddress: string,
  ): Promise<{ ok: true; client: AuthClient; throttleKey: string } | { ok: false; error: OAuthError }> {
    const resolved = resolveCredentials(form, basic);
    if (!resolved.ok) return resolved;
    if (resolved.credentials) {
      const auth = await this.service.auth.secret(resolved.credentials, sourceAddress);
      if (!auth) return { ok: false, error: invalidClient(resolved.credentials.viaHeader) };
      if (auth.client.clientType !== 'hybrid') return { ok: false, error: UNAUTHORIZED_CLIENT };
      return { ok: true, client: auth.client, throttleKey: ClientAuthThrottle.key(auth.client.id, sourceAddress) };
    }
    if (basic || form.has('client_secret')) return { ok: false, error: invalidClient(Boolean(basic)) };
    const clientId = form.get('client_id')?.toLowerCase();
    if (!clientId) return { ok: false, error: invalidClient(true) };
    const key = ClientAuthThrottle.key(clientId, sourceAddress);
    const now = this.now();
    if (this.service.throttle.isBlocked(key, now)) return { ok: false, error: invalidClient(false) };
    const client = isClientIdFormat(clientId) ? await this.service.clients.get(clientId) : null;
    // A Hybrid client without its secret is refused like an unknown one.
    if (!client || !client.enabled || !isPublic(client)) {
      this.service.auth.failed(key, clientId, sourceAddress, now, 'unknown_client');
      return { ok: false, error: invalidClient(false) };
    }
    return { ok: true, client, throttleKey: key };
  }

  private async userOfTenant(userId: string, tenantId: string) {
    const [user] = await this.db
      .select({ id: users.id, email: users.email, name: users.name, tenantId: users.tenantId })
      .from(users)
      .where(eq(users.id, userId));
    return user && user.tenantId === tenantId ? user : null;
  }

  private async issue(client: AuthClient, granted: Granted, issuer: string, withRefreshToken: boolean, proof: PreparedDpop | null): Promise<TokenBody> {
    const iat = Math.floor(this.now() / 1000);
    const authTime = Math.floor(granted.authTime.getTime() / 1000);
    // A token for an API carries only the API scopes the client is granted now: access narrowed since the sign-in
    // (Edit API Access, or a scope removed from the API) narrows every later token of the family, refresh token included.
    const apiScopes = granted.resource === null ? null : client.apis.get(granted.resource);
    const scopes = granted.scope
      .split(' ')
      .filter((s) => s && (apiScopes === null || (OIDC_SCOPES as readonly string[]).includes(s) || apiScopes?.includes(s)));
    granted = { ...granted, scope: scopes.join(' ') };
    const accessClaims: Record<string, unknown> = {
      iss: issuer,
      sub: granted.userId,
      aud: granted.resource ?? this.service.audience(issuer),
      exp: iat + client.tokenLifetime,
      nbf: iat,
      iat,
      jti: randomUUID(),
      auth_time: authTime,
      client_id: client.id,
      tenant_id: client.tenantId,
      role: client.roleNames,
      role_ids: client.roleIds,
    };
    if (scopes.length) accessClaims.scope = scopes.join(' ');
    // RFC 9449 section 6: bound to the key of this request's proof.
    if (proof) accessClaims.cnf = { jkt: proof.jkt };
    const signer = this.service.keys.signer();
    const body: TokenBody = {
      access_token: await signer.sign(accessClaims),
      token_type: proof ? 'DPoP' : 'Bearer',
      expires_in: client.tokenLifetime,
      ...(scopes.length ? { scope: scopes.join(' ') } : {}),
    };
    if (scopes.includes('openid')) {
      const user = await this.userOfTenant(granted.userId, client.tenantId);
      const idSigner = this.service.keys.idTokenSigner();
      const idClaims: Record<string, unknown> = {
        iss: issuer,
        sub: granted.userId,
        aud: client.id,
        azp: client.id,
        exp: iat + client.tokenLifetime,
        iat,
        auth_time: authTime,
        // Optional for the code flow (Core 3.1.3.6); cheap, and lets the application bind the two tokens.
        at_hash: atHash(body.access_token, idSigner.alg),
      };
      if (granted.nonce) idClaims.nonce = granted.nonce;
      if (user && scopes.includes('profile')) idClaims.name = user.name;
      if (user && scopes.includes('email')) idClaims.email = user.email;
      body.id_token = await idSigner.sign(idClaims);
    }
    if (withRefreshToken) {
      const refreshToken = generateRefreshToken();
      await this.db.insert(refreshTokens).values({
        tokenHash: hashOpaque(refreshToken),
        familyId: granted.familyId,
        clientId: client.id,
        userId: granted.userId,
        scope: granted.scope,
        authTime: granted.authTime,
        expiresAt: new Date(this.now() + client.refreshTokenLifetime * 1000),
        dpopJkt: granted.dpopJkt,
        resource: granted.resource,
      });
      body.refresh_token = refreshToken;
    }
    return body;
  }
}
