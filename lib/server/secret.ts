import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { instanceDir } from '../db/data-dir';

/**
 * AUTH_SECRET signs session cookies and derives the key that encrypts signing keys at rest.
 * Without one in the environment a random one is kept in .data/ so `npm run dev` needs no setup.
 * Several instances on one database must share one AUTH_SECRET: set it in their environment.
 */
export function ensureServerSecret(log: (l: string) => void = console.log) {
  if (process.env.AUTH_SECRET) return;
  const file = path.join(instanceDir(), 'auth-secret');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
    if (process.env.DATABASE_URL) {
      log(`  AUTH_SECRET is not set: generated one in ${file}. Set AUTH_SECRET yourself when several instances share this database.`);
    }
  }
  process.env.AUTH_SECRET = fs.readFileSync(file, 'utf8').trim();
}
