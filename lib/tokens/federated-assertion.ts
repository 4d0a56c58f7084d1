import { createHash } from 'node:crypto';
import type { FederatedCondition } from '../db/schema/federated-credentials';
import { algorithmsOf, type ParsedPublicKey } from '../keys/public-key';
import { claimsFailure, shown, type DecodedToken, type FederatedRule } from './federation/evaluate';
import { issuerKeyFailure, issuerKeys, parsePastedJwks } from './federation/issuer-keys';
import { verifySignature } from './client-keys';

/**
 * Federated client authentication (RFC 7521/7523 section 3 with an external issuer, as Entra's federated identity
 * credentials and Keycloak's federated JWT do): client_assertion is a JWT from the workload's platform (GitHub
 * Actions, GitLab CI, Kubernetes, SPIFFE, any OIDC issuer), client_id names our client. The token must verify against
 * the issuer's keys (pasted on the credential, or from the issuer's OIDC discovery through lib/net) and satisfy every
 * check of one of the client's federated credentials with that issuer (lib/tokens/federation/evaluate.ts).
 */

/** A federated credential as the token service caches it: the rule, and its pasted keys parsed once per load. */
export type AuthFederated = FederatedRule & { keys: ParsedPublicKey[] | null; enabled: boolean };

export type FederatedRow = {
  id: number;
  name: string;
  issuer: string;
  audience: string;
  subject: string;
  subjectOperator: string;
  conditions: FederatedCondition[] | null;
  jwks: { keys: Record<string, unknown>[] } | null;
  maxTokenAgeSeconds: number;
  singleUse: boolean;
  /** Left out (rows from before it existed): enabled. */
  enabled?: boolean;
  expiresAt: number | string | null;
};

export function loadedFederated(rows: FederatedRow[]): AuthFederated[] {
  return rows.map((r) => {
    const pasted = r.jwks ? parsePastedJwks(r.jwks) : null;
    return {
      id: Number(r.id),
      name: r.name,
      issuer: r.issuer,
      audience: r.audience,
      subject: r.subject,
      subjectOperator: r.subjectOperator === 'glob' ? 'glob' : 'equals',
      conditions: r.conditions ?? [],
      maxTokenAgeSeconds: Number(r.maxTokenAgeSeconds),
      singleUse: Boolean(r.singleUse),
      enabled: r.enabled !== false,
      expiresAt: r.expiresAt === null ? null : Number(r.expiresAt),
      // A stored set that no longer parses verifies nothing (an empty list), rather than falling back to discovery.
      keys: r.jwks ? (pasted?.ok ? pasted.keys : []) : null,
    };
  });
}

/** Why one credential refused the token: for its "last failure reason" and the audit event. Never the token. */
export type FederatedRefusal = { credentialId: number | null; name: string | null; reason: string };

export type FederatedVerdict =
  | { ok: true; credential: AuthFederated; replayKey: string | null; exp: number }
  | { ok: false; refusals: FederatedRefusal[]; issuer: string | null; subject: string | null };

async function verifiesWith(keys: ParsedPublicKey[], token: DecodedToken): Promise<boolean> {
  const alg = token.header.alg as string;
  const kid = typeof token.header.kid === 'string' ? token.header.kid : undefined;
  for (const key of keys) {
    if (kid !== undefined && key.kid !== kid) continue;
    if (!algorithmsOf(key.publicKey).includes(alg as never)) continue;
    if (await verifySignature(alg, key.publicKey, token.signingInput, token.signature)) return true;
  }
  return false;
}

/**
 * Which of the client's federated credentials accepts the token, or why none does. The signature is checked before
 * the claims, so a reason recorded for an administrator is about a token the issuer really signed (a forged token
 * only ever records "the signature did not verify").
 */
export async function verifyFederated(token: DecodedToken, federated: AuthFederated[], nowMs: number): Promise<FederatedVerdict> {
  const { iss, sub, jti, exp } = token.claims;
  const issuer = typeof iss === 'string' ? iss : null;
  const subject = typeof sub === 'string' ? sub : null;
  const refuse = (refusals: FederatedRefusal[]): FederatedVerdict => ({ ok: false, refusals, issuer, subject });
  if (issuer === null) return refuse([{ credentialId: null, name: null, reason: 'the token has no iss' }]);
  const sameIssuer = federated.filter((f) => f.issuer === issuer);
  if (sameIssuer.length === 0) {
    return refuse([{ credentialId: null, name: null, reason: `no federated credential of this client has the issuer ${shown(issuer)}` }]);
  }
  const live = sameIssuer.filter((f) => f.enabled && (f.expiresAt === null || f.expiresAt > nowMs));
  const refusals: FederatedRefusal[] = sameIssuer
    .filter((f) => !live.includes(f))
    .map((f) => ({ credentialId: f.id, name: f.name, reason: f.enabled ? 'the federated credential has expired' : 'the federated credential is disabled' }));

  const kid = typeof token.header.kid === 'string' ? token.header.kid : undefined;
  let discovered: boolean | null = null; // the issuer's published keys, checked once for all credentials using them
  for (const credential of live) {
    let signed: boolean;
    if (credential.keys) {
      signed = await verifiesWith(credential.keys, token);
    } else {
      discovered ??= await verifiesWith(await issuerKeys(issuer, kid, nowMs), token);
      signed = discovered;
    }
    if (!signed) {
      const fetchFailure = credential.keys ? null : issuerKeyFailure(issuer);
      refusals.push({
        credentialId: credential.id,
        name: credential.name,
        reason: fetchFailure
          ? `the issuer's keys could not be fetched: ${fetchFailure}`
          : `the signature did not verify with the issuer's ${credential.keys ? 'pasted ' : ''}keys${kid ? ` (kid ${shown(kid)})` : ''}`,
      });
      continue;
    }
    const failure = claimsFailure(credential, token.claims, nowMs);
    if (failure) {
      refusals.push({ credentialId: credential.id, name: credential.name, reason: failure });
      continue;
    }
    const replayKey = credential.singleUse && typeof jti === 'string' && jti.length > 0 ? federatedReplayKey(issuer, jti) : null;
    return { ok: true, credential, replayKey, exp: exp as number };
  }
  return refuse(refusals);
}

/**
 * The jti as stored in client_assertion_jtis (per client, like private_key_jwt's): prefixed and hashed with the issuer,
 * so it cannot collide with the client's own assertion jtis and stays short whatever the issuer sends.
 */
export function federatedReplayKey(issuer: string, jti: string): string {
  return `fed:${createHash('sha256').update(`${issuer}\n${jti}`).digest('base64url')}`;
}
