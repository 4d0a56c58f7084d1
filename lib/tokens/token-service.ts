import { randomUUID, timingSafeEqual } from 'node:crypto';
import type { DbHandle } from '../db';
import { auditEvents } from '../db/schema';
import { hashSecretBytes, isWellFormedSecret } from '../secrets/secret';
import { tokenSettingsFromEnv, type TokenSettings } from './config';
import { batchedClientLoader, ClientStore, isClientIdFormat, type AuthClient } from './client-store';
import { ALL_CLIENTS, CLIENT_CHANGED_CHANNEL, KEYS_CHANGED_CHANNEL, onLocalChange } from './invalidation';
import { KeyStore } from './key-store';
import { LastUsedRecorder } from './last-used';
import { UsageRecorder, type CredentialRef } from '../usage/recorder';
import { ClientAuthThrottle } from './throttle';
import { verifyAccessToken, verifyAccessTokenAsync } from './jwt';
import { VerifiedTokenCache } from './verified-tokens';
import { tokenStats } from './stats';
import { metrics } from '../metrics';
import {
  ASSERTION_SIGNING_ALGS,
  decodeAssertion,
  deleteExpiredJtis,
  JWT_BEARER_ASSERTION,
  batchedJtiRecorder,
  verifyAssertion,
} from './client-assertion';
import {
  deleteExpiredRevocations,
  isRevoked,
  parseRevocationPayload,
  revocationPayload,
  RevokedTokens,
  storeRevocation,
  TOKEN_REVOKED_CHANNEL,
} from './revocation';
import { apiScope, resolveResource } from './resource';
import { NBF_LEEWAY_SECONDS } from './compact-jws';
import { decodeFederatedToken } from '../federation/evaluate';
import { verifyFederated } from './federated-assertion';
import { FederatedFailureRecorder } from './federated-failures';
import {
  boundJkt,
  confirmDpopProof,
  DPOP_SIGNING_ALGS,
  dpopNonces,
  prepareDpopProof,
  verifyDpopSignature,
  type DpopFailure,
  type PreparedDpop,
} from './dpop';

export type { OAuthError, OAuthErrorCode } from './oauth-error';
import type { OAuthError } from './oauth-error';

/** A DPoP refusal (lib/tokens/dpop.ts) as the token endpoint answers it. */
export function dpopError(failure: DpopFailure): OAuthError {
  return { error: failure.error, description: failure.description, ...(failure.nonce ? { dpopNonce: failure.nonce } : {}) };
}

/** A client with Require DPoP asked for a token without a proof. */
export const DPOP_REQUIRED: OAuthError = {
  error: 'invalid_dpop_proof',
  description: 'This client requires DPoP: send a DPoP proof (RFC 9449) in the DPoP header.',
};

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

/**
 * `dpopNonce`: a DPoP-Nonce header for a successful answer (when nonces are required, the one to use next).
 * `credential`: what the client authenticated with (for the tokens-issued metric, without decoding an assertion again).
 */
export type TokenResult =
  | {
      ok: true;
      body: { access_token: string; token_type: 'Bearer' | 'DPoP'; expires_in: number; scope?: string };
      dpopNonce?: string;
      credential?: CredentialRef['kind'];
    }
  | { ok: false; error: OAuthError };

export type IntrospectionResult = { ok: true; body: Record<string, unknown> } | { ok: false; error: OAuthError };

/** Paths under the issuer; the discovery document advertises them. */
export const PATHS = {
  discovery: '/.well-known/openid-configuration',
  jwks: '/.well-known/openid-configuration/jwks',
  token: '/connect/token',
  introspection: '/connect/introspect',
  revocation: '/connect/revocation',
} as const;

/** How often expired jtis, revocations, authorization codes and refresh tokens are deleted. */
const CLEANUP_INTERVAL_MS = 60_000;

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

/**
 * What the layer above (lib/oidc: user sign-in, refresh tokens) adds to the token service, so that lib/tokens never
 * imports it: the revocation endpoint's refresh tokens, and its expired rows in the periodic cleanup.
 */
