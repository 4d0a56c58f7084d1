import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createSigner, verifyAccessTokenAsync, type VerificationKey } from './jwt';
import { VerifiedTokenCache } from './verified-tokens';

function keyPair(): { sign: ReturnType<typeof createSigner>; key: VerificationKey } {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  return { sign: createSigner('k1', 'ES256', privateKey), key: { alg: 'ES256', publicKey } };
}

describe('introspection: tokens whose signature already verified', () => {
  it('answers a token again from the cache, but never a different token, an expired one, or one whose key is gone', async () => {
    let clock = Date.now();
    const cache = new VerifiedTokenCache(100, () => clock);
    const { sign, key } = keyPair();
    let published: VerificationKey | undefined = key;
    const keyFor = (kid: string) => (kid === 'k1' ? published : undefined);
    const exp = Math.floor(clock / 1000) + 60;
    const token = await sign.sign({ sub: 'a', exp });

    await expect(verifyAccessTokenAsync(token, keyFor, cache)).resolves.toMatchObject({ sub: 'a' });
    expect(cache.size).toBe(1);
    // The same string again: a hit.
    expect(cache.get(token, keyFor)).toMatchObject({ sub: 'a' });

    // A different string is never a hit: a forged payload with the cached token's signature is checked and refused.
    const [h, , s] = token.split('.');
    const forged = `${h}.${Buffer.from(JSON.stringify({ sub: 'evil', exp })).toString('base64url')}.${s}`;
    await expect(verifyAccessTokenAsync(forged, keyFor, cache)).resolves.toBeNull();
    expect(cache.size).toBe(1);

    // The key replaced under the same kid (a rotation gone wrong, a restore): checked again, and refused.
    published = keyPair().key;
    await expect(verifyAccessTokenAsync(token, keyFor, cache)).resolves.toBeNull();
    // The key retired: nothing verifies, cached or not.
    published = key;
    await expect(verifyAccessTokenAsync(token, keyFor, cache)).resolves.toMatchObject({ sub: 'a' });
    published = undefined;
    await expect(verifyAccessTokenAsync(token, keyFor, cache)).resolves.toBeNull();

    // Past exp the entry is gone (the caller refuses an expired token anyway).
    published = key;
    await verifyAccessTokenAsync(token, keyFor, cache);
    clock += 61_000;
    expect(cache.get(token, keyFor)).toBeNull();
    expect(cache.size).toBe(0);
  });

  it('holds at most its bound, dropping the oldest first; tokens without exp are not kept', async () => {
    const cache = new VerifiedTokenCache(3);
    const { sign, key } = keyPair();
    const keyFor = () => key;
    const exp = Math.floor(Date.now() / 1000) + 60;
    const tokens = await Promise.all([1, 2, 3, 4].map((n) => sign.sign({ n, exp })));
    for (const t of tokens) await verifyAccessTokenAsync(t, keyFor, cache);
    expect(cache.size).toBe(3);
    expect(cache.get(tokens[0], keyFor)).toBeNull();
    expect(cache.get(tokens[3], keyFor)).toMatchObject({ n: 4 });
    const noExp = await sign.sign({ n: 5 });
    await expect(verifyAccessTokenAsync(noExp, keyFor, cache)).resolves.toMatchObject({ n: 5 });
    expect(cache.get(noExp, keyFor)).toBeNull();
  });
});
