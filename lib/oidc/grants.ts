import { randomUUID } from 'node:crypto';
import { and, eq, gt, isNull, or } from 'drizzle-orm';
import type { Db } from '../db';
import { authorizationCodes, refreshTokens, users } from '../db/schema';
import { isClientIdFormat, type AuthClient } from '../tokens/client-store';
import { ClientAuthThrottle } from '../tokens/throttle';
import type { PreparedDpop } from '../tokens/dpop';
import {
  DPOP_REQUIRED,
  invalidClient,
  resolveCredentials,
  type BasicCredentials,
  type OAuthError,
  type TokenService,
} from '../tokens/token-service';
import { revokeRefreshFamily } from './grant-store';
import { DEVICE_CODE_GRANT_TYPE, pollDeviceAuthorization, startDeviceAuthorization, type DeviceAuthorizationBody } from './device';
import { atHash } from './id-token';
import { OIDC_SCOPES } from './authorize';
import { deviceRequestKey, takeSignInAttempt } from '../auth/throttle';
import { generateRefreshToken, hashOpaque, isWellFormedOpaque, REFRESH_TOKEN_PREFIX, CODE_PREFIX, verifyPkce } from './tokens';

export type UserTokenBody = {
  access_token: string;
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
};
export type UserGrantResult = { ok: true; body: UserTokenBody; client: AuthClient; dpopNonce?: string } | { ok: false; error: OAuthError };

const invalidGrant = (description: string): { ok: false; error: OAuthError } => ({
  ok: false,
  error: { error: 'invalid_grant', description },
});
const missing = (name: string): { ok: false; error: OAuthError } => ({
  ok: false,
  error: { error: 'invalid_request', description: `The ${name} parameter is missing.` },
});

/** Authorization Code and Device Code clients: public (PKCE or the device code, no secret). Hybrid clients use a secret. */
function isPublic(client: AuthClient): boolean {
  return client.clientType === 'authorization_code' || client.clientType === 'device_code';
}

export type UserGrantType = 'authorization_code' | 'refresh_token' | typeof DEVICE_CODE_GRANT_TYPE;

export function isUserGrant(grantType: string | undefined): grantType is UserGrantType {
  return grantType === 'authorization_code' || grantType === 'refresh_token' || grantType === DEVICE_CODE_GRANT_TYPE;
}

/** Which client types may use a grant: the device code grant is the Device Code client's, the code grant is not. */
function grantAllowed(grantType: UserGrantType, client: AuthClient): boolean {
  if (grantType === DEVICE_CODE_GRANT_TYPE) return client.clientType === 'device_code';
  if (grantType === 'authorization_code') return client.clientType !== 'device_code';
  return true;
}

const UNAUTHORIZED_CLIENT: OAuthError = { error: 'unauthorized_client', description: 'This client may not use this grant.' };

/** `dpopJkt`: the DPoP key a public client's refresh tokens of this family are bound to (RFC 9449 section 5). */
type Granted = {
  userId: string;
  scope: string;
  authTime: Date;
  nonce: string | null;
  familyId: string;
  dpopJkt: string | null;
  /** RFC 8707: the API the access tokens are for (the authorization request's resource); null: the default audience. */
  resource: string | null;
};

/**
 * The token endpoint's authorization_code (RFC 6749 4.1.3, RFC 7636) and refresh_token (RFC 6749 6) grants for
 * Authorization Code clients (public: client_id only, PKCE is the proof) and Hybrid clients (a secret, as for
 * client credentials). Every failed code or refresh token counts against the client-auth throttle of the pair
 * (client id, address), so neither can be guessed online.
 */
