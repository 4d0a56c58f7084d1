/** The token endpoint's error answers (RFC 6749 5.2 and the extensions it serves), shared by every grant and check. */
export type OAuthErrorCode =
  | 'invalid_request'
  | 'invalid_client'
  | 'unauthorized_client'
  | 'unsupported_grant_type'
  | 'invalid_scope'
  | 'invalid_grant'
  | 'invalid_token'
  | 'invalid_dpop_proof'
  | 'use_dpop_nonce'
  // RFC 8628 3.5: the device code grant's answers while the user has not decided (lib/oidc/device.ts).
  | 'authorization_pending'
  | 'slow_down'
  | 'access_denied'
  | 'expired_token'
  // RFC 8707 2: a resource that is not valid or that this client may not get tokens for (lib/tokens/resource.ts).
  | 'invalid_target';

/**
 * `challenge`: answer with WWW-Authenticate (RFC 6749 5.2: required when the client used the Authorization header;
 * also sent when it presented no credentials at all, to name the scheme it can use).
 * `dpopNonce`: a DPoP-Nonce header for the answer (RFC 9449 section 8).
 */
export type OAuthError = { error: OAuthErrorCode; description: string; challenge?: boolean; dpopNonce?: string };

/** A required parameter is absent (RFC 6749 5.2 invalid_request), as every endpoint answers it. */
export function missingParameter(name: string): { ok: false; error: OAuthError } {
  return { ok: false, error: { error: 'invalid_request', description: `The ${name} parameter is missing.` } };
}
