/**
 * npm run keys:rotate [-- --immediate]
 *
 * Adds a new token signing key. It is published in the JWKS at once and signs from KEY_PUBLISH_DELAY_SECONDS later
 * (default 300), so resource servers that cache the JWKS learn it first. Older keys stay published until every token
 * they signed has expired. Running instances on PostgreSQL pick the change up at once (NOTIFY); with PGlite, stop the
 * server first (one process per folder) and start it again afterwards.
 *
 * --immediate: a compromised key. The new key signs at once and every older key leaves the JWKS now, so the tokens
 * they signed stop verifying.
 */
import { getDbHandle } from '../lib/db';
import { migrateDatabase } from '../lib/db/migrate';
import { ensureServerSecret } from '../lib/server/secret';
import { tokenSettingsFromEnv } from '../lib/tokens/config';
import { notifySigningKeysChanged } from '../lib/tokens/invalidation';
import { rotateSigningKey } from '../lib/tokens/signing-keys';

async function main() {
  const args = process.argv.slice(2);
  const unknown = args.filter((a) => a !== '--immediate');
  if (unknown.length) {
    console.error(`Unknown option ${unknown.join(' ')}. Usage: npm run keys:rotate [-- --immediate]`);
    process.exit(2);
  }
  ensureServerSecret();
  const settings = tokenSettingsFromEnv();
  const handle = await getDbHandle();
  try {
    await migrateDatabase(handle);
    const result = await rotateSigningKey(handle.db, {
      alg: settings.signingAlg,
      publishDelaySeconds: settings.keyPublishDelaySeconds,
      immediate: args.includes('--immediate'),
    });
    await notifySigningKeysChanged(handle);
    console.log(`  New ${result.alg} signing key ${result.kid}`);
    console.log(`  Published now; signs from ${result.activatesAt.toISOString()}.`);
    if (result.previous.length) {
      console.log(`  Previous keys (${result.previous.join(', ')}) stay published until ${result.previousRetireAt.toISOString()}.`);
    }
  } finally {
    await handle.close();
  }
}

main().catch((err) => {
  console.error(`  keys:rotate failed: ${(err as Error).message}`);
  process.exit(1);
});
