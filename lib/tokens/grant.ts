import type { CredentialRef } from './usage-recorder';
import { presentedAuth, type BasicCredentials } from './client-auth';
import { missingParameter, type OAuthError } from './oauth-error';

/** What every POST endpoint of lib/tokens is given: the form, HTTP Basic as parsed, the caller's address, the issuer. */
export type EndpointRequest = {
  form: Map<string, string>;
  basic: BasicCredentials;
  sourceAddress: string;
  issuer: string;
};

/** A grant of the token endpoint also gets the DPoP header (RFC 9449). */
export type GrantRequest = EndpointRequest & { dpopHeader?: string | string[] };

/** A token endpoint answer (RFC 6749 5.1), or the OAuth error to answer (5.2). */
export type TokenBody = {
  access_token: string;
  token_type: 'Bearer' | 'DPoP';
  expires_in: number;
  scope?: string;
  refresh_token?: string;
  id_token?: string;
};

/**
 * `dpopNonce`: a DPoP-Nonce header for a successful answer (when nonces are required, the one to use next).
 * `credential`: what the client authenticated with (for the tokens-issued metric, without decoding an assertion again).
 */
export type GrantResult =
  | { ok: true; body: TokenBody; dpopNonce?: string; credential?: CredentialRef['kind'] }
  | { ok: false; error: OAuthError };

export type Grant = (request: GrantRequest) => Promise<GrantResult>;

/**
 * The token endpoint: the grant named by grant_type, from `grants` (lib/identity composes it: client_credentials from
 * lib/tokens, the user grants from lib/oidc). A request with a malformed client authentication is refused for that
 * before its grant type is looked at.
 */
export function dispatchGrant(grants: ReadonlyMap<string, Grant>, request: GrantRequest): Promise<GrantResult> {
  const grantType = request.form.get('grant_type');
  if (grantType === undefined) {
    return Promise.resolve(missingParameter('grant_type'));
  }
  const grant = grants.get(grantType);
  if (grant) return grant(request);
  const presented = presentedAuth(request.form, request.basic);
  if (!presented.ok) return Promise.resolve(presented);
  return Promise.resolve({
    ok: false,
    error: { error: 'unsupported_grant_type', description: `Supported grant types: ${[...grants.keys()].join(', ')}.` },
  });
}
