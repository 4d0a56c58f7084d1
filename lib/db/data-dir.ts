import path from 'node:path';

/** The folder for what this instance keeps on disk: beside PGLITE_DIR when set, else .data/. */
export function instanceDir(): string {
  return path.resolve(/*turbopackIgnore: true*/ process.env.PGLITE_DIR ? path.dirname(process.env.PGLITE_DIR) : '.data');
}
