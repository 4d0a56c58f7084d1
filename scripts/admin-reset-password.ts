/**
 * npm run admin:reset-password -- --email admin@example.com [--password-stdin]
 *
 * A new password for a user who lost theirs (a Tenant Administrator locked out of the console): a generated one-time
 * password is printed once (to be replaced at the next sign-in), or the one piped on standard input is used. Every
 * session of the user ends and a sign-in lock on the account is cleared. Works with the server stopped or running
 * (PostgreSQL; with embedded PGlite stop the server first: one process per folder). Audited as user.password_reset.
 */
import { resetPassword } from '../lib/server/recovery';
import { options, readStdin, withDatabase } from './admin-common';

const USAGE = 'Usage: npm run admin:reset-password -- --email <email> [--password-stdin]';
const opts = options({ email: { type: 'string' }, 'password-stdin': { type: 'boolean' } }, USAGE);
if (opts.help || !opts.email) {
  console.error(opts.help ? USAGE : `--email is required.\n\n${USAGE}`);
  process.exit(opts.help ? 0 : 2);
}
const password = opts['password-stdin'] ? await readStdin() : undefined;

await withDatabase(async (handle) => {
  const r = await resetPassword(handle.db, { email: opts.email!, password });
  console.log(`  New password set for ${r.email} (tenant ${r.tenantName}); ${r.sessionsEnded} session${r.sessionsEnded === 1 ? '' : 's'} ended.`);
  if (r.generated) {
    console.log(`  One-time password: ${r.password}`);
    console.log('  Shown once: hand it over now. It must be replaced at the next sign-in.');
  }
});
