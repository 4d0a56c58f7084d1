import { describe, expect, it } from 'vitest';
import { corsOriginProblem, redirectUriProblem, redirectUrisField } from './uris';

describe('redirect URL rules (RFC 8252: https, or http to loopback)', () => {
  it('accepts https and loopback http, refuses other http, schemes, fragments and credentials', () => {
    for (const ok of ['https://app.example.com/cb', 'http://127.0.0.1:8080/cb', 'http://[::1]/cb', 'http://localhost/cb']) {
      expect(redirectUriProblem(ok), ok).toBeNull();
    }
    for (const bad of ['http://app.example.com/cb', 'http://127.0.0.1.example.com/cb', 'javascript:alert(1)', 'ftp://x', '/cb', 'https://a/cb#f', 'https://u:p@a/cb']) {
      expect(redirectUriProblem(bad), bad).not.toBeNull();
    }
  });

  it('refuses lone surrogates and invisible formatting characters (spoofing; PostgreSQL refuses lone surrogates in jsonb)', () => {
    expect(redirectUriProblem('https://app.example.com/\ud800')).toMatch(/broken character/);
    expect(redirectUriProblem('https://app.example.com/\udfffx')).toMatch(/broken character/);
    expect(redirectUriProblem('https://app.example.com/\u200bcb')).toMatch(/invisible/);
    expect(redirectUriProblem('https://app.example.com/\u202ebc')).toMatch(/invisible/);
    expect(corsOriginProblem('https://app\u200d.example.com')).toMatch(/invisible/);
    // A whole emoji is fine (it is percent-encoded on the wire, and matched exactly).
    expect(redirectUriProblem('https://app.example.com/😀')).toBeNull();
    expect(redirectUrisField.safeParse(['https://app.example.com/\ud83d']).success).toBe(false);
  });
});
