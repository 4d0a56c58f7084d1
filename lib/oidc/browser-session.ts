import type { IncomingMessage } from 'node:http';
import { getToken } from 'next-auth/jwt';

/**
 * The console's sign-in session (next-auth's encrypted JWT cookie), read by the /identity fast path for the
 * browser endpoints (authorize, end-session). Only the cookie is looked at (never an Authorization header), and it
 * is decrypted with AUTH_SECRET exactly as next-auth does; the user is then loaded fresh from the database.
 */
export const SESSION_COOKIE = 'authjs.session-token';
export const SECURE_SESSION_COOKIE = '__Secure-authjs.session-token';

export type BrowserSession = { userId: string; authTime: number };

export async function readBrowserSession(req: IncomingMessage): Promise<BrowserSession | null> {
  const cookie = req.headers.cookie;
  const secret = process.env.AUTH_SECRET;
  if (!cookie || !secret) return null;
  const secure = cookie.includes(SECURE_SESSION_COOKIE);
  const token = await getToken({ req: { headers: { cookie } }, secret, secureCookie: secure, salt: secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE });
  if (!token || typeof token.uid !== 'string') return null;
  // auth_time: set by the jwt callback at sign-in (lib/auth/auth.ts); sessions from before it existed use iat.
  const authTime = typeof token.authTime === 'number' ? token.authTime : typeof token.iat === 'number' ? token.iat : 0;
  return { userId: token.uid, authTime };
}

/** Set-Cookie values that end the session: every name next-auth may have used, chunks included. */
export function clearSessionCookies(req: IncomingMessage): string[] {
  const names = new Set<string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const name = part.split('=')[0].trim();
    if (name.startsWith(SESSION_COOKIE) || name.startsWith(SECURE_SESSION_COOKIE)) names.add(name);
  }
  return [...names].map(
    (name) => `${name}=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0; HttpOnly; SameSite=Lax${name.startsWith('__Secure-') ? '; Secure' : ''}`,
  );
}
