import { describe, expect, it } from 'vitest';
import { parseBasicAuthorization, parseForm } from './form';

describe('parseForm (RFC 6749 3.2)', () => {
  it('decodes names and values, + as space, and drops empty values as if omitted', () => {
    const r = parseForm('grant_type=client_credentials&scope=a+b%20c&client_secret=&x');
    expect(r.ok && Object.fromEntries(r.form)).toEqual({ grant_type: 'client_credentials', scope: 'a b c' });
  });
  it('refuses a repeated parameter, naming it only when it is one of ours', () => {
    expect(parseForm('grant_type=a&grant_type=b')).toEqual({ ok: false, description: 'The grant_type parameter is repeated.' });
    expect(parseForm('client_secret=&client_secret=x')).toMatchObject({ ok: false });
    expect(parseForm('<script>=1&<script>=2')).toEqual({ ok: false, description: 'A parameter is repeated.' });
  });
  it('keeps a repeated resource (RFC 8707), joined by a space that no absolute URI holds', () => {
    const r = parseForm('resource=https%3A%2F%2Fa.example&resource=&resource=urn%3Ab');
    expect(r.ok && r.form.get('resource')).toBe('https://a.example urn:b');
  });
  it('refuses broken percent-encoding instead of throwing', () => {
    expect(parseForm('a=%E0%A4%A')).toMatchObject({ ok: false });
    expect(parseForm('%=1')).toMatchObject({ ok: false });
  });
  it('accepts an empty body and stray separators', () => {
    expect(parseForm('')).toMatchObject({ ok: true });
    const r = parseForm('&&a=1&&');
    expect(r.ok && r.form.get('a')).toBe('1');
  });
});

describe('parseBasicAuthorization (RFC 6749 2.3.1)', () => {
  const b64 = (s: string) => Buffer.from(s).toString('base64');
  it('returns null without a header', () => {
    expect(parseBasicAuthorization(undefined)).toBeNull();
  });
  it('form-decodes id and secret, splitting at the first colon', () => {
    expect(parseBasicAuthorization(`Basic ${b64('my%20id:se%3Acr+et')}`)).toEqual({ clientId: 'my id', secret: 'se:cr et' });
    expect(parseBasicAuthorization(`basic   ${b64('id:a:b')}`)).toEqual({ clientId: 'id', secret: 'a:b' });
  });
  it('calls anything else malformed', () => {
    for (const h of ['Bearer abc', 'Basic', 'Basic !!!', `Basic ${b64('nocolon')}`, `Basic ${b64(':secret')}`, `Basic ${b64('id:')}`, `Basic ${b64('id:%zz')}`]) {
      expect(parseBasicAuthorization(h), h).toBe('malformed');
    }
  });
});
