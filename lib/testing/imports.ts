import fs from 'node:fs';
import path from 'node:path';

/** The lib folder, and what the import checks read (lib/identity/layering.test.ts, lib/folders.test.ts). */
export const LIB = path.resolve(__dirname, '..');

/** Source files below `dir`, without tests and test helpers (testing/ folders). */
export function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return e.name === 'testing' ? [] : sourceFiles(full);
    return /\.tsx?$/.test(e.name) && !/\.test\.tsx?$/.test(e.name) ? [full] : [];
  });
}

/** The lib folder (tokens, oidc, clients, ...) an import specifier of `file` lands in, '(outside lib)', or null (a package). */
export function targetFolder(file: string, specifier: string): string | null {
  let target: string;
  if (specifier.startsWith('@/lib/')) target = path.join(LIB, specifier.slice('@/lib/'.length));
  else if (specifier.startsWith('@/')) return '(outside lib)';
  else if (specifier.startsWith('.')) target = path.resolve(path.dirname(file), specifier);
  else return null;
  const rel = path.relative(LIB, target);
  return rel.startsWith('..') ? '(outside lib)' : rel.split(path.sep)[0];
}

/** The specifiers a file imports: static imports and re-exports (type-only ones too), side-effect and dynamic imports. */
export function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [
    ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g),
    ...text.matchAll(/(?:^|\n)\s*import\s+'([^']+)'/g),
    ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g),
  ].map((m) => m[1]);
}

/** The folder of a file below lib. */
export function folderOf(file: string): string {
  return path.relative(LIB, file).split(path.sep)[0];
}