export class UserGrants {
  constructor(
    private readonly service: TokenService,
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  async token(
    grantType: UserGrantType,
    form: Map<string, string>,
    basic: BasicCredentials,
    sourceAddress: string,
    issuer: string,
    dpopHeader?: string | string[],
  ): Promise<UserGrantResult> {
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
    const result =
      grantType === 'authorization_code'
        ? await this.exchangeCode(form, client, proof)
        : grantType === 'refresh_token'
          ? await this.refresh(form, client, proof)
          : await this.exchangeDeviceCode(form, client, proof);
    if (!result.ok) {
      if (result.error.error === 'invalid_grant') this.service.failed(throttleKey, client.id, sourceAddress, this.now());
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
    return { ok: true, client, body, ...(dpopNonce ? { dpopNonce } : {}) };
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
      const auth = await this.service.authenticate(resolved.credentials, sourceAddress);
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
      this.service.failed(key, clientId, sourceAddress, now, 'unknown_client');
      return { ok: false, error: invalidClient(false) };
    }
    return { ok: true, client, throttleKey: key };
  }

  private async exchangeCode(
    form: Map<string, string>,
    client: AuthClient,
    proof: PreparedDpop | null,
  ): Promise<{ ok: true; granted: Granted; refreshToken: boolean } | { ok: false; error: OAuthError }> {
    const code = form.get('code');
    if (!code) return missing('code');
    const redirectUri = form.get('redirect_uri');
    if (!redirectUri) return missing('redirect_uri');
    const verifier = form.get('code_verifier');
    if (!verifier) return missing('code_verifier');
    const refused = invalidGrant('The authorization code is invalid, expired, already used, or was issued to another client.');
    if (!isWellFormedOpaque(code, CODE_PREFIX)) return refused;
    const codeHash = hashOpaque(code);
    // Single use: the first exchange marks the code consumed atomically; checks follow, so a failed attempt burns it too.
    const [row] = await this.db
      .update(authorizationCodes)
      .set({ consumedAt: new Date(this.now()) })
      .where(and(eq(authorizationCodes.codeHash, codeHash), isNull(authorizationCodes.consumedAt)))
      .returning();
    if (!row) {
      // A replayed code: revoke what its first exchange issued (RFC 6749 4.1.2).
      const [used] = await this.db
        .select({ familyId: authorizationCodes.familyId, clientId: authorizationCodes.clientId })
        .from(authorizationCodes)
        .where(eq(authorizationCodes.codeHash, codeHash));
      if (used && used.clientId === client.id) await this.revokeFamily(used.familyId);
      return refused;
    }
    if (
      row.clientId !== client.id ||
      row.expiresAt.getTime() <= this.now() ||
      row.redirectUri !== redirectUri ||
      !verifyPkce(verifier, row.codeChallenge)
    ) {
      return refused;
    }
    // RFC 9449 section 10: a code requested with dpop_jkt is exchanged only with a proof signed by that key.
    if (row.dpopJkt !== null && row.dpopJkt !== proof?.jkt) {
      return invalidGrant('The authorization code is bound to a DPoP key (dpop_jkt): send a DPoP proof signed with that key.');
    }
    if (!(await this.userOfTenant(row.userId, client.tenantId))) return refused;
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
  }

  /** RFC 8628 3.4: the device polls with its device code; see pollDeviceAuthorization for the answers. */
  private async exchangeDeviceCode(
    form: Map<string, string>,
    client: AuthClient,
    proof: PreparedDpop | null,
  ): Promise<{ ok: true; granted: Granted; refreshToken: boolean } | { ok: false; error: OAuthError }> {
    const code = form.get('device_code');
    if (!code) return missing('device_code');
    const poll = await pollDeviceAuthorization(this.db, client, code, this.now());
    if (!poll.ok) return poll;
    if (!(await this.userOfTenant(poll.userId, client.tenantId))) {
      return invalidGrant('The device code is invalid, was issued to another client, or was already used.');
    }
    return {
      ok: true,
      granted: {
        userId: poll.userId,
        scope: poll.scope,
        authTime: poll.authTime,
        nonce: null,
        familyId: poll.familyId,
        // RFC 9449 section 5: a public client's refresh tokens are bound to the key of its proof.
        dpopJkt: proof ? proof.jkt : null,
        resource: poll.resource,
      },
      refreshToken: poll.scope.split(' ').includes('offline_access'),
    };
  }

  private async refresh(
    form: Map<string, string>,
    client: AuthClient,
    proof: PreparedDpop | null,
  ): Promise<{ ok: true; granted: Granted; refreshToken: boolean } | { ok: false; error: OAuthError }> {
    const token = form.get('refresh_token');
    if (!token) return missing('refresh_token');
    const refused = invalidGrant('The refresh token is invalid, expired, revoked or was issued to another client.');
    if (!isWellFormedOpaque(token, REFRESH_TOKEN_PREFIX)) return refused;
    const tokenHash = hashOpaque(token);
    const now = new Date(this.now());
    // The requested scope is checked before the token is used up: a client asking for too much gets invalid_scope
    // and may retry with the same, still valid token (a used-up token would revoke the whole family on retry).
    // A token's granted scope never changes, so reading it first cannot race with the rotation below.
    const requested = form.get('scope');
    const resource = form.get('resource');
    let narrowed: string[] | null = null;
    if (requested !== undefined || resource !== undefined) {
      const [current] = await this.db
        .select({ scope: refreshTokens.scope, resource: refreshTokens.resource })
        .from(refreshTokens)
        .where(
          and(
            eq(refreshTokens.tokenHash, tokenHash),
            eq(refreshTokens.clientId, client.id),
            isNull(refreshTokens.usedAt),
            isNull(refreshTokens.revokedAt),
            gt(refreshTokens.expiresAt, now),
          ),
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
    const [row] = await this.db
      .update(refreshTokens)
      .set({ usedAt: now })
      .where(
        and(
          eq(refreshTokens.tokenHash, tokenHash),
          eq(refreshTokens.clientId, client.id),
          isNull(refreshTokens.usedAt),
          isNull(refreshTokens.revokedAt),
          gt(refreshTokens.expiresAt, now),
          proof ? or(isNull(refreshTokens.dpopJkt), eq(refreshTokens.dpopJkt, proof.jkt)) : isNull(refreshTokens.dpopJkt),
        ),
      )
      .returning();
    if (!row) {
      const [old] = await this.db
        .select({ familyId: refreshTokens.familyId, usedAt: refreshTokens.usedAt, clientId: refreshTokens.clientId, dpopJkt: refreshTokens.dpopJkt })
        .from(refreshTokens)
        .where(eq(refreshTokens.tokenHash, tokenHash));
      // Reuse of a rotated token means two parties hold the family: revoke all of it (OAuth 2.0 Security BCP 4.14.2).
      if (old && old.usedAt && old.clientId === client.id) await this.revokeFamily(old.familyId);
      else if (old && old.clientId === client.id && old.dpopJkt !== null && old.dpopJkt !== proof?.jkt) {
        return invalidGrant('The refresh token is bound to a DPoP key: send a DPoP proof signed with that key.');
      }
      return refused;
    }
    const scope = narrowed ? narrowed.join(' ') : row.scope;
    if (!(await this.userOfTenant(row.userId, client.tenantId))) return refused;
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
  }

  private async revokeFamily(familyId: string) {
    await revokeRefreshFamily(this.db, familyId, this.now());
  }

  private async userOfTenant(userId: string, tenantId: string) {
    const [user] = await this.db
      .select({ id: users.id, email: users.email, name: users.name, tenantId: users.tenantId })
      .from(users)
      .where(eq(users.id, userId));
    return user && user.tenantId === tenantId ? user : null;
  }

  private async issue(client: AuthClient, granted: Granted, issuer: string, withRefreshToken: boolean, proof: PreparedDpop | null): Promise<UserTokenBody> {
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
    const body: UserTokenBody = {
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
