import { timingSafeEqual } from 'node:crypto';
import type { Db } from '../db';
import { auditEvents } from '../db/schema';
import { hashSecretBytes, isWellFormedSecret } from '../secrets/secret';
import type { TokenSettings } from './config';
import { ClientStore, isClientIdFormat, type AuthClient } from './client-store';
import type { LastUsedRecorder } from './last-used';
import type { UsageRecorder, CredentialRef } from './usage-recorder';
import { ClientAuthThrottle } from './throttle';
import { tokenStats } from './stats';
import { metrics } from '../metrics';
import { decodeAssertion, JWT_BEARER_ASSERTION, verifyAssertion, type batchedJtiRecorder } from './client-assertion';
import { decodeFederatedToken } from './federation/evaluate';
import { verifyFederated } from './federated-assertion';
import type { FederatedFailureRecorder } from './federated-failures';
import { PATHS } from './paths';
import type { OAuthError } from './oauth-error';

/**
 * Client authentication at the token, introspection and revocation endpoints, one method per way a client proves
 * who it is: a secret (HTTP Basic or the body), its own signed assertion (private_key_jwt, RFC 7523), a platform's
 * token (a federated credential), or a public client's bare client_id (revocation only). Every refusal is the same
 * invalid_client and counts against the same throttle of (client id, address); why it was refused goes to the
 * metrics and usage counts (and, for federated credentials, the credential's last failure), never to the caller.
 */

/** One body for every refused client (unknown, wrong/expired/removed secret, disabled, removed, throttled). */
const INVALID_CLIENT_DESCRIPTION = 'Client authentication failed.';
export function invalidClient(challenge: boolean): OAuthError {
  return { error: 'invalid_client', description: INVALID_CLIENT_DESCRIPTION, challenge };
}

/**
 * Why a client authentication was refused, for the tsc_client_auth_failures_total metric (never in an answer: every
 * refusal is the same invalid_client). `invalid_grant`: a wrong code or refresh token (lib/oidc/grants.ts).
 */
export type AuthFailureReason =
  | 'throttled'
  | 'malformed'
  | 'missing_credentials'
  | 'unknown_client'
  | 'wrong_secret'
  | 'expired_secret'
  | 'disabled_client'
  | 'no_keys'
  | 'invalid_assertion'
  | 'replayed_assertion'
  | 'invalid_federated_token'
  | 'not_public_client'
  | 'invalid_grant';

/** A client's own assertion (private_key_jwt): iss = sub = a client id. */
function isOwnAssertion(claims: Record<string, unknown>): boolean {
  return typeof claims.iss === 'string' && claims.iss === claims.sub && isClientIdFormat(claims.iss);
}

/** Client credentials as presented: HTTP Basic (`basic`: decoded, or 'malformed') and the form parameters. */
export type PresentedCredentials = { clientId: string; secret: string };
export type BasicCredentials = PresentedCredentials | 'malformed' | null;
/** Credentials found in a request, and whether they came in the Authorization header. */
export type ResolvedCredentials = PresentedCredentials & { viaHeader: boolean };

/** A refusal of a (client id, address) pair in a throttled period: counted, then answered as any other refusal. */
function throttled(): null;
function throttled<T>(answer: T): T;
function throttled<T>(answer: T | null = null): T | null {
  metrics.clientAuthFailures.inc({ reason: 'throttled' });
  return answer;
}

/** The product's maximum number of secrets per client: every authentication compares this many hashes, known client or not. */
const COMPARED_SLOTS = 10;
const DUMMY_HASH = Buffer.alloc(32, 0xa5);
const NO_SECRETS: AuthClient['secrets'] = [];

/**
 * RFC 6749 2.3.1: HTTP Basic or the body, never both. A client_id in the body next to Basic is tolerated when it
 * names the same client (some libraries send it).
 */