export type TokenServiceExtension = {
  refreshTokens?: {
    /** Whether `token` has the shape of a refresh token (then it is never taken for an access token). */
    recognizes(token: string): boolean;
    /** Revoke the token's family when it is `clientId`'s: the family id, or null (unknown, or another client's). */
    revoke(token: string, clientId: string, nowMs: number): Promise<string | null>;
  };
  /** Delete expired rows (run with the service's own cleanup, every CLEANUP_INTERVAL_MS). */
  cleanup?: () => Promise<unknown>;
};

export type TokenServiceOptions = Partial<TokenSettings> & {
  now?: () => number;
  /** Tests: count or slow down client loads. */
  loadClient?: (clientId: string) => Promise<AuthClient | null>;
};

/**
 * The token service, free of HTTP: client authentication, token issuance, introspection, discovery and JWKS.
 * Everything a token request needs is in memory (clients, keys); the database is read on a cache miss and written
 * only for coalesced "last used" stamps and throttle audit events.
 */
export class TokenService {
  readonly settings: TokenSettings;
  readonly keys: KeyStore;
  readonly clients: ClientStore;
  readonly throttle: ClientAuthThrottle;
  readonly lastUsed: LastUsedRecorder;
  /** Per-client usage counts for the Usage tab (lib/usage/recorder.ts), written in batches like lastUsed. */
  readonly usage: UsageRecorder;
  readonly keyLastUsed: LastUsedRecorder;
  /** Federated credentials: "last used" stamps, and why tokens were refused (lib/tokens/federated-failures.ts). */
  readonly federatedLastUsed: LastUsedRecorder;
  readonly federatedFailures: FederatedFailureRecorder;
  readonly revoked = new RevokedTokens();
  /** Introspection: tokens whose signature already verified (lib/tokens/verified-tokens.ts). */
  readonly verified: VerifiedTokenCache;
  private cleanupTimer: NodeJS.Timeout | null = null;
  private readonly now: () => number;
  private stopped = false;
  private stopLocal: () => void = () => {};
  private stopGap: () => void = () => {};
  /** Assertion jtis go to the database batched per event-loop turn (one INSERT for many requests). */
  private readonly recordJti: ReturnType<typeof batchedJtiRecorder>;
  /** What lib/oidc added (extend()). */
  private refreshTokens: TokenServiceExtension['refreshTokens'] = undefined;
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  constructor(
    private readonly handle: DbHandle,
    options: TokenServiceOptions = {},
  ) {
    const { now, loadClient, ...overrides } = options;
    this.settings = { ...tokenSettingsFromEnv(), ...overrides };
    this.now = now ?? Date.now;
    this.verified = new VerifiedTokenCache(10_000, this.now);
    this.keys = new KeyStore(handle.db, this.settings.signingAlg, this.settings.keyCacheTtlMs, this.now);
    this.clients = new ClientStore(
      loadClient ?? batchedClientLoader(handle.db),
      handle.listening() ? this.settings.clientCacheTtlMs : this.settings.clientCacheDegradedTtlMs,
      100_000,
      this.now,
    );
    this.throttle = new ClientAuthThrottle({
      maxFailures: this.settings.throttleMaxFailures,
      windowMs: this.settings.throttleWindowMs,
      blockMs: this.settings.throttleBlockMs,
    });
    this.recordJti = batchedJtiRecorder(handle.db, { onBatch: tokenStats ? () => tokenStats?.count('jti batches') : undefined });
    this.lastUsed = new LastUsedRecorder(handle.db);
    this.usage = new UsageRecorder(handle.db);
    this.keyLastUsed = new LastUsedRecorder(handle.db, 'client_keys');
    this.federatedLastUsed = new LastUsedRecorder(handle.db, 'client_federated_credentials');
    this.federatedFailures = new FederatedFailureRecorder(handle.db);
  }

