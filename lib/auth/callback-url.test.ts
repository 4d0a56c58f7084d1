import { describe, expect, it } from 'vitest';
import { DEFAULT_AFTER_SIGN_IN, safeCallbackUrl } from './callback-url';

describe('safeCallbackUrl', () => {
  it('keeps same-site paths with their query and fragment', () => {
    expect(safeCallbackUrl('/security/users')).toBe('/security/users');
    expect(safeCallbackUrl('/identity/connect/authorize?client_id=a&scope=openid%20profile#x')).toBe(
      '/identity/connect/authorize?client_id=a&scope=openid%20profile#x',
    );
  });

  it.each([
    ['tab', '/\t/evil.example/phish'],
    ['newline', '/\n/evil.example/phish'],
    ['carriage return', '/\r\n/evil.example'],
    ['backslash', '/\\evil.example'],
    ['backslash after tab', '/\t\\evil.example'],
    ['two slashes', '//evil.example/x'],
    ['dot segment to two slashes', '/.//evil.example'],
    ['encoded dot segment', '/%2e//evil.example'],
    ['scheme-relative with spaces', ' //evil.example'],
    ['absolute elsewhere', 'https://evil.example/'],
    ['javascript', 'javascript:alert(1)'],
    ['data', 'data:text/html,<script>alert(1)</script>'],
    ['credentials', 'http://user:pw@callback.invalid/'],
    ['non-string', 42],
    ['empty', ''],
    ['too long', '/' + 'a'.repeat(5000)],
  ])('refuses %s', (_name, value) => {
    expect(safeCallbackUrl(value)).toBe(DEFAULT_AFTER_SIGN_IN);
  });

  it('serializes what a header can carry: non-ASCII and controls are percent-encoded or dropped', () => {
    const out = safeCallbackUrl('/security/clients?q=Zürich\u2028x');
    expect(out).toMatch(/^[\x21-\x7e]+$/);
    expect(out.startsWith('/security/clients?q=Z%C3%BCrich')).toBe(true);
  });

  it('accepts an absolute URL on our own origin only when that origin is given', () => {
    expect(safeCallbackUrl('https://console.example/security/roles', 'https://console.example')).toBe('/security/roles');
    expect(safeCallbackUrl('https://console.example/security/roles')).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeCallbackUrl('https://console.example.evil/x', 'https://console.example')).toBe(DEFAULT_AFTER_SIGN_IN);
    expect(safeCallbackUrl('https://evil.example/x', 'not a url')).toBe(DEFAULT_AFTER_SIGN_IN);
  });
});