export function resolveCredentials(
  form: Map<string, string>,
  basic: BasicCredentials,
): { ok: true; credentials: ResolvedCredentials | null } | { ok: false; error: OAuthError } {
  const bodyId = form.get('client_id');
  const bodySecret = form.get('client_secret');
  if (form.has('client_assertion') || form.has('client_assertion_type')) {
    return {
      ok: false,
      error: {
        error: 'invalid_request',
        description: 'Use one client authentication method: a client assertion, HTTP Basic or client_secret in the body.',
      },
    };
  }
  if (basic) {
    if (bodySecret !== undefined) {
      return {
        ok: false,
        error: {
          error: 'invalid_request',
          description: 'Use one client authentication method: HTTP Basic or client_secret in the body, not both.',
        },
      };
    }
    if (basic === 'malformed') return { ok: false, error: invalidClient(true) };
    if (bodyId !== undefined && bodyId !== basic.clientId) {
      return {
        ok: false,
        error: { error: 'invalid_request', description: 'The client_id parameter differs from the HTTP Basic user name.' },
      };
    }
    return { ok: true, credentials: { ...basic, viaHeader: true } };
  }
  if (bodyId === undefined || bodySecret === undefined) return { ok: true, credentials: null };
  return { ok: true, credentials: { clientId: bodyId, secret: bodySecret, viaHeader: false } };
}

/**
 * The client authentication a request presents: none, a secret (resolveCredentials), or a private_key_jwt assertion
 * (RFC 7523 2.2: client_assertion_type and client_assertion in the body, nothing in Authorization).
 */
export type PresentedAuth =
  | { kind: 'none' }
  | { kind: 'secret'; credentials: ResolvedCredentials }
  | { kind: 'assertion'; assertion: string; clientId?: string };

export function presentedAuth(form: Map<string, string>, basic: BasicCredentials): { ok: true; auth: PresentedAuth } | { ok: false; error: OAuthError } {
  const type = form.get('client_assertion_type');
  const assertion = form.get('client_assertion');
  if (type !== undefined || assertion !== undefined) {
    if (basic || form.has('client_secret')) return resolveCredentials(form, basic) as { ok: false; error: OAuthError };
    if (type !== JWT_BEARER_ASSERTION || assertion === undefined) return { ok: false, error: invalidClient(false) };
    return { ok: true, auth: { kind: 'assertion', assertion, clientId: form.get('client_id') } };
  }
  const resolved = resolveCredentials(form, basic);
  if (!resolved.ok) return resolved;
  return { ok: true, auth: resolved.credentials ? { kind: 'secret', credentials: resolved.credentials } : { kind: 'none' } };
}

/** What client authentication reads and records: the token service's stores (lib/tokens/token-service.ts). */
export type ClientAuthDeps = {
  db: Db;
  settings: Pick<TokenSettings, 'throttleMaxFailures' | 'throttleBlockMs'>;
  clients: ClientStore;
  throttle: ClientAuthThrottle;
  usage: UsageRecorder;
  lastUsed: LastUsedRecorder;
  keyLastUsed: LastUsedRecorder;
  federatedLastUsed: LastUsedRecorder;
  federatedFailures: FederatedFailureRecorder;
  /** Single use of assertion and platform-token jtis, on every instance (batched per event-loop turn). */
  recordJti: ReturnType<typeof batchedJtiRecorder>;
  now: () => number;
};

/** A client that authenticated: what it used (for usage counts and the tokens-issued metric), and what was prepared alongside. */
export type Authenticated<P = never> =
  | { ok: true; client: AuthClient; prepared?: P; credential?: CredentialRef }
  | { ok: false; error: OAuthError };

export class ClientAuthenticator {
  private readonly db: Db;
  private readonly settings: ClientAuthDeps['settings'];
  private readonly clients: ClientStore;
  private readonly throttle: ClientAuthThrottle;
  private readonly usage: UsageRecorder;
  private readonly lastUsed: LastUsedRecorder;
  private readonly keyLastUsed: LastUsedRecorder;
  private readonly federatedLastUsed: LastUsedRecorder;
  private readonly federatedFailures: FederatedFailureRecorder;
  private readonly recordJti: ClientAuthDeps['recordJti'];
  private readonly now: () => number;

  constructor(deps: ClientAuthDeps) {
    this.db = deps.db;
    this.settings = deps.settings;
    this.clients = deps.clients;
    this.throttle = deps.throttle;
    this.usage = deps.usage;
    this.lastUsed = deps.lastUsed;
    this.keyLastUsed = deps.keyLastUsed;
    this.federatedLastUsed = deps.federatedLastUsed;
    this.federatedFailures = deps.federatedFailures;
    this.recordJti = deps.recordJti;
    this.now = deps.now;
  }