  async start() {
    await this.keys.init();
    const onChange = (channel: string, payload: string) => {
      if (this.stopped) return;
      if (channel === CLIENT_CHANGED_CHANNEL) {
        if (payload === ALL_CLIENTS) this.clients.invalidateAll();
        else this.clients.invalidate(payload.toLowerCase());
      } else if (channel === KEYS_CHANGED_CHANNEL) {
        this.keys.reload().catch((err) => console.error('[tokens] reloading signing keys failed:', (err as Error).message));
      }
    };
    this.stopLocal = onLocalChange(onChange);
    // The LISTEN connection failed or came back: whatever changed meanwhile was not announced, so nothing cached is
    // trusted. While it is down the short TTL applies, so a change made elsewhere still lands within a second.
    this.stopGap = this.handle.onListenGap((state) => {
      if (this.stopped) return;
      this.clients.setTtl(state === 'lost' ? this.settings.clientCacheDegradedTtlMs : this.settings.clientCacheTtlMs);
      this.clients.invalidateAll();
      if (state === 'lost') this.revoked.markIncomplete();
      else this.reloadRevocations();
      this.keys.reload().catch((err) => console.error('[tokens] reloading signing keys failed:', (err as Error).message));
    });
    await this.handle.listen(CLIENT_CHANGED_CHANNEL, (payload) => onChange(CLIENT_CHANGED_CHANNEL, payload));
    await this.handle.listen(KEYS_CHANGED_CHANNEL, (payload) => onChange(KEYS_CHANGED_CHANNEL, payload));
    await this.handle.listen(TOKEN_REVOKED_CHANNEL, (payload) => {
      const r = parseRevocationPayload(payload);
      if (r && !this.stopped) this.revoked.add(r.jti, r.expMs);
    });
    await this.revoked.reload(this.handle.db, () => this.handle.listening());
    this.lastUsed.start(this.settings.lastUsedFlushMs);
    this.usage.start(this.settings.lastUsedFlushMs);
    this.keyLastUsed.start(this.settings.lastUsedFlushMs);
    this.federatedLastUsed.start(this.settings.lastUsedFlushMs);
    this.federatedFailures.start(this.settings.lastUsedFlushMs);
    this.cleanupTimer = setInterval(() => {
      this.cleanup().catch((err) => console.error('[tokens] deleting expired rows failed:', (err as Error).message));
    }, CLEANUP_INTERVAL_MS);
    this.cleanupTimer.unref();
  }

  /** Add what a layer above provides (lib/oidc/http.ts: refresh tokens and their cleanup). */
  extend(extension: TokenServiceExtension) {
    if (extension.refreshTokens) this.refreshTokens = extension.refreshTokens;
    if (extension.cleanup) this.cleanups.push(extension.cleanup);
  }

  private reloadRevocations() {
    this.revoked
      .reload(this.handle.db, () => this.handle.listening() && !this.stopped)
      .catch((err) => console.error('[tokens] reading revoked tokens failed:', (err as Error).message));
  }

  /**
   * What the cleanup timer runs every CLEANUP_INTERVAL_MS: expired assertion jtis and revocations, and what extend()
   * added (lib/oidc: expired authorization codes and refresh tokens; its grant-store.ts says which are kept a while).
   */
  async cleanup() {
    this.revoked.prune(this.now());
    const db = this.handle.db;
    await Promise.all([deleteExpiredJtis(db), deleteExpiredRevocations(db), ...this.cleanups.map((cleanup) => cleanup())]);
  }

  /** Stop timers and write the pending "last used" stamps. */
  async stop() {
    this.stopped = true;
    this.stopLocal();
    this.stopGap();
    this.lastUsed.stop();
    this.usage.stop();
    this.keyLastUsed.stop();
    this.federatedLastUsed.stop();
    this.federatedFailures.stop();
    if (this.cleanupTimer) clearInterval(this.cleanupTimer);
    this.cleanupTimer = null;
    await Promise.all([this.usage.flush(), this.lastUsed.flush(), this.keyLastUsed.flush(), this.federatedLastUsed.flush(), this.federatedFailures.flush()]);
  }

  /** `{AUTH_URL}/identity` when configured, else `{origin of the request}/identity`. */
  issuer(requestOrigin: string): string {
    return `${this.settings.publicUrl ?? requestOrigin}/identity`;
  }

  audience(issuer: string): string {
    return this.settings.audience ?? `${issuer}/resources`;
  }

