/**
 * Globs for federated credential conditions (`repo:acme/*:ref:refs/heads/main`): `*` matches any run of characters
 * (including none, and including `/` and `:`), `?` exactly one, and `\` makes the next character literal. Claim values
 * are not file paths, so path-glob libraries (picomatch, minimatch: `*` stops at `/`, braces, extglobs) would mean
 * something else than an administrator reading the pattern expects; this matcher is small on purpose. It runs in
 * O(pattern x value) without backtracking blow-up (no regular expression is built from the pattern).
 */
type Token = { kind: 'lit'; ch: string } | { kind: 'any' } | { kind: 'one' };

function tokens(pattern: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\' && i + 1 < pattern.length) out.push({ kind: 'lit', ch: pattern[++i] });
    else if (c === '*') {
      if (out.at(-1)?.kind !== 'any') out.push({ kind: 'any' });
    } else if (c === '?') out.push({ kind: 'one' });
    else out.push({ kind: 'lit', ch: c });
  }
  return out;
}

export function globMatch(pattern: string, value: string): boolean {
  const p = tokens(pattern);
  const v = [...value];
  let pi = 0;
  let vi = 0;
  let star = -1;
  let mark = 0;
  while (vi < v.length) {
    const t = p[pi];
    if (t && (t.kind === 'one' || (t.kind === 'lit' && t.ch === v[vi]))) {
      pi++;
      vi++;
    } else if (t && t.kind === 'any') {
      star = pi++;
      mark = vi;
    } else if (star >= 0) {
      pi = star + 1;
      vi = ++mark;
    } else {
      return false;
    }
  }
  while (p[pi]?.kind === 'any') pi++;
  return pi === p.length;
}

/** Does the pattern contain a wildcard (unescaped `*` or `?`)? */
export function hasWildcard(pattern: string): boolean {
  return tokens(pattern).some((t) => t.kind !== 'lit');
}

/** The literal characters of a pattern (wildcards removed): a pattern of only wildcards would match anything. */
export function literalLength(pattern: string): number {
  return tokens(pattern).filter((t) => t.kind === 'lit').length;
}

/** The literal text before the first wildcard. */
export function literalPrefix(pattern: string): string {
  let out = '';
  for (const t of tokens(pattern)) {
    if (t.kind !== 'lit') break;
    out += t.ch;
  }
  return out;
}