  /**
   * Client authentication with the same work for every kind of refusal: the hash of the presented secret is compared
   * against COMPARED_SLOTS stored hashes (padding with a dummy), and only then are enabled/expiry looked at.
   * A malformed secret or client id is refused before any database work; a throttled pair before any comparison.
   */
  async secret(
    credentials: PresentedCredentials,
    sourceAddress: string,
  ): Promise<{ client: AuthClient; secretId: number } | null> {
    const now = this.now();
    // Lower case first: GUIDs are case-insensitive, and case variants must not open fresh throttle buckets.
    const clientId = credentials.clientId.toLowerCase();
    const key = ClientAuthThrottle.key(clientId, sourceAddress);
    if (this.throttle.isBlocked(key, now)) return throttled();
    if (!isClientIdFormat(clientId)) {
      this.failed(key, clientId, sourceAddress, now, 'malformed');
      return null;
    }
    const lookupAt = tokenStats ? performance.now() : 0;
    const hit = this.clients.cached(clientId);
    // The secret's format and checksum before any database work; for a client already in memory the comparison below
    // decides alone (a secret that matches a stored hash is one we issued), and the check is only made for the reason.
    if (hit === undefined && !isWellFormedSecret(credentials.secret)) {
      this.failed(key, clientId, sourceAddress, now, 'malformed');
      return null;
    }
    const client = hit !== undefined ? hit : await this.clients.get(clientId);
    tokenStats?.record('lookup', lookupAt);
    const hashAt = tokenStats ? performance.now() : 0;
    const presented = hashSecretBytes(credentials.secret);
    const secrets = client?.secrets ?? NO_SECRETS;
    const slots = Math.max(COMPARED_SLOTS, secrets.length);
    let matched = -1;
    for (let i = 0; i < slots; i++) {
      const real = i < secrets.length;
      if (timingSafeEqual(real ? secrets[i].hash : DUMMY_HASH, presented) && real) matched = i;
    }
    const secret = matched >= 0 ? secrets[matched] : undefined;
    tokenStats?.record('hash', hashAt);
    if (!client || !secret || !client.enabled || (secret.expiresAt !== null && secret.expiresAt <= now)) {
      const reason =
        !client || !secret
          ? !isWellFormedSecret(credentials.secret)
            ? 'malformed'
            : !client
              ? 'unknown_client'
              : 'wrong_secret'
          : !client.enabled
            ? 'disabled_client'
            : 'expired_secret';
      this.failed(key, clientId, sourceAddress, now, reason);
      return null;
    }
    this.throttle.recordSuccess(key);
    this.lastUsed.stamp(secret.id, now);
    return { client, secretId: secret.id };
  }

  /**
   * private_key_jwt: the same invalid_client for every refusal (malformed, unknown or disabled client, no key that
   * verifies, expired, wrong audience, replayed jti) and the same throttle as secrets. `audiences`: what aud may name.
   */
  async privateKeyJwt<P = never>(
    assertion: string,
    bodyClientId: string | undefined,
    sourceAddress: string,
    audiences: string[],
    alongside?: (client: AuthClient) => Promise<P>,
  ): Promise<{ client: AuthClient; keyId: number; prepared?: P } | null> {
    const now = this.now();
    const decoded = decodeAssertion(assertion);
    const clientId = (decoded?.clientId ?? bodyClientId ?? '').toLowerCase();
    const key = ClientAuthThrottle.key(clientId, sourceAddress);
    if (this.throttle.isBlocked(key, now)) return throttled();
    if (!decoded || (bodyClientId !== undefined && bodyClientId.toLowerCase() !== decoded.clientId)) {
      this.failed(key, clientId, sourceAddress, now, 'malformed');
      return null;
    }
    const client = await this.clients.get(clientId);
    const usable = client && client.enabled && client.keys.length > 0 ? client : null;
    // `alongside` (the token endpoint: building and signing the access token) runs while the assertion's signature
    // is checked and its jti goes to the database (the signature and the check go to the crypto worker together).
    // What it prepared is handed back only if the assertion verified and its jti was fresh; otherwise it is dropped,
    // never sent.
    const preparing = usable && alongside ? alongside(usable) : undefined;
    preparing?.catch(() => {}); // awaited below when used; a refusal must not leave it unhandled
    const verifyAt = tokenStats ? performance.now() : 0;
    const verified = usable ? await verifyAssertion(decoded, usable, audiences, now) : null;
    tokenStats?.record('verify', verifyAt);
    // Recorded only after the signature verified, so nobody else can use up a client's jti values.
    if (!client || !verified) {
      const reason = !client ? 'unknown_client' : !client.enabled ? 'disabled_client' : !usable ? 'no_keys' : 'invalid_assertion';
      this.failed(key, clientId, sourceAddress, now, reason);
      return null;
    }
    const replayAt = tokenStats ? performance.now() : 0;
    const fresh = await this.recordJti(client.id, verified.jti, verified.exp);
    tokenStats?.record('replay', replayAt);
    if (!fresh) {
      this.failed(key, clientId, sourceAddress, now, 'replayed_assertion');
      return null;
    }
    const prepared = preparing ? await preparing : undefined;
    this.throttle.recordSuccess(key);
    this.keyLastUsed.stamp(verified.keyId, now, verified.alg);
    return { client, keyId: verified.keyId, ...(alongside ? { prepared } : {}) };
  }

