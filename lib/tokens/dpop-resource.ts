import { boundJkt, confirmDpopProof, DPOP_SIGNING_ALGS, prepareDpopProof, type DpopSettings } from './dpop';

/**
 * DPoP at a resource server (RFC 9449 section 7): userinfo and our REST API. A token bound to a key (cnf.jkt) is
 * accepted only as `Authorization: DPoP <token>` with a proof of that key for this request (htm, htu, ath); the same
 * token as `Bearer` is refused, as is the DPoP scheme with a token that is not bound.
 */
export type PresentedToken = { scheme: 'Bearer' | 'DPoP'; token: string };

const AUTHORIZATION_RE = /^(Bearer|DPoP) +([A-Za-z0-9\-._~+/]+=*) *$/i;

/** `Authorization: Bearer <token>` or `Authorization: DPoP <token>` (scheme case-insensitive); null for anything else. */
export function parseAuthorization(value: string | null | undefined): PresentedToken | null {
  const m = value ? AUTHORIZATION_RE.exec(value) : null;
  if (!m) return null;
  return { scheme: m[1].toLowerCase() === 'dpop' ? 'DPoP' : 'Bearer', token: m[2] };
}

/** Why a presented token was refused; `nonce`: a DPoP-Nonce header to send with it. */
export type BindingFailure = { error: 'invalid_token' | 'invalid_dpop_proof' | 'use_dpop_nonce'; description: string; nonce?: string };

/**
 * The binding of a token whose signature and claims already verified: a bearer token as Bearer passes; a bound token
 * needs the DPoP scheme and a proof signed by its key for this request, with ath, whose jti was not seen before.
 */
export async function checkTokenBinding(
  presented: PresentedToken,
  claims: Record<string, unknown>,
  proofHeader: string | string[] | undefined | null,
  target: { htm: string; htu: string },
  settings: DpopSettings,
  recordJti: (replayKey: string, jti: string, expSeconds: number) => Promise<boolean>,
): Promise<BindingFailure | null> {
  const jkt = boundJkt(claims);
  if (presented.scheme === 'Bearer') {
    return jkt === null
      ? null
      : { error: 'invalid_token', description: 'This access token is bound to a DPoP key: send it as "Authorization: DPoP <token>" with a DPoP proof.' };
  }
  if (jkt === null) return { error: 'invalid_token', description: 'This access token is not bound to a DPoP key: send it as "Authorization: Bearer <token>".' };
  const prepared = prepareDpopProof(proofHeader ?? undefined, { ...target, accessToken: presented.token }, settings);
  if (!prepared.ok) return prepared.failure;
  if (prepared.proof.jkt !== jkt) return { error: 'invalid_dpop_proof', description: 'The DPoP proof is signed with another key than the one the access token is bound to.' };
  return confirmDpopProof(prepared.proof, recordJti, settings.nowMs);
}

function quoted(text: string) {
  return `"${text.replace(/["\\]/g, '')}"`;
}

/**
 * The DPoP challenge (RFC 9449 7.1), with the algorithms we accept; with `failure`, its error. For a request with no
 * credentials, send it beside the Bearer challenge so a client learns it may use either.
 */
export function dpopChallenge(failure?: { error: string; description: string } | null, realm?: string): string {
  const parts = [...(realm ? [`realm=${quoted(realm)}`] : []), `algs="${DPOP_SIGNING_ALGS.join(' ')}"`];
  if (failure) parts.push(`error=${quoted(failure.error)}`, `error_description=${quoted(failure.description)}`);
  return `DPoP ${parts.join(', ')}`;
}
