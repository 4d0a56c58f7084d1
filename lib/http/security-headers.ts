/**
 * Security headers shared by the Next pages (proxy.ts) and the node:http fast path (server.ts).
 * No Next or React imports: the fast path loads this too.
 */
export const BASE_SECURITY_HEADERS: Record<string, string> = {
  // Nothing to other origins. Not 'no-referrer': under it the browser sends `Origin: null` with a native form POST,
  // and Next refuses that server action (CSRF check), so sign-in without JavaScript would fail.
  'Referrer-Policy': 'same-origin',
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Permissions-Policy': 'camera=(), microphone=(), geolocation=(), payment=()',
};

export const HSTS = 'max-age=63072000; includeSubDomains';

/** For JSON answers (API, token endpoint): nothing may run, nothing may frame it. */
export const API_CSP = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** Pages: scripts only with this request's nonce (no 'unsafe-inline' scripts), never framed. */
export function pageCsp(nonce: string, { dev, https }: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ''}`,
    // React and Tailwind set style attributes; inline styles cannot run code.
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? ' ws: wss:' : ''}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(https ? ['upgrade-insecure-requests'] : []),
  ].join('; ');
}

export function isHttpsRequest(headers: { get(name: string): string | null }, protocol?: string): boolean {
  const proto = headers.get('x-forwarded-proto')?.split(',')[0]?.trim();
  return proto === 'https' || protocol === 'https:';
}
