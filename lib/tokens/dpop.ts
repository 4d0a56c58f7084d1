import { createHash, createHmac, createPublicKey, hkdfSync, randomBytes, timingSafeEqual, type JsonWebKey, type KeyObject } from 'node:crypto';
import { jwkThumbprint, KEY_ALGS, MIN_RSA_BITS } from '../keys/public-key';
import { PRIVATE_JWK_MEMBERS } from '../keys/key-text';
import { verifySignature } from './client-keys';
import { parseJsonObject, signatureOf, signingInputOf, splitCompactJws } from './compact-jws';

/**
 * DPoP (RFC 9449): a client proves, with every request, that it holds the private key a token is bound to. The proof
 * is a JWS in the `DPoP` header: typ dpop+jwt, an asymmetric alg, the public key in `jwk`; claims jti, htm, htu, iat,
 * and ath (the access token's hash) at a resource server, nonce when the server asks for one. A token issued with a
 * proof carries cnf.jkt, the RFC 7638 thumbprint of that key, and is useless without the private key.
 *
 * The checks that need no crypto run first (prepareDpopProof), so the token endpoint can sign the token while the
 * signature is verified and the jti is recorded. The signature is checked as client assertions are, on the crypto
 * worker (lib/tokens/crypto-worker.ts), with the proof's key imported once per key (a client signs every proof with
 * the same key): jose's verify (a WebCrypto key import and a thread-pool verify per proof) measured 0.39 x the
 * floor in bench:token, this path 0.9 x or better. jti values go to the same table as client
 * assertions' (client_assertion_jtis, lib/tokens/client-assertion.ts), so a proof replayed at another instance is
 * refused; they are kept per key (dpopReplayKey: a UUID derived from the thumbprint), as RFC 9449 11.1 suggests.
 */
export const DPOP_SIGNING_ALGS: readonly string[] = KEY_ALGS;
/** A proof without a server nonce is accepted this many seconds either side of our clock (else: use_dpop_nonce). */
export const DPOP_IAT_WINDOW_SECONDS = 60;
/** Server nonces change every step and are accepted for this step and the previous one (60 to 120 s). */
export const DPOP_NONCE_STEP_SECONDS = 60;
/**
 * How long a proof's jti is remembered: longer than any proof stays acceptable (iat within the window of our
 * clock, or a nonce of at most two steps); the replay store adds its own leeway.
 */
const JTI_REMEMBERED_SECONDS = Math.max(2 * DPOP_IAT_WINDOW_SECONDS, 2 * DPOP_NONCE_STEP_SECONDS);
const PROOF_MAX_LENGTH = 8192;
const JTI_MAX = 256;

export type DpopError = 'invalid_dpop_proof' | 'use_dpop_nonce';
/** `nonce`: the DPoP-Nonce header to send with the refusal (use_dpop_nonce, or a fresh one after a stale iat). */
export type DpopFailure = { error: DpopError; description: string; nonce?: string };

/** What the proof must match: the method and URL of this request, and at a resource server the access token. */
export type DpopTarget = { htm: string; htu: string; accessToken?: string };

/** A proof whose claims passed; its signature is checked by verifyDpopSignature, its jti recorded after that. */
export type PreparedDpop = {
  jkt: string;
  /** The replay store's key for the proof's key (dpopReplayKey(jkt)). */
  replayKey: string;
  jti: string;
  alg: string;
  /** The key the proof carries (only its RFC 7638 members), and what its signature covers. */
  jwk: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
};

const NONCES_KEY = '__tscDpopNonces';

/**
 * Stateless server nonces: HMAC-SHA-256 of the current time step under a key derived from AUTH_SECRET, so every
 * instance sharing AUTH_SECRET issues and accepts the same values without storing anything. One nonce per step,
 * computed once per step.
 */
export class DpopNonces {
  private cached: { step: number; value: string }[] = [];

  constructor(private readonly key: Buffer) {}

  private valueAt(step: number): string {
    const hit = this.cached.find((c) => c.step === step);
    if (hit) return hit.value;
    const step8 = Buffer.alloc(8);
    step8.writeBigUInt64BE(BigInt(step));
    const value = createHmac('sha256', this.key).update(step8).digest('base64url');
    this.cached = [{ step, value }, ...this.cached].slice(0, 3);
    return value;
  }

