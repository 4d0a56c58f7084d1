import fs from 'node:fs';
import path from 'node:path';
import { instanceDir } from '../db/data-dir';

/**
 * The generated first administrator password goes to a file only its owner can read (as Jenkins does with
 * initialAdminPassword), never to the log: logs are shipped, kept and read by more people than the operator.
 * The password must be changed at the first sign-in, so the file is worthless afterwards.
 */
export function saveInitialAdminPassword(password: string) {
  const file = path.join(instanceDir(), 'initial-admin-password');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.rmSync(file, { force: true });
  fs.writeFileSync(file, password + '\n', { mode: 0o600 });
  return file;
}
