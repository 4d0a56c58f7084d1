import { describe, expect, it } from 'vitest';
import { globMatch, hasWildcard, literalLength, literalPrefix } from './glob';

describe('globMatch', () => {
  it('matches the way an administrator reads the pattern', () => {
    const p = 'repo:acme/*:ref:refs/heads/main';
    expect(globMatch(p, 'repo:acme/api:ref:refs/heads/main')).toBe(true);
    expect(globMatch(p, 'repo:acme/web-app:ref:refs/heads/main')).toBe(true);
    expect(globMatch(p, 'repo:acme/api:ref:refs/heads/dev')).toBe(false);
    expect(globMatch(p, 'repo:other/api:ref:refs/heads/main')).toBe(false);
    expect(globMatch('refs/heads/*', 'refs/heads/feature/x')).toBe(true);
    expect(globMatch('v?.*', 'v1.2.3')).toBe(true);
    expect(globMatch('v?.*', 'v10.2')).toBe(false);
    expect(globMatch('exact', 'exact')).toBe(true);
    expect(globMatch('exact', 'exactly')).toBe(false);
    expect(globMatch('a\\*b', 'a*b')).toBe(true);
    expect(globMatch('a\\*b', 'axb')).toBe(false);
    expect(globMatch('*', '')).toBe(true);
    expect(globMatch('spiffe://prod.acme/ns/*/sa/*', 'spiffe://prod.acme/ns/payments/sa/api')).toBe(true);
    expect(globMatch('ünï*', 'ünïcode')).toBe(true);
    expect(globMatch('?', '😀')).toBe(true);
  });

  it('stays fast on patterns that make backtracking regexes explode', () => {
    const pattern = '*a*a*a*a*a*a*a*a*a*a*b';
    const value = 'a'.repeat(5000);
    expect(globMatch(pattern, value)).toBe(false);
  });

  it('tells wildcards from literals', () => {
    expect(hasWildcard('a\\*')).toBe(false);
    expect(hasWildcard('a*')).toBe(true);
    expect(literalLength('**?*')).toBe(0);
    expect(literalPrefix('repo:acme/*')).toBe('repo:acme/');
  });
});
