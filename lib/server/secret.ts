import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * AUTH_SECRET signs session cookies and derives the key that encrypts signing keys at rest.
 * Without one in the environment a random one is kept in .data/ so `npm run dev` needs no setup.
 * Several instances on one database must share one AUTH_SECRET: set it in their environment.
 */
/** The folder for what this instance keeps on disk: beside PGLITE_DIR when set, else .data/. */
export function dataDir() {
  return path.resolve(/*turbopackIgnore: true*/ process.env.PGLITE_DIR ? path.dirname(process.env.PGLITE_DIR) : '.data');
}

export function ensureServerSecret(log: (l: string) => void = console.log) {
  if (process.env.AUTH_SECRET) return;
  const file = path.join(dataDir(), 'auth-secret');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) {
    fs.writeFileSync(file, randomBytes(32).toString('base64url'), { mode: 0o600 });
    if (process.env.DATABASE_URL) {
      log(`  AUTH_SECRET is not set: generated one in ${file}. Set AUTH_SECRET yourself when several instances share this database.`);
    }
  }
  process.env.AUTH_SECRET = fs.readFileSync(file, 'utf8').trim();
}

/**
 * The generated first administrator password goes to a file only its owner can read (as Jenkins does with
 * initialAdminPassword), never to the log: logs are shipped, kept and read by more people than the operator.
 * The password must be changed at the first sign-in, so the file is worthless afterwards.
 */
export function saveInitialAdminPassword(password: string) {
  const file = path.join(dataDir(), 'initial-admin-password');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, password + '\n', { mode: 0o600 });
  return file;
}
