import NextAuth, { type NextAuthConfig } from 'next-auth';
import Credentials from 'next-auth/providers/credentials';
import { getDb } from '../db';
import { redactCredentialParams } from '../http/credentials-in-query';
import { signInKeys, signInSucceeded, takeSignInAttempt } from './throttle';
import { requestClientAddress } from './client-address';
import { findUserByEmail, loadSessionUser, verifyCredentials } from './users';
import { signInSchema } from './sign-in.schema';

declare module 'next-auth' {
  interface Session {
    user: { id: string; email: string; name: string; tenantId: string; roleTypes: string[] };
  }
}

const providers: NextAuthConfig['providers'] = [
  Credentials({
    credentials: { email: { label: 'Email' }, password: { label: 'Password', type: 'password' } },
    async authorize(raw, request) {
      const parsed = signInSchema.safeParse(raw);
      if (!parsed.success) return null;
      const { email, password } = parsed.data;
      const ip = requestClientAddress(request.headers);
      const keys = signInKeys(email, ip);
      const db = await getDb();
      // Counted before the password is checked (lib/auth/throttle.ts): parallel guesses cannot pass the budget.
      const verdict = await takeSignInAttempt(db, keys);
      if (!verdict.allowed) {
        console.warn(`[auth] sign-in refused (locked ${verdict.retryAfterSeconds} s) for ${JSON.stringify(email.slice(0, 200))} from ${ip}`);
        return null;
      }
      const user = await verifyCredentials(db, email, password);
      if (!user) {
        // One line, never the password.
        console.warn(`[auth] failed sign-in for ${JSON.stringify(email.slice(0, 200))} from ${ip}`);
        return null;
      }
      await signInSucceeded(db, keys);
      return user;
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

export const { handlers, auth, signIn, signOut } = NextAuth({
  trustHost: true,
  session: { strategy: 'jwt', maxAge: 8 * 60 * 60 },
  pages: { signIn: '/sign-in' },
  providers,
  logger: {
    // Failed sign-ins are logged once, above; everything else as one line without a stack.
    error(error) {
      const type = (error as { type?: string }).type ?? error.name;
      if (type === 'CredentialsSignin') return;
      console.error(`[auth] ${type}: ${redactCredentialParams(error.message.split('\n')[0])}`);
    },
    warn() {},
    debug() {},
  },
  callbacks: {
    async signIn({ user, account }) {
      if (account?.provider !== 'oidc') return true;
      return Boolean(user.email && (await findUserByEmail(await getDb(), user.email)));
    },
    async jwt({ token, user, account }) {
      // OpenID Connect auth_time for ID tokens issued to Authorization Code and Hybrid clients (lib/oidc).
      if (user) token.authTime = Math.floor(Date.now() / 1000);
      if (user && account?.provider === 'oidc' && user.email) {
        const found = await findUserByEmail(await getDb(), user.email);
        if (found) token.uid = found.id;
      } else if (user?.id) {
        token.uid = user.id;
      }
      return token;
    },
    async session({ session, token }) {
      // Tenant and roles are read fresh, so a role change takes effect on the next request.
      const u = typeof token.uid === 'string' ? await loadSessionUser(await getDb(), token.uid) : null;
      if (u) session.user = u as typeof session.user;
      return session;
    },
  },
});
