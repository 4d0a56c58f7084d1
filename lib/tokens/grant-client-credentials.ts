import { randomUUID } from 'node:crypto';
import type { AuthClient } from './client-store';
import { presentedAuth } from './client-auth';
import type { PreparedDpop } from './dpop';
import type { GrantRequest, GrantResult } from './grant';
import { PATHS } from './paths';
import { apiScope, resolveResource } from './resource';
import { tokenStats } from './stats';
import { DPOP_REQUIRED, type TokenService } from './token-service';

/**
 * grant_type=client_credentials (RFC 6749 4.4) for client-credentials clients. `dpopHeader`: the DPoP header; with a
 * valid proof the token is bound to its key (cnf.jkt, token_type DPoP). The proof's signature is verified while the
 * client is authenticated and the token signed; the token is handed out only when both passed.
 */
export async function clientCredentialsGrant(service: TokenService, request: GrantRequest): Promise<GrantResult> {
  const { form, basic, sourceAddress, issuer, dpopHeader } = request;
  const presented = presentedAuth(form, basic);
  if (!presented.ok) return presented;
  const dpop = service.prepareDpop(dpopHeader, issuer);
  if (!dpop.ok) return dpop;
  const proof = dpop.proof;
  const verifying = service.verifyDpop(proof);
  // private_key_jwt: the token is built and signed while the assertion's jti is recorded (a database round trip),
  // and answered only once that says the jti is fresh.
  const auth = await service.auth.request(form, basic, sourceAddress, issuer, PATHS.token, (client) =>
    issue(service, client, form, issuer, proof),
  );
  if (!auth.ok) return auth;
  if (auth.client.requireDpop && !proof) return { ok: false, error: DPOP_REQUIRED };
  // DPoP: the token is signed while the proof is confirmed (its signature check started above, so both go to the
  // crypto worker in the same batch; then its jti), and handed out only once the proof passed; otherwise dropped.
  const issuing = auth.prepared ? Promise.resolve(auth.prepared) : issue(service, auth.client, form, issuer, proof);
  if (proof) {
    issuing.catch(() => {}); // awaited below when the proof passed; a refusal must not leave it unhandled
    const refused = await service.confirmDpop(proof, verifying);
    if (refused) return { ok: false, error: refused };
  }
  const result = await issuing;
  if (!result.ok) return result;
  service.usage.issued(auth.client.id, auth.credential, sourceAddress, service.now());
  const nonce = service.dpopSuccessNonce(proof);
  return { ...result, ...(nonce ? { dpopNonce: nonce } : {}), ...(auth.credential ? { credential: auth.credential.kind } : {}) };
}

/** The client_credentials grant for an authenticated client: its type, the scope asked for, the signed token. */
async function issue(service: TokenService, client: AuthClient, form: Map<string, string>, issuer: string, proof: PreparedDpop | null = null): Promise<GrantResult> {
  if (client.clientType !== 'client_credentials') {
    return {
      ok: false,
      error: { error: 'unauthorized_client', description: 'This client may not use the client_credentials grant.' },
    };
  }
  let scope: string | undefined;
  let aud = service.audience(issuer);
  const requested = form.get('scope');
  const resource = form.get('resource');
  if (resource !== undefined) {
    // RFC 8707: a token for one of the tenant's APIs, with the scopes this client was granted of it.
    const target = resolveResource(client.apis, resource);
    if (!target.ok) return target;
    const scoped = apiScope(target.scopes, requested === undefined ? null : [...new Set(requested.split(' ').filter(Boolean))]);
    if (!scoped.ok) return scoped;
    scope = scoped.scope;
    aud = resource;
  } else if (requested !== undefined) {
    const values = [...new Set(requested.split(' ').filter(Boolean))];
    const unknown = values.find((v) => !service.settings.scopes.includes(v));
    if (unknown !== undefined || values.length === 0) {
      return {
        ok: false,
        error: { error: 'invalid_scope', description: `The requested scope is not available. Available: ${service.settings.scopes.join(' ') || 'none'}.` },
      };
    }
    scope = values.join(' ');
  }
  const iat = Math.floor(service.now() / 1000);
  const claims: Record<string, unknown> = {
    iss: issuer,
    sub: client.id,
    aud,
    exp: iat + client.tokenLifetime,
    nbf: iat,
    iat,
    jti: randomUUID(),
    client_id: client.id,
    tenant_id: client.tenantId,
    role: client.roleNames,
    role_ids: client.roleIds,
  };
  if (scope) claims.scope = scope;
  // RFC 9449 section 6: the token is bound to the proof's key.
  if (proof) claims.cnf = { jkt: proof.jkt };
  const signAt = tokenStats ? performance.now() : 0;
  const accessToken = await service.keys.signer().sign(claims);
  tokenStats?.record('sign', signAt);
  return {
    ok: true,
    body: { access_token: accessToken, token_type: proof ? 'DPoP' : 'Bearer', expires_in: client.tokenLifetime, ...(scope ? { scope } : {}) },
  };
}

