/**
 * npm run admin:create -- --email ops@example.com [--tenant "Default"] [--name "Ops"] [--password-stdin]
 *
 * A new Tenant Administrator (with Tenant Member) of a tenant, e.g. when the last administrator left. --tenant takes
 * a tenant's name or id; without it the only tenant is used. A generated one-time password is printed once, or the
 * one piped on standard input is used. Works with the server stopped or running (PostgreSQL; with embedded PGlite stop
 * the server first). Audited as user.created.
 */
import { createAdministrator } from '../lib/server/recovery';
import { options, readStdin, withDatabase } from './admin-common';

const USAGE = 'Usage: npm run admin:create -- --email <email> [--tenant <name or id>] [--name <name>] [--password-stdin]';
const opts = options(
  { email: { type: 'string' }, tenant: { type: 'string' }, name: { type: 'string' }, 'password-stdin': { type: 'boolean' } },
  USAGE,
);
if (opts.help || !opts.email) {
  console.error(opts.help ? USAGE : `--email is required.\n\n${USAGE}`);
  process.exit(opts.help ? 0 : 2);
}
const password = opts['password-stdin'] ? await readStdin() : undefined;

await withDatabase(async (handle) => {
  const r = await createAdministrator(handle.db, { email: opts.email!, name: opts.name, tenant: opts.tenant, password });
  console.log(`  Created ${r.email}, Tenant Administrator of ${r.tenantName}.`);
  if (r.generated) console.log(`  One-time password: ${r.password}\n  Shown once: hand it over now.`);
});
