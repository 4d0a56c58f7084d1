import type { Db } from '../db';
import type { AuthClient } from '../tokens/client-store';
import type { PreparedDpop } from '../tokens/dpop';
import type { OAuthError } from '../tokens/oauth-error';

/**
 * What the user grants share: lib/oidc/grants.ts (client authentication, DPoP, resource checks, issuing) and one file
 * per grant's exchange (grant-authorization-code.ts, grant-refresh-token.ts, grant-device-code.ts).
 */

export const invalidGrant = (description: string): { ok: false; error: OAuthError } => ({
  ok: false,
  error: { error: 'invalid_grant', description },
});

/** Authorization Code and Device Code clients: public (PKCE or the device code, no secret). Hybrid clients use a secret. */
export function isPublic(client: AuthClient): boolean {
  return client.clientType === 'authorization_code' || client.clientType === 'device_code';
}

/** `dpopJkt`: the DPoP key a public client's refresh tokens of this family are bound to (RFC 9449 section 5). */
export type Granted = {
  userId: string;
  scope: string;
  authTime: Date;
  nonce: string | null;
  familyId: string;
  dpopJkt: string | null;
  /** RFC 8707: the API the access tokens are for (the authorization request's resource); null: the default audience. */
  resource: string | null;
};

/** A grant's exchange: what was granted (and whether a refresh token goes with it), or the error to answer. */
export type Exchanged = { ok: true; granted: Granted; refreshToken: boolean } | { ok: false; error: OAuthError };

/** What an exchange reads and changes besides its own rows. */
export type GrantContext = {
  db: Db;
  now: () => number;
  /** The user, when it still exists in the client's tenant. */
  userOfTenant(userId: string, tenantId: string): Promise<{ id: string; email: string; name: string; tenantId: string } | null>;
  /** Revoke every refresh token of a family (a replayed code or refresh token). */
  revokeFamily(familyId: string): Promise<void>;
};

/** One grant's exchange of what the client presents (a code, a refresh token, a device code) for what was granted. */
export type Exchange = (ctx: GrantContext, form: Map<string, string>, client: AuthClient, proof: PreparedDpop | null) => Promise<Exchanged>;
