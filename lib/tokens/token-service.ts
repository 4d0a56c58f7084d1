import type { DbHandle } from '../db';
import { tokenSettingsFromEnv, type TokenSettings } from './config';
import { batchedClientLoader, ClientStore, type AuthClient } from './client-store';
import { ALL_CLIENTS, CLIENT_CHANGED_CHANNEL, KEYS_CHANGED_CHANNEL, onLocalChange } from './invalidation';
import { KeyStore } from './key-store';
import { LastUsedRecorder } from './last-used';
import { UsageRecorder } from './usage-recorder';
import { ClientAuthThrottle } from './throttle';
import { VerifiedTokenCache } from './verified-tokens';
import { tokenStats } from './stats';
import { ASSERTION_SIGNING_ALGS, deleteExpiredJtis, batchedJtiRecorder } from './client-assertion';
import { deleteExpiredRevocations, parseRevocationPayload, RevokedTokens, TOKEN_REVOKED_CHANNEL } from './revocation';
import { FederatedFailureRecorder } from './federated-failures';
import { ClientAuthenticator } from './client-auth';
import { PATHS } from './paths';
import {
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

export type IntrospectionResult = { ok: true; body: Record<string, unknown> } | { ok: false; error: OAuthError };

/** How often expired jtis, revocations, authorization codes and refresh tokens are deleted. */
const CLEANUP_INTERVAL_MS = 60_000;

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
 * The token service, free of HTTP: what every identity endpoint shares. Its stores (clients, signing keys, revoked
 * tokens, verified tokens) kept current over LISTEN/NOTIFY, client authentication (`auth`, lib/tokens/client-auth.ts),
 * DPoP proof checks, the recorders that write "last used" stamps and usage counts in batches, the periodic cleanup,
 * discovery and JWKS. The endpoints are functions over it: the client_credentials grant
 * (lib/tokens/grants/client-credentials.ts), introspection (introspect.ts), revocation (revoke.ts); lib/oidc adds the
 * user grants. Everything a token request needs is in memory; the database is read on a cache miss and written only
 * for coalesced stamps, jtis and throttle audit events.
 */
export class TokenService {
  readonly settings: TokenSettings;
  readonly keys: KeyStore;
  readonly clients: ClientStore;
  readonly throttle: ClientAuthThrottle;
  readonly lastUsed: LastUsedRecorder;
  /** Per-client usage counts for the Usage tab (lib/tokens/usage-recorder.ts), written in batches like lastUsed. */
  readonly usage: UsageRecorder;
  readonly keyLastUsed: LastUsedRecorder;
  /** Federated credentials: "last used" stamps, and why tokens were refused (lib/tokens/federated-failures.ts). */
  readonly federatedLastUsed: LastUsedRecorder;
  readonly federatedFailures: FederatedFailureRecorder;
  readonly revoked = new RevokedTokens();
  /** Introspection: tokens whose signature already verified (lib/tokens/verified-tokens.ts). */
  readonly verified: VerifiedTokenCache;
  /** Client authentication: secrets, private_key_jwt, federated credentials, public clients. */
  readonly auth: ClientAuthenticator;
  readonly now: () => number;
  private cleanupTimer: NodeJS.Timeout | null = null;
  private stopped = false;
  private stopLocal: () => void = () => {};
  private stopGap: () => void = () => {};
  /** Assertion jtis go to the database batched per event-loop turn (one INSERT for many requests). */
  private readonly recordJti: ReturnType<typeof batchedJtiRecorder>;
  /** What lib/oidc added (extend()): refresh tokens at the revocation endpoint (lib/tokens/revoke.ts). */
  refreshTokens: TokenServiceExtension['refreshTokens'] = undefined;
  private readonly cleanups: (() => Promise<unknown>)[] = [];

  constructor(
    readonly handle: DbHandle,
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
    this.auth = new ClientAuthenticator({
      db: handle.db,
      settings: this.settings,
      clients: this.clients,
      throttle: this.throttle,
      usage: this.usage,
      lastUsed: this.lastUsed,
      keyLastUsed: this.keyLastUsed,
      federatedLastUsed: this.federatedLastUsed,
      federatedFailures: this.federatedFailures,
      recordJti: this.recordJti,
      now: this.now,
    });
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

}

/** Build and start the service (first start creates a signing key). */
export async function createTokenService(handle: DbHandle, options?: TokenServiceOptions): Promise<TokenService> {
  const service = new TokenService(handle, options);
  await service.start();
  return service;
}
