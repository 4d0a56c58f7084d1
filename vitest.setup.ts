import { vi } from 'vitest';

/**
 * Runs before every test file. The server secret (signing keys and TOTP seeds are encrypted under it,
 * lib/server/secret.ts): one value for the whole suite instead of a line in each file; a test that needs another
 * secret sets it itself (lib/tokens/keys.test.ts does).
 */
// The value the REST API test files used when each set its own: databases they left signing keys in still open.
process.env.AUTH_SECRET ||= 'api-test-secret-0123456789abcdefghij';

// lib/auth/session.ts reads next-auth's cookie through Next's request, which tests do not have: every test file sees
// the console session of lib/testing/session.ts instead (signed out unless a test sets a user).
vi.mock('./lib/auth/session', async () => {
  const { testSession } = await import('./lib/testing/session');
  return { getSessionUser: async () => testSession.user };
});
