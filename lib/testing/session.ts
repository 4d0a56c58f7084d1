import type { SessionUser } from '../auth/users';

/**
 * The console session that code under test sees: vitest.setup.ts replaces lib/auth/session.ts (next-auth, which
 * needs Next's request) with a getSessionUser that answers this. null: signed out. A test that signs in sets `user`
 * and puts it back (lib/api/authorize.test.ts).
 */
export const testSession: { user: SessionUser | null } = { user: null };
