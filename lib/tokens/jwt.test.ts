import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { decodeProtectedHeader, importJWK, jwtVerify } from 'jose';
import { createSigner, verifyAccessToken, verifyAccessTokenAsync } from './jwt';
import { decryptPrivateKey, encryptPrivateKey } from './key-encryption';
import { generateSigningKey, jwkThumbprint } from './signing-keys';
import { tokenSettingsFromEnv } from './config';

describe('access token signing on node:crypto', () => {
  for (const alg of ['ES256', 'RS256'] as const) {
    it(`${alg}: the token verifies with jose, with typ at+jwt and the kid`, async () => {
      const { privateKey, publicKey } =
        alg === 'ES256' ? generateKeyPairSync('ec', { namedCurve: 'P-256' }) : generateKeyPairSync('rsa', { modulusLength: 2048 });
      const signer = createSigner('kid-1', alg, privateKey);
      const token = await signer.sign({ sub: 'abc', exp: Math.floor(Date.now() / 1000) + 60 });
      expect(decodeProtectedHeader(token)).toEqual({ alg, typ: 'at+jwt', kid: 'kid-1' });
      const { payload } = await jwtVerify(token, await importJWK(publicKey.export({ format: 'jwk' }) as never, alg), { typ: 'at+jwt' });
      expect(payload.sub).toBe('abc');
      // And our own verifier agrees, refusing a wrong key, a wrong alg and tampering.
      expect(verifyAccessToken(token, () => ({ alg, publicKey }))).toMatchObject({ sub: 'abc' });
      expect(verifyAccessToken(token, () => undefined)).toBeNull();
      const other = alg === 'ES256' ? 'RS256' : 'ES256';
      expect(verifyAccessToken(token, () => ({ alg: other, publicKey }))).toBeNull();
      const [h, p, s] = token.split('.');
      const forged = Buffer.from(JSON.stringify({ sub: 'evil' })).toString('base64url');
      expect(verifyAccessToken(`${h}.${forged}.${s}`, () => ({ alg, publicKey }))).toBeNull();
      expect(verifyAccessToken(`${h}.${p}.AAAA`, () => ({ alg, publicKey }))).toBeNull();
      // The crypto-worker variant (introspection) gives the same answers.
      await expect(verifyAccessTokenAsync(token, () => ({ alg, publicKey }))).resolves.toMatchObject({ sub: 'abc' });
      await expect(verifyAccessTokenAsync(token, () => ({ alg: other, publicKey }))).resolves.toBeNull();
      await expect(verifyAccessTokenAsync(`${h}.${forged}.${s}`, () => ({ alg, publicKey }))).resolves.toBeNull();
      await expect(verifyAccessTokenAsync(`${h}.${p}.AAAA`, () => ({ alg, publicKey }))).resolves.toBeNull();
    });
  }

  it('refuses tokens without typ at+jwt or with crit', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const token = await createSigner('k', 'ES256', privateKey).sign({ a: 1 });
    const [, p, s] = token.split('.');
    for (const header of [{ alg: 'ES256', kid: 'k' }, { alg: 'ES256', typ: 'JWT', kid: 'k' }, { alg: 'ES256', typ: 'at+jwt', kid: 'k', crit: ['x'] }]) {
      const h = Buffer.from(JSON.stringify(header)).toString('base64url');
      expect(verifyAccessToken(`${h}.${p}.${s}`, () => ({ alg: 'ES256', publicKey }))).toBeNull();
    }
  });
});

describe('signing key storage', () => {
  it('encrypts the private JWK with AES-GCM bound to the kid, and needs the same AUTH_SECRET', () => {
    const stored = encryptPrivateKey('{"d":"secret"}', 'kid-a', 'secret-one');
    expect(stored).not.toContain('secret');
    expect(decryptPrivateKey(stored, 'kid-a', 'secret-one')).toBe('{"d":"secret"}');
    expect(() => decryptPrivateKey(stored, 'kid-b', 'secret-one')).toThrow(/AUTH_SECRET differs/);
    expect(() => decryptPrivateKey(stored, 'kid-a', 'secret-two')).toThrow(/AUTH_SECRET differs/);
    expect(() => decryptPrivateKey('garbage', 'kid-a', 'secret-one')).toThrow(/unknown format/);
  });

  it('generates keys whose kid is the RFC 7638 thumbprint and whose public JWK holds no private part', () => {
    const key = generateSigningKey('ES256');
    expect(key.kid).toBe(jwkThumbprint(key.publicJwk));
    expect(key.publicJwk).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', use: 'sig', kid: key.kid });
    expect(key.publicJwk).not.toHaveProperty('d');
    expect(JSON.parse(decryptPrivateKey(key.privateKeyEncrypted, key.kid))).toHaveProperty('d');
  });
});

describe('settings', () => {
  it('defaults to ES256, a 300 s publish delay and the "api" scope', () => {
    const s = tokenSettingsFromEnv({});
    expect(s).toMatchObject({ signingAlg: 'ES256', keyPublishDelaySeconds: 300, scopes: ['api'], audience: null, publicUrl: null });
  });
  it('reads RS256, AUTH_URL without a trailing slash, and refuses nonsense', () => {
    expect(tokenSettingsFromEnv({ TOKEN_SIGNING_ALG: 'rs256', AUTH_URL: 'https://c.example.com/' })).toMatchObject({
      signingAlg: 'RS256',
      publicUrl: 'https://c.example.com',
    });
    expect(() => tokenSettingsFromEnv({ TOKEN_SIGNING_ALG: 'HS256' })).toThrow(/TOKEN_SIGNING_ALG/);
    expect(() => tokenSettingsFromEnv({ KEY_PUBLISH_DELAY_SECONDS: '-1' })).toThrow(/KEY_PUBLISH_DELAY_SECONDS/);
    expect(() => tokenSettingsFromEnv({ AUTH_URL: 'ftp://x' })).toThrow(/AUTH_URL/);
  });
  it('trusts a cached client 10 minutes by default (1 s while notifications may be missed); CLIENT_CACHE_TTL_SECONDS sets it', () => {
    expect(tokenSettingsFromEnv({})).toMatchObject({ clientCacheTtlMs: 600_000, clientCacheDegradedTtlMs: 1000 });
    expect(tokenSettingsFromEnv({ CLIENT_CACHE_TTL_SECONDS: '5' }).clientCacheTtlMs).toBe(5000);
    expect(() => tokenSettingsFromEnv({ CLIENT_CACHE_TTL_SECONDS: '0' })).toThrow(/CLIENT_CACHE_TTL_SECONDS/);
  });
});