  discovery(issuer: string) {
    const authMethods = ['client_secret_basic', 'client_secret_post', 'private_key_jwt'];
    const assertionAlgs = [...ASSERTION_SIGNING_ALGS];
    return {
      issuer,
      jwks_uri: issuer + PATHS.jwks,
      token_endpoint: issuer + PATHS.token,
      introspection_endpoint: issuer + PATHS.introspection,
      revocation_endpoint: issuer + PATHS.revocation,
      grant_types_supported: ['client_credentials'],
      token_endpoint_auth_methods_supported: authMethods,
      token_endpoint_auth_signing_alg_values_supported: assertionAlgs,
      introspection_endpoint_auth_methods_supported: authMethods,
      introspection_endpoint_auth_signing_alg_values_supported: assertionAlgs,
      revocation_endpoint_auth_methods_supported: authMethods,
      revocation_endpoint_auth_signing_alg_values_supported: assertionAlgs,
      scopes_supported: this.settings.scopes,
      // Access tokens (RFC 9068 JWTs) and ID tokens (lib/oidc) are signed with this algorithm.
      id_token_signing_alg_values_supported: [this.settings.signingAlg],
      access_token_signing_alg_values_supported: [this.settings.signingAlg],
      // DPoP (RFC 9449 section 5.1): the algorithms a proof may be signed with.
      dpop_signing_alg_values_supported: [...DPOP_SIGNING_ALGS],
      claims_supported: ['iss', 'sub', 'aud', 'exp', 'nbf', 'iat', 'jti', 'client_id', 'tenant_id', 'role', 'role_ids', 'scope', 'cnf'],
    };
  }

  jwksJson(): string {
    return this.keys.jwksJson();
  }

