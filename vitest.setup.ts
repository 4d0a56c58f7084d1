/**
 * Runs before every test file. The server secret (signing keys and TOTP seeds are encrypted under it,
 * lib/server/secret.ts): one value for the whole suite instead of a line in each file; a test that needs another
 * secret sets it itself (lib/tokens/keys.test.ts does).
 */
// The value the REST API test files used when each set its own: databases they left signing keys in still open.
process.env.AUTH_SECRET ||= 'api-test-secret-0123456789abcdefghij';
