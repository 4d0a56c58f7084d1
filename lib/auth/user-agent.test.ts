import { describe, expect, it } from 'vitest';
import { describeAmr, describeUserAgent } from './user-agent';

describe('describeUserAgent', () => {
  it.each([
    ['Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/156.0.0.0 Safari/537.36', 'Chrome 156 on Linux'],
    ['Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36 Edg/120.0', 'Edge 120 on Windows'],
    ['Mozilla/5.0 (Macintosh; Intel Mac OS X 14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.1 Safari/605.1.15', 'Safari 17 on macOS'],
    ['Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1', 'Safari 17 on iOS'],
    ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0', 'Firefox 128 on Linux'],
    ['curl/8.5.0', 'curl 8'],
    ['something else', 'Unknown browser'],
    [null, 'Unknown browser'],
  ])('%s', (ua, expected) => expect(describeUserAgent(ua)).toBe(expected));
});

describe('describeAmr', () => {
  it('names the methods a session signed in with', () => {
    expect(describeAmr(['pwd'])).toBe('Password');
    expect(describeAmr(['pwd', 'otp', 'mfa'])).toBe('Password + Authenticator app');
    expect(describeAmr(['hwk'])).toBe('Passkey');
    expect(describeAmr(['fed'])).toBe('Single sign-on');
    expect(describeAmr([])).toBe('Unknown');
  });
});
