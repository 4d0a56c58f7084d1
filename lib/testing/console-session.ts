import { eq } from 'drizzle-orm';
import { encode } from 'next-auth/jwt';
import type { Db } from '../db';
import { sessions, users } from '../db/schema';
import { SESSION_COOKIE } from '../oidc/browser-session';

/**
 * Tests: a console session row for a user and the Cookie header a browser signed in with it would send (next-auth's
 * encrypted JWT naming the row, as lib/auth/auth.ts writes it). `signedInAt` (seconds) is the row's created_at,
 * i.e. OpenID Connect's auth_time; the row was last seen now.
 */
export async function consoleSessionCookie(
  db: Db,
  userId: string,
  opts: { signedInAt?: number; lastSeenAt?: Date; expiresAt?: Date; amr?: string[] } = {},
): Promise<{ cookie: string; sessionId: string }> {
  const [u] = await db.select({ tenantId: users.tenantId }).from(users).where(eq(users.id, userId));
  const created = new Date((opts.signedInAt ?? Math.floor(Date.now() / 1000)) * 1000);
  const [row] = await db
    .insert(sessions)
    .values({
      userId,
      tenantId: u.tenantId,
      createdAt: created,
      lastSeenAt: opts.lastSeenAt ?? new Date(),
      expiresAt: opts.expiresAt ?? new Date(Date.now() + 12 * 3_600_000),
      amr: opts.amr ?? ['pwd'],
    })
    .returning({ id: sessions.id });
  const value = await encode({ token: { sid: row.id }, secret: process.env.AUTH_SECRET!, salt: SESSION_COOKIE });
  return { cookie: `${SESSION_COOKIE}=${value}`, sessionId: row.id };
}