  current(nowMs: number): string {
    return this.valueAt(Math.floor(nowMs / 1000 / DPOP_NONCE_STEP_SECONDS));
  }

  check(nonce: string, nowMs: number): boolean {
    const step = Math.floor(nowMs / 1000 / DPOP_NONCE_STEP_SECONDS);
    const given = Buffer.from(nonce);
    return [step, step - 1].some((s) => {
      const expected = Buffer.from(this.valueAt(s));
      return expected.length === given.length && timingSafeEqual(expected, given);
    });
  }
}

/** The process's nonces (one per process: server.ts's graph and Next's share it through globalThis). */
export function dpopNonces(): DpopNonces {
  const g = globalThis as Record<string, unknown>;
  if (!g[NONCES_KEY]) {
    const secret = process.env.AUTH_SECRET;
    if (!secret) console.error('[tokens] AUTH_SECRET is not set: DPoP nonces of this instance are not accepted by others.');
    const ikm = secret ?? randomBytes(32).toString('base64url');
    g[NONCES_KEY] = new DpopNonces(Buffer.from(hkdfSync('sha256', ikm, 'tenant-security-console/dpop-nonce', 'hmac-sha256 v1', 32)));
  }
  return g[NONCES_KEY] as DpopNonces;
}

/** RFC 9449 4.3 step 9: htu compared without query and fragment, after URL normalization (case, default port, dots). */
export function normalizeHtu(value: string): string | null {
  if (value === lastHtu.value) return lastHtu.normalized;
  const normalized = parseHtu(value);
  lastHtu = { value, normalized };
  return normalized;
}
/**
 * The last htu normalized: the token endpoint's own URL, asked for by every request (and a client's proofs carry the
 * same htu each time), is parsed once instead of twice per request.
 */
let lastHtu: { value: string | null; normalized: string | null } = { value: null, normalized: null };

function parseHtu(value: string): string | null {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return null;
  url.search = '';
  url.hash = '';
  return url.href;
}

/** RFC 9449 section 4.2: ath = base64url(SHA-256(the ASCII access token)). */
export function accessTokenHash(accessToken: string): string {
  return createHash('sha256').update(accessToken).digest('base64url');
}

/**
 * The replay-store key of a DPoP key: a UUID (version 8) from SHA-256 of its thumbprint, so a proof's jti is
 * remembered per key in client_assertion_jtis, whose rows are keyed by a UUID.
 */
export function dpopReplayKey(jkt: string): string {
  const h = createHash('sha256').update(`dpop:${jkt}`).digest();
  h[6] = (h[6] & 0x0f) | 0x80;
  h[8] = (h[8] & 0x3f) | 0x80;
  const hex = h.subarray(0, 16).toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}


const invalid = (description: string): { ok: false; failure: DpopFailure } => ({
  ok: false,
  failure: { error: 'invalid_dpop_proof', description },
});

export type DpopSettings = { requireNonce: boolean; nonces: DpopNonces; nowMs: number };

/** What a proof's header says once checked: the same header text always says the same, so it is checked once. */
type CheckedHeader = { alg: string; key: { jwk: Record<string, string>; jkt: string; replayKey: string } | null };
const HEADER_CACHE_MAX = 10_000;
const HEADER_CACHE = '__tscDpopHeaders';

/**
 * The checks of a proof's header (typ, alg, no crit, a public EC, RSA or OKP jwk), its key's RFC 7638 members,
 * thumbprint and replay key (`key` null: the jwk lacks them, refused after the claims' checks); a refusal as a failure. A client signs every proof with one key, so its proofs share the
 * header text: a header that passed is kept (at most HEADER_CACHE_MAX, oldest dropped first) and not parsed again.
 */
