/**
 * Where the console may send a browser after sign-in: only back to itself. The value is parsed as a URL against a
 * placeholder origin (the same parser the browser uses, so tabs and newlines are dropped and backslashes read as
 * slashes exactly as Chromium would) and accepted only when the result keeps that origin, or is on `ownOrigin`
 * (AUTH_URL) when one is given. Never a string-prefix check. Anything else, including what cannot be parsed, is the
 * default page. What is returned is the URL's own serialization (path, query, fragment): percent-encoded ASCII, so
 * it is always a valid Location header.
 */
export const DEFAULT_AFTER_SIGN_IN = '/overview';

const PLACEHOLDER = 'http://callback.invalid';
const MAX_LENGTH = 4096;

export function safeCallbackUrl(value: unknown, ownOrigin?: string | null): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_LENGTH) return DEFAULT_AFTER_SIGN_IN;
  let url: URL;
  try {
    url = new URL(value, PLACEHOLDER);
  } catch {
    return DEFAULT_AFTER_SIGN_IN;
  }
  let own = false;
  if (url.origin === PLACEHOLDER) own = true;
  else if (ownOrigin) {
    try {
      own = url.origin === new URL(ownOrigin).origin;
    } catch {
      own = false;
    }
  }
  if (!own || url.username || url.password) return DEFAULT_AFTER_SIGN_IN;
  // "/.//evil.example" keeps our origin but serializes to "//evil.example", which a browser reads as another host.
  if (url.pathname.startsWith('//') || url.pathname.includes('\\')) return DEFAULT_AFTER_SIGN_IN;
  return url.pathname + url.search + url.hash;
}

/**
 * True when the sign-in page returns to the identity server (a full page load is needed, not a client-side route).
 * `callbackUrl` is a path that safeCallbackUrl already kept on this origin.
 */
export function returnsToIdentity(callbackUrl: string): boolean {
  return callbackUrl.startsWith('/identity/');
}
