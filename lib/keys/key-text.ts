/**
 * Checks on a pasted key that need no crypto, so the Add Key form runs them in the browser too (the server parses
 * the key fully in lib/keys/public-key.ts). Above all: a private key is recognised here and refused before it is
 * ever sent, and no message repeats the text.
 */
export const KEY_TEXT_MAX = 16_384;

export const PRIVATE_KEY_REFUSED =
  'This is a private key. Paste the public key only: the private key stays with your application and is never sent here. Nothing was saved.';
export const KEY_UNREADABLE =
  'Paste a public key in PEM format (-----BEGIN PUBLIC KEY-----) or as a JWK (a JSON object with "kty").';

const PRIVATE_PEM = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----/;
export const PRIVATE_JWK_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'];

/** The field message for a pasted key text, or null when it may be a public key (the server decides). */
export function keyTextProblem(text: string): string | null {
  const t = text.trim();
  if (!t) return 'Paste the public key.';
  if (PRIVATE_PEM.test(t)) return PRIVATE_KEY_REFUSED;
  if (t.length > KEY_TEXT_MAX) return `The key is longer than ${KEY_TEXT_MAX} characters: paste one public key.`;
  if (t.startsWith('{')) {
    let value: unknown;
    try {
      value = JSON.parse(t);
    } catch {
      return 'The JWK is not valid JSON.';
    }
    if (!value || typeof value !== 'object' || Array.isArray(value)) return KEY_UNREADABLE;
    if (PRIVATE_JWK_MEMBERS.some((m) => m in (value as object))) return PRIVATE_KEY_REFUSED;
    return null;
  }
  return t.startsWith('-----BEGIN ') ? null : KEY_UNREADABLE;
}

/** The JWKS URL's form (https is required by the server, which also allows loopback http when configured). */
export function jwksUrlProblem(text: string): string | null {
  const t = text.trim();
  if (!t) return 'Enter the JWKS URL.';
  if (t.length > 2000) return 'Use a URL of at most 2000 characters.';
  try {
    const url = new URL(t);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'The JWKS URL must use https.';
  } catch {
    return 'Enter a full URL, such as https://app.example.com/.well-known/jwks.json.';
  }
  return null;
}