function checkHeader(b64: string): CheckedHeader | { ok: false; failure: DpopFailure } {
  const cache = ((globalThis as Record<string, unknown>)[HEADER_CACHE] ??= new Map<string, CheckedHeader>()) as Map<string, CheckedHeader>;
  const hit = cache.get(b64);
  if (hit) return hit;
  const head = parseJsonObject(b64);
  if (!head) return invalid('The DPoP proof is not a JWT.');
  if (head.typ !== 'dpop+jwt') return invalid('The DPoP proof must have typ "dpop+jwt".');
  if (typeof head.alg !== 'string' || !DPOP_SIGNING_ALGS.includes(head.alg)) {
    return invalid(`The DPoP proof must be signed with one of ${DPOP_SIGNING_ALGS.join(', ')}.`);
  }
  if (head.crit !== undefined) return invalid('The DPoP proof has a crit header.');
  const jwk = head.jwk;
  if (!jwk || typeof jwk !== 'object' || Array.isArray(jwk)) return invalid('The DPoP proof must carry its public key in "jwk".');
  if (PRIVATE_JWK_MEMBERS.some((m) => m in jwk)) return invalid('The DPoP proof\'s "jwk" must be a public key: it holds private key members.');
  const kty = (jwk as Record<string, unknown>).kty;
  if (kty !== 'EC' && kty !== 'RSA' && kty !== 'OKP') return invalid('The DPoP proof\'s "jwk" must be an EC, RSA or OKP public key.');
  const members = keyMembers(jwk as Record<string, unknown>);
  const jkt = members ? jwkThumbprint(members) : null;
  const checked: CheckedHeader = { alg: head.alg, key: members && jkt ? { jwk: members, jkt, replayKey: dpopReplayKey(jkt) } : null };
  // Oldest first: Map iteration is insertion order.
  if (cache.size >= HEADER_CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(b64, checked);
  return checked;
}

/**
 * RFC 9449 4.3, every check but the signature: one header, compact JWS, typ dpop+jwt, an alg we list, a public `jwk`
 * (a private member is refused), jti, htm and htu of this request, iat within the window (or a valid nonce), nonce
 * when required, ath when an access token is presented. `header`: the DPoP header as received (several headers
 * joined by commas count as several, which is refused).
 */
export function prepareDpopProof(
  header: string | string[] | undefined,
  target: DpopTarget,
  settings: DpopSettings,
): { ok: true; proof: PreparedDpop } | { ok: false; failure: DpopFailure } {
  if (header === undefined) return invalid('The DPoP header is missing.');
  if (Array.isArray(header) || header.includes(',')) return invalid('Send exactly one DPoP header.');
  const proof = header.trim();
  if (proof.length === 0 || proof.length > PROOF_MAX_LENGTH) return invalid('The DPoP proof is not a JWT.');
  const jws = splitCompactJws(proof);
  if (!jws) return invalid('The DPoP proof is not a JWT.');
  const head = checkHeader(jws.header);
  const claims = parseJsonObject(jws.payload);
  if (!claims) return invalid('The DPoP proof is not a JWT.');
  if ('ok' in head) return head;
  const { jti, htm, htu, iat, nonce, ath } = claims;
  if (typeof jti !== 'string' || jti.length === 0 || jti.length > JTI_MAX) return invalid('The DPoP proof needs a jti.');
  if (htm !== target.htm) return invalid('The DPoP proof is for another HTTP method (htm).');
  if (typeof htu !== 'string' || normalizeHtu(htu) !== normalizeHtu(target.htu)) return invalid('The DPoP proof is for another URL (htu).');
  if (typeof iat !== 'number' || !Number.isFinite(iat)) return invalid('The DPoP proof needs an iat.');
  if (nonce !== undefined && typeof nonce !== 'string') return invalid('The DPoP proof\'s nonce must be a string.');
  const { nonces, nowMs, requireNonce } = settings;
  if (typeof nonce === 'string') {
    if (!nonces.check(nonce, nowMs)) {
      return { ok: false, failure: { error: 'use_dpop_nonce', description: 'The DPoP nonce is not valid (any more): use the one in DPoP-Nonce.', nonce: nonces.current(nowMs) } };
    }
  } else if (requireNonce) {
    return { ok: false, failure: { error: 'use_dpop_nonce', description: 'This server requires a nonce in the DPoP proof: use the one in DPoP-Nonce.', nonce: nonces.current(nowMs) } };
  } else if (Math.abs(nowMs / 1000 - iat) > DPOP_IAT_WINDOW_SECONDS) {
    // A clock far from ours (or an old proof): a nonce proves freshness instead (RFC 9449 section 8).
    return { ok: false, failure: { error: 'use_dpop_nonce', description: 'The DPoP proof\'s iat is not recent: use the nonce in DPoP-Nonce.', nonce: nonces.current(nowMs) } };
  }
  if (target.accessToken !== undefined) {
    if (typeof ath !== 'string' || ath !== accessTokenHash(target.accessToken)) return invalid('The DPoP proof\'s ath does not match the access token.');
  }
  const key = head.key;
  if (!key) return invalid('The DPoP proof\'s "jwk" is not a valid public key.');
  return {
    ok: true,
    proof: {
      jkt: key.jkt,
      replayKey: key.replayKey,
      jti,
      alg: head.alg,
      jwk: key.jwk,
      signingInput: signingInputOf(jws),
      signature: signatureOf(jws),
    },
  };
}

/** The RFC 7638 members of a public JWK (all strings), which alone make the key and its thumbprint; null otherwise. */
function keyMembers(jwk: Record<string, unknown>): Record<string, string> | null {
  const names = jwk.kty === 'RSA' ? ['e', 'kty', 'n'] : jwk.kty === 'EC' ? ['crv', 'kty', 'x', 'y'] : ['crv', 'kty', 'x'];
  const out: Record<string, string> = {};
  for (const name of names) {
    const v = jwk[name];
    if (typeof v !== 'string' || v.length === 0 || v.length > 2048) return null;
    out[name] = v;
  }
  return out;
}

const KEY_CACHE_MAX = 10_000;
const KEY_CACHE = '__tscDpopKeys';

/**
 * The proof's key as a KeyObject, imported once per thumbprint (the members that make the key are exactly those the
 * thumbprint covers, so a thumbprint names one key); null for a key that does not import or an RSA key under
 * MIN_RSA_BITS.
 */
function publicKeyOf(prepared: PreparedDpop): KeyObject | null {
  const g = globalThis as Record<string, unknown>;
  const cache = (g[KEY_CACHE] ??= new Map<string, KeyObject | null>()) as Map<string, KeyObject | null>;
  if (cache.has(prepared.jkt)) return cache.get(prepared.jkt)!;
  let key: KeyObject | null;
  try {
    key = createPublicKey({ key: prepared.jwk as JsonWebKey, format: 'jwk' });
    if (key.asymmetricKeyType === 'rsa' && (key.asymmetricKeyDetails?.modulusLength ?? 0) < MIN_RSA_BITS) key = null;
  } catch {
    key = null;
  }
  // Oldest first: Map iteration is insertion order.
  if (cache.size >= KEY_CACHE_MAX) cache.delete(cache.keys().next().value!);
  cache.set(prepared.jkt, key);
  return key;
}

/** The signature of a prepared proof with the key it carries, on the crypto worker. Never rejects. */
export async function verifyDpopSignature(prepared: PreparedDpop): Promise<boolean> {
  const key = publicKeyOf(prepared);
  return key ? verifySignature(prepared.alg, key, prepared.signingInput, prepared.signature) : false;
}

/**
 * Signature, then the jti (once per key, on every instance sharing the database). null when the proof is good;
 * `recordJti(replayKey, jti, expSeconds)` answers true the first time. `verified`: the signature check, when the
 * caller started it earlier (verifyDpopSignature), so it ran alongside other work.
 */
export async function confirmDpopProof(
  prepared: PreparedDpop,
  recordJti: (replayKey: string, jti: string, expSeconds: number) => Promise<boolean>,
  nowMs: number,
  verified: Promise<boolean> = verifyDpopSignature(prepared),
): Promise<DpopFailure | null> {
  if (!(await verified)) return { error: 'invalid_dpop_proof', description: 'The DPoP proof\'s signature does not verify with its jwk.' };
  const fresh = await recordJti(prepared.replayKey, prepared.jti, Math.floor(nowMs / 1000) + JTI_REMEMBERED_SECONDS);
  return fresh ? null : { error: 'invalid_dpop_proof', description: 'The DPoP proof was already used (its jti was presented before).' };
}

/** The thumbprint a token is bound to (cnf.jkt), or null for a bearer token. */
export function boundJkt(claims: Record<string, unknown>): string | null {
  const cnf = claims.cnf;
  if (!cnf || typeof cnf !== 'object') return null;
  const jkt = (cnf as Record<string, unknown>).jkt;
  return typeof jkt === 'string' ? jkt : null;
}
