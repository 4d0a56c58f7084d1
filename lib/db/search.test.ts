import { describe, expect, it } from 'vitest';
import { containsPattern, PAGE_MAX, pageNumber, SEARCH_MAX, searchText } from './search';

describe('searchText', () => {
  it('trims, drops control characters and keeps at most SEARCH_MAX characters', () => {
    expect(searchText('  pump\u0000 station\n ')).toBe('pump station');
    expect(searchText(undefined)).toBe('');
    expect(searchText('\u0000\u001f\u007f')).toBe('');
    expect(searchText('é'.repeat(300))).toHaveLength(SEARCH_MAX);
    expect(searchText('‮ unicode ✓')).toBe('‮ unicode ✓');
  });
});

describe('containsPattern', () => {
  it('takes LIKE wildcards literally', () => {
    expect(containsPattern('50%_a\\b')).toBe('%50\\%\\_a\\\\b%');
  });
});

describe('pageNumber', () => {
  it('is a whole number from 1 to PAGE_MAX', () => {
    expect(pageNumber(undefined)).toBe(1);
    expect(pageNumber(Number.NaN)).toBe(1);
    expect(pageNumber(-3)).toBe(1);
    expect(pageNumber(2.7)).toBe(2);
    expect(pageNumber(1e20)).toBe(PAGE_MAX);
    expect(pageNumber(Infinity)).toBe(1);
  });
});
