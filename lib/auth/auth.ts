import NextAuth, { type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { headers } from 'next/headers';
import { getDb } from '../db';
import { logAuthError } from './auth-log';
import { requestClientAddress } from './client-address';
import { checkSession, createSession, endSession } from './sessions';
import { redeemSignInTicket } from './sign-in-ticket';
import { findUserByEmail, loadSessionUser } from './users';

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string; name: string; tenantId: string; roleTypes: string[] };
    /** The console session's row (lib/auth/sessions.ts): "This browser" on /account. */
    sessionId: string;
  }
}

/**
 * The cookie is next-auth's encrypted JWT holding one claim of ours: `sid`, the id of a row in `sessions`. Every
 * request checks that row (lib/auth/sessions.ts): signing out, "Sign out everywhere else", an administrator, a
 * password change, the idle timeout or the absolute lifetime end it on every instance, and a jwt callback that
 * returns null makes next-auth clear the cookie instead of re-issuing it.
 *
 * Passwords are not accepted here: the console's sign-in (lib/auth/sign-in-flow.ts) checks them, and any second
 * factor, itself, then hands next-auth a single-use in-process ticket for the session row it created.
 */
const providers: NextAuthConfig['providers'] = [
  Credentials({
    credentials: { ticket: {} },
    async authorize(raw) {
      const ticket = redeemSignInTicket((raw as { ticket?: unknown } | undefined)?.ticket);
      if (!ticket) return null;
      return { id: ticket.userId, sid: ticket.sessionId } as { id: string };
    },
  }),
];

// Optional single sign-on: teams with an OpenID Connect identity provider switch it on with these variables.
// Only people who already have a user here (matched by email) can sign in through it.
if (process.env.AUTH_OIDC_ISSUER && process.env.AUTH_OIDC_CLIENT_ID) {
  providers.push({
    id: 'oidc',
    name: process.env.AUTH_OIDC_NAME || 'Single sign-on',
    type: 'oidc',
    issuer: process.env.AUTH_OIDC_ISSUER,
    clientId: process.env.AUTH_OIDC_CLIENT_ID,
    clientSecret: process.env.AUTH_OIDC_CLIENT_SECRET,
  });
}

export const oidcEnabled = providers.length > 1;

/** A session row for a sign-in through the single sign-on provider (amr "fed"). */
async function federatedSession(email: string): Promise<string | null> {
  const db = await getDb();
  const found = await findUserByEmail(db, email);
  if (!found) return null;
  let ip: string | null = null;
  let userAgent: string | null = null;
  try {
    const h = await headers();
    ip = requestClientAddress(h);
    userAgent = h.get('user-agent');
  } catch {
    // Outside a request scope: the row is still made, without address and browser.
  }
  const session = await createSession(db, { userId: found.id, tenantId: found.tenantId, amr: ['fed'], ip, userAgent });
  console.info(`[auth] signed in ${JSON.stringify(found.email)} through single sign-on from ${ip ?? 'unknown'}`);
  return session.id;
}

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  // The cookie outlives every tenant's absolute lifetime (at most 720 h): the session row decides when it ends.
  session: { strategy: 'jwt', maxAge: 30 * 24 * 60 * 60 },
  pages: { signIn: '/sign-in' },
  providers,
  logger: {
    error: logAuthError,
    warn() {},
    debug() {},
  },
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== 'oidc') return true;
      return Boolean(user.email && (await findUserByEmail(await getDb(), user.email)));
    },
    async jwt({ token, user, account }) {
      if (user) {
        // A new sign-in: the token names the session row and nothing else (no user id, name or email).
        if (account?.provider === 'oidc') {
          const sid = user.email ? await federatedSession(user.email) : null;
          return sid ? { sid } : null;
        }
        const sid = (user as { sid?: unknown }).sid;
        return typeof sid === 'string' ? { sid } : null;
      }
      // Every later request: the row must still be there and valid, or the browser is signed out.
      return (await checkSession(token.sid)) ? token : null;
    },
    async session({ session, token }) {
      const active = await checkSession(token.sid);
      // Tenant and roles are read fresh, so a role change takes effect on the next request.
      const u = active ? await loadSessionUser(await getDb(), active.userId) : null;
      if (u && active) {
        session.user = u as typeof session.user;
        session.sessionId = active.id;
      } else {
        // Ended between the jwt callback and here: nothing of the user is handed out.
        (session as { user?: unknown }).user = undefined;
      }
      return session;
    },
  },
  events: {
    // Sign out (the console's button, or POST /api/auth/signout): the row goes, so a copy of the cookie is dead too.
    async signOut(message) {
      const sid = 'token' in message ? message.token?.sid : undefined;
      if (typeof sid === 'string') await endSession(await getDb(), sid);
    },
  },
});

declare module 'next-auth/jwt' {
  interface JWT {
    /** The console session's row id (lib/auth/sessions.ts): the only claim of ours in the cookie. */
    sid?: string;
  }
}
