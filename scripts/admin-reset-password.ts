/**
 * npm run admin:reset-password -- --email admin@example.com [--password-stdin]
 *
 * A new password for a user who lost theirs (a Tenant Administrator locked out of the console): a generated one-time
 * password is printed once, or the one piped on standard input is used. Works with the server stopped or running
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
  console.log(`  New password set for ${r.email} (tenant ${r.tenantName}).`);
  if (r.generated) {
    console.log(`  One-time password: ${r.password}`);
    console.log('  Shown once: hand it over now. Sessions already signed in stay signed in until they expire.');
  }
});
