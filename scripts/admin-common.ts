/**
 * What the admin:* recovery commands share: options, the configured database (DATABASE_URL, else the PGlite folder),
 * a password read from standard input, and one clear line for anything that goes wrong.
 */
import { parseArgs } from 'node:util';
import { getDbHandle, type DbHandle } from '../lib/db';
import { databaseCause } from '../lib/log/db-error';
import { RecoveryError } from '../lib/server/recovery';

export function options<T extends Record<string, { type: 'string' | 'boolean' }>>(spec: T, usage: string) {
  try {
    return parseArgs({ args: process.argv.slice(2), options: { ...spec, help: { type: 'boolean' } }, strict: true, allowPositionals: false })
      .values as { [K in keyof T]?: T[K]['type'] extends 'string' ? string : boolean } & { help?: boolean };
  } catch (err) {
    console.error(`${(err as Error).message}\n\n${usage}`);
    process.exit(2);
  }
}

/** The whole of standard input (a password piped in), without its final line break. */
export async function readStdin(): Promise<string> {
  if (process.stdin.isTTY) {
    console.error('Type the password, then Ctrl-D (it is not echoed by this command, but your terminal may show it):');
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8').replace(/\r?\n$/, '');
}

export async function withDatabase(fn: (handle: DbHandle) => Promise<void>) {
  let handle: DbHandle | null = null;
  try {
    handle = await getDbHandle();
    await fn(handle);
  } catch (err) {
    if (err instanceof RecoveryError) {
      console.error(`  ${err.message}`);
      process.exitCode = 1;
    } else {
      const cause = databaseCause(err);
      console.error(`  ${cause ? `The database cannot be used: ${cause}.` : (err as Error).message}`);
      process.exitCode = 1;
    }
  } finally {
    await handle?.close().catch(() => {});
  }
}
