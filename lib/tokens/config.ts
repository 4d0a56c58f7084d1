import type { KeyObject } from 'node:crypto';
/**
 * Token service settings, read once from the environment at start. Tests pass their own values.
 * Every variable is optional; the defaults are what production should use.
 */
export type SigningAlg = 'ES256' | 'RS256';
/** A public key that verifies our access tokens, with the alg it is published for. */
export type VerificationKey = { alg: SigningAlg; publicKey: KeyObject };
export const SIGNING_ALGS: readonly SigningAlg[] = ['ES256', 'RS256'];

export type TokenSettings = {
  /** TOKEN_SIGNING_ALG: ES256 (default) or RS256 for resource servers that only know RSA. */
  signingAlg: SigningAlg;
  /** TOKEN_AUDIENCE: the `aud` of every access token. Unset: `{issuer}/resources`. */
  audience: string | null;
  /** AUTH_URL: the public base URL; the issuer is `{AUTH_URL}/identity`. Unset: derived from the request's Host. */
  publicUrl: string | null;
  /** TRUST_PROXY=1: take the client address and public origin from X-Forwarded-For / -Proto / -Host. */
  trustProxy: boolean;
  /** TOKEN_SCOPES: the scope values a client may request (space separated, default "api"); any other is invalid_scope. */
  scopes: string[];
  /** KEY_PUBLISH_DELAY_SECONDS: how long `keys:rotate` publishes a new key in the JWKS before signing with it. */
  keyPublishDelaySeconds: number;
  /**
   * CLIENT_CACHE_TTL_SECONDS (default 600): how long a cached client record is trusted without a change notification,
   * while the LISTEN connection is up. Every committed change reaches every instance over NOTIFY within milliseconds,
   * sent by the database's own triggers on commit (drizzle/0005), so no writer can forget it or die before sending
   * it; a lost connection is seen by the supervised listener (lib/db: heartbeat, reconnect), which drops every entry.
   * This TTL only bounds what nothing can see (a bug); a hot entry is refreshed in the background at half of it.
   */
  clientCacheTtlMs: number;
  /** While the LISTEN connection is down (notifications may be missed): the short TTL used instead. */
  clientCacheDegradedTtlMs: number;
  /** How often signing keys are re-read even without a change notification. */
  keyCacheTtlMs: number;
  /** How often coalesced "last used" stamps are written. */
  lastUsedFlushMs: number;
  /** CLIENT_AUTH_MAX_FAILURES failed authentications of one client id from one address within the window... */
  throttleMaxFailures: number;
  /** ...CLIENT_AUTH_WINDOW_SECONDS... */
  throttleWindowMs: number;
  /** ...refuse that pair, unchecked, for CLIENT_AUTH_BLOCK_SECONDS. */
  throttleBlockMs: number;
  /** Largest accepted request body; larger ones get 413. */
  maxBodyBytes: number;
  /**
   * DPOP_REQUIRE_NONCE=1: every DPoP proof (token endpoint, userinfo, REST API) must carry a server nonce (RFC 9449
   * section 8), answered with use_dpop_nonce and DPoP-Nonce otherwise. Off: a nonce is asked for only when a
   * proof's iat is not within a minute of our clock.
   */
  dpopRequireNonce: boolean;
};

/** The longest token lifetime a client can have (default and maximum 3600 s). A retired key stays published this long. */
export const MAX_TOKEN_LIFETIME_SECONDS = 3600;

function intFromEnv(value: string | undefined, fallback: number, name: string, min = 0): number {
  if (value === undefined || value.trim() === '') return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < min) throw new Error(`${name} must be a whole number >= ${min} (got "${value}").`);
  return n;
}

export function tokenSettingsFromEnv(env: Record<string, string | undefined> = process.env): TokenSettings {
  const alg = (env.TOKEN_SIGNING_ALG || 'ES256').trim().toUpperCase();
  if (!SIGNING_ALGS.includes(alg as SigningAlg)) {
    throw new Error(`TOKEN_SIGNING_ALG must be one of ${SIGNING_ALGS.join(', ')} (got "${env.TOKEN_SIGNING_ALG}").`);
  }
  const publicUrl = env.AUTH_URL?.trim() ? env.AUTH_URL.trim().replace(/\/+$/, '') : null;
  if (publicUrl && !/^https?:\/\/[^/?#]+(\/[^?#]*)?$/.test(publicUrl)) {
    throw new Error(`AUTH_URL must be an http(s) URL such as https://console.example.com (got "${env.AUTH_URL}").`);
  }
  const scopes = (env.TOKEN_SCOPES ?? 'api').split(/\s+/).filter(Boolean);
  return {
    signingAlg: alg as SigningAlg,
    audience: env.TOKEN_AUDIENCE?.trim() || null,
    publicUrl,
    trustProxy: env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true',
    scopes,
    keyPublishDelaySeconds: intFromEnv(env.KEY_PUBLISH_DELAY_SECONDS, 300, 'KEY_PUBLISH_DELAY_SECONDS'),
    clientCacheTtlMs: intFromEnv(env.CLIENT_CACHE_TTL_SECONDS, 600, 'CLIENT_CACHE_TTL_SECONDS', 1) * 1000,
    clientCacheDegradedTtlMs: 1000,
    keyCacheTtlMs: 60_000,
    lastUsedFlushMs: 5000,
    throttleMaxFailures: intFromEnv(env.CLIENT_AUTH_MAX_FAILURES, 10, 'CLIENT_AUTH_MAX_FAILURES', 1),
    throttleWindowMs: intFromEnv(env.CLIENT_AUTH_WINDOW_SECONDS, 600, 'CLIENT_AUTH_WINDOW_SECONDS', 1) * 1000,
    throttleBlockMs: intFromEnv(env.CLIENT_AUTH_BLOCK_SECONDS, 900, 'CLIENT_AUTH_BLOCK_SECONDS', 1) * 1000,
    maxBodyBytes: 8 * 1024,
    dpopRequireNonce: env.DPOP_REQUIRE_NONCE === '1' || env.DPOP_REQUIRE_NONCE === 'true',
  };
}
