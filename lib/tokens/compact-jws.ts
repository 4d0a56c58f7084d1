/**
 * The one parser of compact JWS (RFC 7515 7.1) used by every token we read: our access tokens (lib/tokens/jwt.ts and
 * the REST API's lib/api/bearer.ts), client assertions, DPoP proofs, and ID token hints (lib/oidc/id-token.ts). Shape
 * only: three base64url parts, and JSON objects where asked. What each token must say is its own module's job.
 */
const B64URL = /^[A-Za-z0-9_-]+$/;

/** The not-before leeway every token check allows for clock skew between servers (seconds). */
export const NBF_LEEWAY_SECONDS = 30;

/** A base64url JSON object, or null for anything else (never throws). */
export function parseJsonObject(b64: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(Buffer.from(b64, 'base64url').toString('utf8'));
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

export type CompactJws = {
  /** The three base64url parts: header, payload, signature. */
  header: string;
  payload: string;
  signature: string;
};

/** Three non-empty base64url parts, or null. */
export function splitCompactJws(token: string): CompactJws | null {
  const parts = token.split('.');
  if (parts.length !== 3 || !B64URL.test(parts[0]) || !B64URL.test(parts[1]) || !B64URL.test(parts[2])) return null;
  return { header: parts[0], payload: parts[1], signature: parts[2] };
}

/** What a signature covers: the ASCII of header "." payload. */
export function signingInputOf(jws: CompactJws): Buffer {
  return Buffer.from(`${jws.header}.${jws.payload}`);
}

export function signatureOf(jws: CompactJws): Buffer {
  return Buffer.from(jws.signature, 'base64url');
}

/** The header's kid of a compact JWS (for picking a key before anything else), or null. */
export function kidOf(token: string): string | null {
  const dot = token.indexOf('.');
  if (dot <= 0) return null;
  const kid = parseJsonObject(token.slice(0, dot))?.kid;
  return typeof kid === 'string' && kid.length <= 200 ? kid : null;
}
