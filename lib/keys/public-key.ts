import { createHash, createPublicKey, X509Certificate, type JsonWebKey, type KeyObject } from 'node:crypto';
import { KEY_TEXT_MAX, KEY_UNREADABLE, PRIVATE_JWK_MEMBERS, PRIVATE_KEY_REFUSED } from './key-text';

export { KEY_TEXT_MAX, PRIVATE_KEY_REFUSED };

/**
 * Public keys for private_key_jwt client authentication: parse what an administrator pastes (a PEM public key or
 * certificate, or a JWK), refuse private keys and weak or unsupported keys, and derive the JWK, algorithm, kid and
 * RFC 7638 thumbprint. Never throws on bad input, and no message ever repeats the input (it may be a private key).
 */
export const KEY_ALGS = ['RS256', 'PS256', 'ES256', 'ES384', 'EdDSA'] as const;
export type KeyAlg = (typeof KEY_ALGS)[number];
export const MIN_RSA_BITS = 2048;
const UNREADABLE = KEY_UNREADABLE;
const UNSUPPORTED = `Use an RSA key of at least ${MIN_RSA_BITS} bits, an EC key on P-256 or P-384, or an Ed25519 key.`;

export type ParsedPublicKey = {
  source: 'pem' | 'jwk';
  jwk: Record<string, string>;
  /** The key's algorithm: the JWK's "alg", else the default for its type (RS256 for RSA). */
  alg: KeyAlg;
  /**
   * false when the key names no algorithm (a PEM, a JWK without "alg"): it then verifies every algorithm of its type
   * (`algs`: RS256 and PS256 for RSA). true: exactly `alg`.
   */
  algExact: boolean;
  /** The algorithms an assertion signed with this key may use. */
  algs: KeyAlg[];
  kid: string;
  thumbprint: string;
  publicKey: KeyObject;
};
export type ParseResult = { ok: true; key: ParsedPublicKey } | { ok: false; message: string };

const PRIVATE_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;

/** RFC 7638: the required members in lexicographic order, no whitespace, SHA-256, base64url. */
export function jwkThumbprint(jwk: Record<string, unknown>): string {
  const members =
    jwk.kty === 'RSA' ? { e: jwk.e, kty: jwk.kty, n: jwk.n } : jwk.kty === 'EC' ? { crv: jwk.crv, kty: jwk.kty, x: jwk.x, y: jwk.y } : { crv: jwk.crv, kty: jwk.kty, x: jwk.x };
  return createHash('sha256').update(JSON.stringify(members)).digest('base64url');
}

/** The algorithms a key of this type may sign with, default first. */
function algsFor(key: KeyObject): KeyAlg[] | null {
  const type = key.asymmetricKeyType;
  const details = key.asymmetricKeyDetails ?? {};
  if (type === 'rsa') return (details.modulusLength ?? 0) >= MIN_RSA_BITS ? ['RS256', 'PS256'] : null;
  if (type === 'ec') return details.namedCurve === 'prime256v1' ? ['ES256'] : details.namedCurve === 'secp384r1' ? ['ES384'] : null;
  if (type === 'ed25519') return ['EdDSA'];
  return null;
}

/** Does a JSON-ish text look like a JWK with private members? Checked before any parsing that could log it. */
function isPrivateJwk(value: Record<string, unknown>) {
  return PRIVATE_JWK_MEMBERS.some((m) => m in value);
}

const KID_RE = /^[\x21-\x7e]{1,200}$/;

export function parsePublicKey(raw: unknown): ParseResult {
  if (typeof raw !== 'string' && !(raw && typeof raw === 'object' && !Array.isArray(raw))) return { ok: false, message: UNREADABLE };
  const text = typeof raw === 'string' ? raw.trim() : '';
  if (typeof raw === 'string' && text.length === 0) return { ok: false, message: 'Paste the public key.' };
  if (text.length > KEY_TEXT_MAX) return { ok: false, message: `The key is longer than ${KEY_TEXT_MAX} characters: paste one public key.` };
  if (PRIVATE_PEM.test(text)) return { ok: false, message: PRIVATE_KEY_REFUSED };

  let source: 'pem' | 'jwk';
  let publicKey: KeyObject;
  let given: Record<string, unknown> = {};
  try {
    if (typeof raw === 'object' || text.startsWith('{')) {
      source = 'jwk';
      let value: unknown = raw;
      if (typeof raw === 'string') {
        try {
          value = JSON.parse(text);
        } catch {
          return { ok: false, message: 'The JWK is not valid JSON.' };
        }
      }
      if (!value || typeof value !== 'object' || Array.isArray(value)) return { ok: false, message: UNREADABLE };
      given = value as Record<string, unknown>;
      if ('keys' in given) return { ok: false, message: 'This is a JWK Set: paste one key of it, or add the set by its JWKS URL.' };
      if (isPrivateJwk(given)) return { ok: false, message: given.kty === 'oct' ? UNSUPPORTED : PRIVATE_KEY_REFUSED };
      if (given.kty !== 'RSA' && given.kty !== 'EC' && given.kty !== 'OKP') return { ok: false, message: UNSUPPORTED };
      if (given.use !== undefined && given.use !== 'sig') return { ok: false, message: 'This JWK is not for signatures ("use" must be "sig").' };
      publicKey = createPublicKey({ key: given as JsonWebKey, format: 'jwk' });
    } else if (text.startsWith('-----BEGIN CERTIFICATE-----')) {
      source = 'pem';
      publicKey = new X509Certificate(text).publicKey;
    } else if (text.startsWith('-----BEGIN')) {
      source = 'pem';
      publicKey = createPublicKey({ key: text, format: 'pem' });
    } else {
      return { ok: false, message: UNREADABLE };
    }
  } catch {
    return { ok: false, message: 'The key could not be read: check that it was pasted completely.' };
  }
  if (publicKey.type !== 'public') return { ok: false, message: PRIVATE_KEY_REFUSED };
  const algs = algsFor(publicKey);
  if (!algs) return { ok: false, message: UNSUPPORTED };
  let alg = algs[0];
  if (given.alg !== undefined) {
    if (!algs.includes(given.alg as KeyAlg)) return { ok: false, message: `This key cannot be used with the algorithm "${String(given.alg).slice(0, 20)}". Use ${algs.join(' or ')}.` };
    alg = given.alg as KeyAlg;
  }
  const jwk = publicKey.export({ format: 'jwk' }) as Record<string, string>;
  const thumbprint = jwkThumbprint(jwk);
  let kid = thumbprint;
  if (given.kid !== undefined) {
    if (typeof given.kid !== 'string' || !KID_RE.test(given.kid)) return { ok: false, message: 'The JWK\'s "kid" must be 1 to 200 visible characters.' };
    kid = given.kid;
  }
  const algExact = given.alg !== undefined;
  return {
    ok: true,
    key: { source, jwk: { ...jwk, kid, alg, use: 'sig' }, alg, algExact, algs: algExact ? [alg] : algs, kid, thumbprint, publicKey },
  };
}

/** A stored key's algorithm for its key object, or null when the key is no longer acceptable. */
export function algorithmsOf(key: KeyObject): KeyAlg[] {
  return algsFor(key) ?? [];
}
