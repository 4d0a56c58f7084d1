import { describe, expect, it } from 'vitest';
import {
  SECRET_LENGTH,
  SECRET_PREFIX,
  displayHint,
  generateSecret,
  hashSecret,
  isWellFormedSecret,
  secretHashesEqual,
} from './secret';

describe('secret format', () => {
  it('has the prefix, the length and a valid checksum', () => {
    const s = generateSecret();
    expect(s.startsWith(SECRET_PREFIX)).toBe(true);
    expect(s).toHaveLength(SECRET_LENGTH);
    expect(isWellFormedSecret(s)).toBe(true);
  });
  it('is different every time', () => {
    const set = new Set(Array.from({ length: 200 }, generateSecret));
    expect(set.size).toBe(200);
  });
  it('rejects any single altered character, a wrong prefix, and other lengths', () => {
    const s = generateSecret();
    for (const i of [5, 20, 47, 49, 54]) {
      const c = s[i] === 'A' ? 'B' : 'A';
      expect(isWellFormedSecret(s.slice(0, i) + c + s.slice(i + 1))).toBe(false);
    }
    expect(isWellFormedSecret('xxxx_' + s.slice(5))).toBe(false);
    expect(isWellFormedSecret(s + 'a')).toBe(false);
    expect(isWellFormedSecret(s.slice(0, -1))).toBe(false);
    expect(isWellFormedSecret(undefined)).toBe(false);
    expect(isWellFormedSecret(12)).toBe(false);
  });
  it('gives a hint that reveals only the prefix and four characters', () => {
    const s = generateSecret();
    expect(displayHint(s)).toBe(`${s.slice(0, 9)}…`);
  });
});

describe('secret hashing', () => {
  it('stores a 64-hex SHA-256 that does not contain the secret', () => {
    const s = generateSecret();
    const h = hashSecret(s);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(h).not.toContain(s.slice(5, 20));
    expect(hashSecret(s)).toBe(h);
  });
  it('changes with a pepper', () => {
    const s = generateSecret();
    const plain = hashSecret(s);
    process.env.SECRET_PEPPER = 'pepper';
    try {
      expect(hashSecret(s)).not.toBe(plain);
    } finally {
      delete process.env.SECRET_PEPPER;
    }
  });
  it('compares in constant time and only equal hashes match', () => {
    const a = hashSecret(generateSecret());
    const b = hashSecret(generateSecret());
    expect(secretHashesEqual(a, a)).toBe(true);
    expect(secretHashesEqual(a, b)).toBe(false);
    expect(secretHashesEqual(a, '')).toBe(false);
    expect(secretHashesEqual(a, a.slice(0, 10))).toBe(false);
  });
});
