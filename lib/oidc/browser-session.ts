import type { IncomingMessage } from 'node:http';
import { getToken } from 'next-auth/jwt';
import { checkSession, endSession } from '../auth/sessions';
import type { Db } from '../db';

/**
 * The console's sign-in session (next-auth's encrypted JWT cookie), read by the /identity fast path for the
 * browser endpoints (authorize, end-session). Only the cookie is looked at (never an Authorization header), and it
 * is decrypted with AUTH_SECRET exactly as next-auth does. It names a console session row, checked exactly as the
 * console checks it (lib/auth/sessions.ts: ended, idle or expired sessions count as signed out here too).
 */
export const SESSION_COOKIE = 'authjs.session-token';
export const SECURE_SESSION_COOKIE = '__Secure-authjs.session-token';

/** authTime: when the user signed in (the session row's created_at, in seconds), OpenID Connect's auth_time. */
export type BrowserSession = { userId: string; authTime: number; sessionId: string };

export async function readBrowserSession(req: IncomingMessage, db: Db): Promise<BrowserSession | null> {
  const cookie = req.headers.cookie;
  const secret = process.env.AUTH_SECRET;
  if (!cookie || !secret) return null;
  const secure = cookie.includes(SECURE_SESSION_COOKIE);
  const token = await getToken({ req: { headers: { cookie } }, secret, secureCookie: secure, salt: secure ? SECURE_SESSION_COOKIE : SESSION_COOKIE });
  const active = token ? await checkSession(token.sid, { db }) : null;
  if (!active) return null;
  return { userId: active.userId, authTime: Math.floor(active.createdAt.getTime() / 1000), sessionId: active.id };
}

/** RP-initiated logout: the session row goes (on every instance), and the browser's cookies with it. */
export async function endBrowserSession(req: IncomingMessage, db: Db, session: BrowserSession | null): Promise<string[]> {
  if (session) await endSession(db, session.sessionId);
  return clearSessionCookies(req);
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