  /**
   * A federated credential (lib/tokens/federated-assertion.ts): a platform's JWT as client_assertion, with client_id.
   * Like private_key_jwt: one invalid_client for every refusal, counted by the same throttle; the token is signed
   * `alongside` the checks and handed back only if they all pass. Why it was refused goes to the credential's "last
   * failure reason" and the audit log (lib/tokens/federated-failures.ts), never to the caller.
   */
  async federated<P = never>(
    assertion: string,
    rawClientId: string,
    sourceAddress: string,
    alongside?: (client: AuthClient) => Promise<P>,
    alreadyDecoded?: ReturnType<typeof decodeFederatedToken>,
  ): Promise<{ client: AuthClient; credentialId: number; prepared?: P } | null> {
    const now = this.now();
    const clientId = rawClientId.toLowerCase();
    const key = ClientAuthThrottle.key(clientId, sourceAddress);
    if (this.throttle.isBlocked(key, now)) return throttled();
    const decoded = isClientIdFormat(clientId) ? (alreadyDecoded ?? decodeFederatedToken(assertion)) : null;
    const client = decoded ? await this.clients.get(clientId) : null;
    const usable = client && client.enabled && client.federated.length > 0 ? client : null;
    if (!decoded || !decoded.ok || !usable) {
      const reason = !decoded ? 'malformed' : !client ? 'unknown_client' : !client.enabled ? 'disabled_client' : !usable ? 'no_keys' : 'invalid_federated_token';
      this.failed(key, clientId, sourceAddress, now, reason);
      if (usable && decoded && !decoded.ok) {
        this.federatedFailures.record(usable, { refusals: [{ credentialId: null, name: null, reason: decoded.reason }], issuer: null, subject: null }, sourceAddress, now);
      }
      return null;
    }
    const preparing = alongside ? alongside(usable) : undefined;
    preparing?.catch(() => {});
    const verifyAt = tokenStats ? performance.now() : 0;
    const verdict = await verifyFederated(decoded.token, usable.federated, now);
    tokenStats?.record('verify', verifyAt);
    if (!verdict.ok) {
      this.failed(key, clientId, sourceAddress, now, 'invalid_federated_token');
      this.federatedFailures.record(usable, verdict, sourceAddress, now);
      return null;
    }
    if (verdict.replayKey !== null) {
      const fresh = await this.recordJti(usable.id, verdict.replayKey, verdict.exp);
      if (!fresh) {
        this.failed(key, clientId, sourceAddress, now, 'replayed_assertion');
        this.federatedFailures.record(
          usable,
          {
            refusals: [{ credentialId: verdict.credential.id, name: verdict.credential.name, reason: 'the token was already used (its jti was presented before)' }],
            issuer: verdict.credential.issuer,
            subject: typeof decoded.token.claims.sub === 'string' ? decoded.token.claims.sub : null,
          },
          sourceAddress,
          now,
        );
        return null;
      }
    }
    const prepared = preparing ? await preparing : undefined;
    this.throttle.recordSuccess(key);
    this.federatedLastUsed.stamp(verdict.credential.id, now);
    return { client: usable, credentialId: verdict.credential.id, ...(alongside ? { prepared } : {}) };
  }

