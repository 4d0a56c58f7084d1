import { describe, expect, it } from 'vitest';
import { zodFieldErrors } from '../actions/result';
import { createClientSchema } from './create-client.schema';

const inAYear = () => new Date(Date.now() + 365 * 86_400_000).toISOString();
const valid = () => ({ name: 'Plant historian', tokenLifetime: '', roleIds: [], description: '', neverExpires: false, expiresAt: inAYear() });
const errorsOf = (input: unknown) => {
  const r = createClientSchema.safeParse(input);
  return r.success ? {} : zodFieldErrors(r.error);
};

describe('createClientSchema', () => {
  it('accepts a minimal client and fills the defaults', () => {
    const out = createClientSchema.parse({ name: '  Plant historian  ', expiresAt: inAYear() });
    expect(out.name).toBe('Plant historian');
    expect(out.tokenLifetime).toBe(3600);
    expect(out.roleIds).toEqual([]);
    expect(out.description).toBe('');
    expect(out.neverExpires).toBe(false);
    expect(out.clientId).toBeUndefined();
  });

  it('is idempotent: parsing the form output again gives the same values', () => {
    const once = createClientSchema.parse({ ...valid(), tokenLifetime: ' 120 ', roleIds: ['A0000000-0000-4000-8000-000000000001'] });
    const twice = createClientSchema.parse(once);
    expect(twice).toEqual(once);
    expect(once.roleIds).toEqual(['a0000000-0000-4000-8000-000000000001']);
  });

  it('requires a name of 1 to 100 characters, trimmed, without control characters', () => {
    expect(errorsOf({ ...valid(), name: '' }).name).toBe('Enter a name.');
    expect(errorsOf({ ...valid(), name: '    ' }).name).toBe('Enter a name.');
    expect(errorsOf({ ...valid(), name: undefined }).name).toBe('Enter a name.');
    expect(errorsOf({ ...valid(), name: 'x'.repeat(101) }).name).toBe('Use at most 100 characters.');
    expect(errorsOf({ ...valid(), name: ` ${'x'.repeat(100)} ` }).name).toBeUndefined();
    expect(errorsOf({ ...valid(), name: 'a\tb' }).name).toMatch(/control characters/);
    expect(errorsOf({ ...valid(), name: 'a\u0085b' }).name).toMatch(/control characters/);
  });

  it('takes a token lifetime from 60 to 3600 whole seconds, empty meaning 3600', () => {
    for (const ok of ['60', '3600', 60, 3600, ' 900 ', '', null, undefined]) {
      expect(errorsOf({ ...valid(), tokenLifetime: ok }).tokenLifetime).toBeUndefined();
    }
    for (const bad of ['59', '3601', 59, 3601, 'abc', '60.5', 600.5, '-60', '1e3', true]) {
      expect(errorsOf({ ...valid(), tokenLifetime: bad }).tokenLifetime).toBe('Enter a whole number of seconds from 60 to 3600.');
    }
    expect(createClientSchema.parse({ ...valid(), tokenLifetime: '60' }).tokenLifetime).toBe(60);
  });

  it('refuses role ids that are not GUIDs with one message on roleIds', () => {
    expect(errorsOf({ ...valid(), roleIds: ['nope'] }).roleIds).toBe('Choose roles from the list.');
    expect(errorsOf({ ...valid(), roleIds: 'x' }).roleIds).toBe('Choose roles from the list.');
  });

  it('needs an expiration in the future unless Never Expires', () => {
    expect(errorsOf({ ...valid(), expiresAt: new Date(Date.now() - 60_000).toISOString() }).expiresAt).toBe(
      'The expiration date must be in the future.',
    );
    expect(errorsOf({ ...valid(), expiresAt: '' }).expiresAt).toMatch(/Enter an expiration date/);
    expect(errorsOf({ ...valid(), expiresAt: 'next tuesday' }).expiresAt).toMatch(/Enter an expiration date/);
    expect(errorsOf({ ...valid(), expiresAt: null, neverExpires: true })).toEqual({});
    expect(errorsOf({ ...valid(), expiresAt: '2000-01-01T00:00:00Z', neverExpires: true })).toEqual({});
    expect(createClientSchema.parse({ ...valid(), expiresAt: new Date(Date.now() + 1e9) }).expiresAt).toBeInstanceOf(Date);
  });

  it('limits the description to 200 characters', () => {
    expect(errorsOf({ ...valid(), description: 'd'.repeat(201) }).description).toBe('Use at most 200 characters.');
    expect(errorsOf({ ...valid(), description: 'd'.repeat(200) }).description).toBeUndefined();
  });

  it('reports every bad field at once', () => {
    const e = errorsOf({ name: '', tokenLifetime: '59', roleIds: ['x'], description: 'd'.repeat(201), expiresAt: '2000-01-01' });
    expect(Object.keys(e).sort()).toEqual(['description', 'expiresAt', 'name', 'roleIds', 'tokenLifetime']);
  });

  it('accepts a client-generated GUID as the Client Id and refuses anything else', () => {
    expect(errorsOf({ ...valid(), clientId: 'not-a-guid' }).clientId).toBe('The Client Id must be a GUID.');
    expect(createClientSchema.parse({ ...valid(), clientId: 'C0000000-0000-4000-8000-00000000000A' }).clientId).toBe(
      'c0000000-0000-4000-8000-00000000000a',
    );
  });
});

describe('client names with invisible formatting', () => {
  it('refuses zero-width spaces and direction overrides at the name', () => {
    for (const name of ['\u200b\u200b', 'Historian\u202etxt.exe', 'Hist\u200borian']) {
      const r = createClientSchema.safeParse({ name, neverExpires: true });
      expect(r.success).toBe(false);
      expect(r.error?.issues[0].path).toEqual(['name']);
    }
    expect(createClientSchema.safeParse({ name: 'Historian 🏭', neverExpires: true }).success).toBe(true);
  });
});