  /**
   * Client authentication with the same work for every kind of refusal: the hash of the presented secret is compared
   * against COMPARED_SLOTS stored hashes (padding with a dummy), and only then are enabled/expiry looked at.
   * A malformed secret or client id is refused before any database work; a throttled pair before any comparison.
   */
  async authenticate(
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
  async authenticateAssertion<P = never>(
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
  async authenticateFederated<P = never>(
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

  /** Whichever client authentication the request presents; the OAuth error to answer otherwise. */
  private async authenticateRequest<P = never>(
    form: Map<string, string>,
    basic: BasicCredentials,
    sourceAddress: string,
    issuer: string,
    endpoint: string,
    alongsideReplayCheck?: (client: AuthClient) => Promise<P>,
  ): Promise<{ ok: true; client: AuthClient; prepared?: P; credential?: CredentialRef } | { ok: false; error: OAuthError }> {
    const presented = presentedAuth(form, basic);
    if (!presented.ok) return presented;
    const { auth } = presented;
    if (auth.kind === 'none') {
      metrics.clientAuthFailures.inc({ reason: 'missing_credentials' });
      return { ok: false, error: invalidClient(true) };
    }
    if (auth.kind === 'secret') {
      const result = await this.authenticate(auth.credentials, sourceAddress);
      return result ? { ok: true, client: result.client, credential: { kind: 'secret', id: result.secretId } } : { ok: false, error: invalidClient(auth.credentials.viaHeader) };
    }
    // A platform token (iss is its issuer, not the client) with client_id: a federated credential. Decoded once here;
    // an assertion the client signed itself (iss = sub = its id) is private_key_jwt.
    const platform = auth.clientId !== undefined ? decodeFederatedToken(auth.assertion) : null;
    if (platform && (!platform.ok || !isOwnAssertion(platform.token.claims))) {
      const federated = await this.authenticateFederated(auth.assertion, auth.clientId!, sourceAddress, alongsideReplayCheck, platform);
      return federated
        ? { ok: true, client: federated.client, prepared: federated.prepared, credential: { kind: 'federated', id: federated.credentialId } }
        : { ok: false, error: invalidClient(false) };
    }
    const audiences = [issuer, issuer + PATHS.token, issuer + endpoint];
    const result = await this.authenticateAssertion(auth.assertion, auth.clientId, sourceAddress, audiences, alongsideReplayCheck);
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
    await this.handle.db.insert(auditEvents).values({
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
   * DPoP at the token endpoint (RFC 9449 section 5): the DPoP header's proof with every check but the signature done
   * (htm POST, htu the token endpoint), null when there is none, or the refusal to answer.
   */
  prepareDpop(header: string | string[] | undefined, issuer: string): { ok: true; proof: PreparedDpop | null } | { ok: false; error: OAuthError } {
    if (header === undefined) return { ok: true, proof: null };
    const prepared = prepareDpopProof(header, { htm: 'POST', htu: issuer + PATHS.token }, this.dpopSettings());
    return prepared.ok ? prepared : { ok: false, error: dpopError(prepared.failure) };
  }

  /**
   * The proof's signature (`verifying`: the check started earlier with verifyDpopSignature), then its jti (once, on
   * every instance): null when the proof is good. Called only for an authenticated client, so a refused request
   * records nothing.
   */
  async confirmDpop(proof: PreparedDpop, verifying?: Promise<boolean>): Promise<OAuthError | null> {
    const failure = await confirmDpopProof(proof, this.recordJti, this.now(), verifying);
    return failure ? dpopError(failure) : null;
  }

  /** The proof's signature check, started at once so it runs while the client is authenticated and the token signed. */
  verifyDpop(proof: PreparedDpop | null): Promise<boolean> | undefined {
    if (!proof) return undefined;
    const verifyAt = tokenStats ? performance.now() : 0;
    const verifying = verifyDpopSignature(proof);
    if (tokenStats) void verifying.then(() => tokenStats?.record('verify', verifyAt));
    return verifying;
  }

  /** With nonces required, a successful DPoP answer names the nonce to use next (RFC 9449 8.2). */
  dpopSuccessNonce(proof: PreparedDpop | null): string | undefined {
    return proof && this.settings.dpopRequireNonce ? dpopNonces().current(this.now()) : undefined;
  }

  /** A DPoP proof's jti at a resource server of this process (userinfo): the same replay store, batched. */
  recordDpopJti(replayKey: string, jti: string, expSeconds: number): Promise<boolean> {
    return this.recordJti(replayKey, jti, expSeconds);
  }

  dpopSettings() {
    return { requireNonce: this.settings.dpopRequireNonce, nonces: dpopNonces(), nowMs: this.now() };
  }

  /**
   * POST /connect/token (RFC 6749 4.4 client credentials grant). `dpopHeader`: the DPoP header; with a valid proof the
   * token is bound to its key (cnf.jkt, token_type DPoP). The proof's signature is verified while the client is
   * authenticated and the token signed; the token is handed out only when both passed.
   */
  async token(
    form: Map<string, string>,
    basic: BasicCredentials,
    sourceAddress: string,
    issuer: string,
    dpopHeader?: string | string[],
  ): Promise<TokenResult> {
    const grantType = form.get('grant_type');
    if (grantType === undefined) {
      return { ok: false, error: { error: 'invalid_request', description: 'The grant_type parameter is missing.' } };
    }
    const presented = presentedAuth(form, basic);
    if (!presented.ok) return presented;
    if (grantType !== 'client_credentials') {
      return {
        ok: false,
        error: { error: 'unsupported_grant_type', description: 'Only the client_credentials grant is supported.' },
      };
    }
    const dpop = this.prepareDpop(dpopHeader, issuer);
    if (!dpop.ok) return dpop;
    const proof = dpop.proof;
    const verifying = this.verifyDpop(proof);
    // private_key_jwt: the token is built and signed while the assertion's jti is recorded (a database round trip),
    // and answered only once that says the jti is fresh.
    const auth = await this.authenticateRequest(form, basic, sourceAddress, issuer, PATHS.token, (client) =>
      this.issue(client, form, issuer, proof),
    );
    if (!auth.ok) return auth;
    if (auth.client.requireDpop && !proof) return { ok: false, error: DPOP_REQUIRED };
    // DPoP: the token is signed while the proof is confirmed (its signature check started above, so both go to the
    // crypto worker in the same batch; then its jti), and handed out only once the proof passed; otherwise dropped.
    const issuing = auth.prepared ? Promise.resolve(auth.prepared) : this.issue(auth.client, form, issuer, proof);
    if (proof) {
      issuing.catch(() => {}); // awaited below when the proof passed; a refusal must not leave it unhandled
      const refused = await this.confirmDpop(proof, verifying);
      if (refused) return { ok: false, error: refused };
    }
    const result = await issuing;
    if (!result.ok) return result;
    this.usage.issued(auth.client.id, auth.credential, sourceAddress, this.now());
    const nonce = this.dpopSuccessNonce(proof);
    return { ...result, ...(nonce ? { dpopNonce: nonce } : {}), ...(auth.credential ? { credential: auth.credential.kind } : {}) };
  }

  /** The client_credentials grant for an authenticated client: its type, the scope asked for, the signed token. */
  private async issue(client: AuthClient, form: Map<string, string>, issuer: string, proof: PreparedDpop | null = null): Promise<TokenResult> {
    if (client.clientType !== 'client_credentials') {
      return {
        ok: false,
        error: { error: 'unauthorized_client', description: 'This client may not use the client_credentials grant.' },
      };
    }
    let scope: string | undefined;
    let aud = this.audience(issuer);
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
      const unknown = values.find((v) => !this.settings.scopes.includes(v));
      if (unknown !== undefined || values.length === 0) {
        return {
          ok: false,
          error: { error: 'invalid_scope', description: `The requested scope is not available. Available: ${this.settings.scopes.join(' ') || 'none'}.` },
        };
      }
      scope = values.join(' ');
    }
    const iat = Math.floor(this.now() / 1000);
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
    const accessToken = await this.keys.signer().sign(claims);
    tokenStats?.record('sign', signAt);
    return {
      ok: true,
      body: { access_token: accessToken, token_type: proof ? 'DPoP' : 'Bearer', expires_in: client.tokenLifetime, ...(scope ? { scope } : {}) },
    };
  }

  /**
   * POST /connect/introspect (RFC 7662), for a client of the token's tenant. Active only while the signature verifies
   * against a published key, the token is within nbf..exp, and its client still exists and is enabled.
   */
  async introspect(
    form: Map<string, string>,
    basic: BasicCredentials,
    sourceAddress: string,
    issuer: string,
  ): Promise<IntrospectionResult> {
    const presented = presentedAuth(form, basic);
    if (!presented.ok) return presented;
    if (presented.auth.kind === 'none') return { ok: false, error: invalidClient(true) };
    const token = form.get('token');
    if (token === undefined) {
      return { ok: false, error: { error: 'invalid_request', description: 'The token parameter is missing.' } };
    }
    const caller = await this.authenticateRequest(form, basic, sourceAddress, issuer, PATHS.introspection);
    if (!caller.ok) return caller;
    const inactive: IntrospectionResult = { ok: true, body: { active: false } };
    const verifyAt = tokenStats ? performance.now() : 0;
    const claims = await verifyAccessTokenAsync(token, (kid) => this.keys.verificationKey(kid), this.verified);
    tokenStats?.record('verify', verifyAt);
    if (!claims) return inactive;
    const now = Math.floor(this.now() / 1000);
    const { exp, nbf, tenant_id: tenantId, client_id: clientId } = claims;
    if (typeof exp !== 'number' || exp <= now) return inactive;
    if (typeof nbf === 'number' && nbf > now + NBF_LEEWAY_SECONDS) return inactive;
    if (tenantId !== caller.client.tenantId || typeof clientId !== 'string' || !isClientIdFormat(clientId)) return inactive;
    const owner = await this.clients.get(clientId.toLowerCase());
    if (!owner || !owner.enabled || owner.tenantId !== tenantId) return inactive;
    if (typeof claims.jti === 'string' && (this.revoked.has(claims.jti, this.now()) || (!this.revoked.complete && (await isRevoked(this.handle.db, claims.jti))))) {
      return inactive;
    }
    // RFC 9449 section 6.2: a bound token's cnf (a claim of the token) tells the resource server which key to expect.
    return { ok: true, body: { active: true, token_type: boundJkt(claims) ? 'DPoP' : 'Bearer', ...claims } };
  }

  /**
   * POST /connect/revocation (RFC 7009): a client revokes an access token or a refresh token issued to it (a refresh
   * token: its whole family, every token rotation has issued from the same sign-in). The answer is 200 whether or not
   * the token was valid, known or the caller's (2.2: the client cannot do anything about it either way), so it tells
   * nothing about other clients' tokens; only the caller's own tokens are revoked. token_type_hint is accepted and not
   * needed: our refresh tokens (tsrt_...) and access tokens (JWTs) cannot be mistaken for each other (2.1: the server
   * looks the token up either way). Client authentication as at the token endpoint, and (2.1) a public Authorization
   * Code client by its client_id alone.
   */
  async revoke(form: Map<string, string>, basic: BasicCredentials, sourceAddress: string, issuer: string): Promise<IntrospectionResult> {
    const presented = presentedAuth(form, basic);
    if (!presented.ok) return presented;
    const publicClientId = presented.auth.kind === 'none' ? form.get('client_id') : undefined;
    if (presented.auth.kind === 'none' && publicClientId === undefined) return { ok: false, error: invalidClient(true) };
    const token = form.get('token');
    if (token === undefined) {
      return { ok: false, error: { error: 'invalid_request', description: 'The token parameter is missing.' } };
    }
    const caller =
      publicClientId !== undefined
        ? await this.authenticatePublicClient(publicClientId, sourceAddress)
        : await this.authenticateRequest(form, basic, sourceAddress, issuer, PATHS.revocation);
    if (!caller.ok) return caller;
    const done: IntrospectionResult = { ok: true, body: {} };
    if (this.refreshTokens?.recognizes(token)) {
      const familyId = await this.refreshTokens.revoke(token, caller.client.id, this.now());
      if (familyId) await this.auditRevoked(caller.client, { tokenType: 'refresh_token', familyId });
      return done;
    }
    const claims = verifyAccessToken(token, (kid) => this.keys.verificationKey(kid));
    if (!claims) return done;
    const { exp, jti, client_id: clientId, tenant_id: tenantId } = claims;
    if (typeof exp !== 'number' || exp * 1000 <= this.now() || typeof jti !== 'string' || typeof clientId !== 'string') return done;
    if (clientId.toLowerCase() !== caller.client.id || tenantId !== caller.client.tenantId) return done;
    await storeRevocation(this.handle.db, { jti, tenantId: caller.client.tenantId, clientId: caller.client.id, expSeconds: exp });
    this.revoked.add(jti, exp * 1000);
    try {
      await this.handle.notify(TOKEN_REVOKED_CHANNEL, revocationPayload(jti, exp));
    } catch (err) {
      // Stored: the database check of introspection and the API refuses it on every instance regardless.
      console.error('[tokens] revocation notification failed:', (err as Error).message);
    }
    await this.auditRevoked(caller.client, { tokenType: 'access_token', jti });
    return done;
  }

  /**
   * RFC 7009 2.1: a public client (an enabled Authorization Code client: no secret, PKCE at the token endpoint)
   * identifies itself by client_id alone. Confidential clients (client credentials, Hybrid) must authenticate. Unknown
   * ids count against the same throttle as wrong secrets.
   */
  private async authenticatePublicClient(
    rawClientId: string,
    sourceAddress: string,
  ): Promise<{ ok: true; client: AuthClient } | { ok: false; error: OAuthError }> {
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

  private async auditRevoked(
    client: AuthClient,
    token: { tokenType: 'access_token'; jti: string } | { tokenType: 'refresh_token'; familyId: string },
  ) {
    const details =
      token.tokenType === 'access_token'
        ? { jti: token.jti, via: 'revocation_endpoint' }
        : { tokenType: 'refresh_token', familyId: token.familyId, via: 'revocation_endpoint' };
    await this.handle.db.insert(auditEvents).values({
      tenantId: client.tenantId,
      actor: `client:${client.id}`,
      actorType: 'client',
      action: 'token.revoked',
      targetType: 'client',
      targetId: client.id,
      details,
    });
  }
}

/** Build and start the service (first start creates a signing key). */
export async function createTokenService(handle: DbHandle, options?: TokenServiceOptions): Promise<TokenService> {
  const service = new TokenService(handle, options);
  await service.start();
  return service;
}