  /**
   * Whichever client authentication the request presents (a secret, private_key_jwt or a federated credential); the
   * OAuth error to answer otherwise. `endpoint`: the path an assertion's aud may name besides the issuer and the token
   * endpoint. `alongsideReplayCheck`: work (the token endpoint: signing the token) started once the client is known
   * and handed back only if the authentication passed.
   */
  async request<P = never>(
    form: Map<string, string>,
    basic: BasicCredentials,
    sourceAddress: string,
    issuer: string,
    endpoint: string,
    alongsideReplayCheck?: (client: AuthClient) => Promise<P>,
  ): Promise<Authenticated<P>> {
    const presented = presentedAuth(form, basic);
    if (!presented.ok) return presented;
    const { auth } = presented;
    if (auth.kind === 'none') {
      metrics.clientAuthFailures.inc({ reason: 'missing_credentials' });
      return { ok: false, error: invalidClient(true) };
    }
    if (auth.kind === 'secret') {
      const result = await this.secret(auth.credentials, sourceAddress);
      return result ? { ok: true, client: result.client, credential: { kind: 'secret', id: result.secretId } } : { ok: false, error: invalidClient(auth.credentials.viaHeader) };
    }
    // A platform token (iss is its issuer, not the client) with client_id: a federated credential. Decoded once here;
    // an assertion the client signed itself (iss = sub = its id) is private_key_jwt.
    const platform = auth.clientId !== undefined ? decodeFederatedToken(auth.assertion) : null;
    if (platform && (!platform.ok || !isOwnAssertion(platform.token.claims))) {
      const federated = await this.federated(auth.assertion, auth.clientId!, sourceAddress, alongsideReplayCheck, platform);
      return federated
        ? { ok: true, client: federated.client, prepared: federated.prepared, credential: { kind: 'federated', id: federated.credentialId } }
        : { ok: false, error: invalidClient(false) };
    }
    const audiences = [issuer, issuer + PATHS.token, issuer + endpoint];
    const result = await this.privateKeyJwt(auth.assertion, auth.clientId, sourceAddress, audiences, alongsideReplayCheck);
    return result ? { ok: true, client: result.client, prepared: result.prepared, credential: { kind: 'key', id: result.keyId } } : { ok: false, error: invalidClient(false) };
  }

  /** Count a failed client authentication (also used by lib/oidc/grants.ts for codes and refresh tokens). */
  failed(key: string, clientId: string, sourceAddress: string, now: number, reason: AuthFailureReason = 'invalid_grant') {
    metrics.clientAuthFailures.inc({ reason });
    this.usage.failed(clientId, reason, sourceAddress, now);
    if (!this.throttle.recordFailure(key, now)) return;
    metrics.clientAuthThrottleBlocks.inc();
    this.auditThrottled(clientId, sourceAddress).catch((err) =>
      console.error('[tokens] recording a throttle audit event failed:', (err as Error).message),
    );
  }

  /** One audit event per throttled period, in the client's tenant; nothing for a client id that does not exist. */
  private async auditThrottled(clientId: string, sourceAddress: string) {
    if (!isClientIdFormat(clientId)) return;
    const client = await this.clients.get(clientId);
    if (!client) return;
    tokenStats?.count('audit writes');
    await this.db.insert(auditEvents).values({
      tenantId: client.tenantId,
      actor: 'system',
      actorType: 'system',
      action: 'client.auth_throttled',
      targetType: 'client',
      targetId: client.id,
      details: {
        sourceAddress,
        failures: this.settings.throttleMaxFailures,
        blockedSeconds: Math.round(this.settings.throttleBlockMs / 1000),
        via: 'token_endpoint',
      },
    });
  }

  /**
   * RFC 7009 2.1: a public client (an enabled Authorization Code client: no secret, PKCE at the token endpoint)
   * identifies itself by client_id alone. Confidential clients (client credentials, Hybrid) must authenticate. Unknown
   * ids count against the same throttle as wrong secrets.
   */
  async publicClient(
    rawClientId: string,
    sourceAddress: string,
  ): Promise<Authenticated> {
    const clientId = rawClientId.toLowerCase();
    const key = ClientAuthThrottle.key(clientId, sourceAddress);
    const now = this.now();
    if (this.throttle.isBlocked(key, now)) return throttled({ ok: false, error: invalidClient(false) });
    const client = isClientIdFormat(clientId) ? await this.clients.get(clientId) : null;
    if (!client || !client.enabled || client.clientType !== 'authorization_code') {
      this.failed(key, clientId, sourceAddress, now, !client ? 'unknown_client' : !client.enabled ? 'disabled_client' : 'not_public_client');
      return { ok: false, error: invalidClient(false) };
    }
    return { ok: true, client };
  }

}
