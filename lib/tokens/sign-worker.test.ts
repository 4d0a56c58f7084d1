import { generateKeyPairSync, verify } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { BatchSigner } from './sign-worker';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });

function verifies(alg: 'ES256' | 'RS256', input: string, signature: string) {
  const key = alg === 'ES256' ? { key: ec.publicKey, dsaEncoding: 'ieee-p1363' as const } : rsa.publicKey;
  return verify('sha256', Buffer.from(input), key, Buffer.from(signature, 'base64url'));
}

describe('BatchSigner (signatures on a worker thread, batched)', () => {
  let signer: BatchSigner;
  afterEach(async () => {
    await signer?.close();
  });

  it('signs what arrives together in few batches, each signature for its own input and key', async () => {
    signer = new BatchSigner();
    const es = signer.key('ES256', ec.privateKey);
    const rs = signer.key('RS256', rsa.privateKey);
    const inputs = Array.from({ length: 60 }, (_, i) => `header.payload-${i}`);
    const signatures = await Promise.all(inputs.map((input, i) => signer.sign(i % 3 === 0 ? rs : es, input)));
    inputs.forEach((input, i) => {
      expect(verifies(i % 3 === 0 ? 'RS256' : 'ES256', input, signatures[i])).toBe(true);
      // Not another request's signature: it does not verify for the neighbouring input.
      expect(verifies(i % 3 === 0 ? 'RS256' : 'ES256', inputs[(i + 1) % inputs.length], signatures[i])).toBe(false);
    });
    // The first went alone; the 59 that arrived while it was signed went in one message.
    expect(signer.counts.batches).toBe(2);
    expect(signer.counts.inline).toBe(0);
  });

  it('splits a long queue into batches of at most maxBatch', async () => {
    signer = new BatchSigner(10);
    const es = signer.key('ES256', ec.privateKey);
    const inputs = Array.from({ length: 35 }, (_, i) => `h.p${i}`);
    const signatures = await Promise.all(inputs.map((input) => signer.sign(es, input)));
    inputs.forEach((input, i) => expect(verifies('ES256', input, signatures[i])).toBe(true));
    // 1, then 10, 10, 10, 4.
    expect(signer.counts.batches).toBe(5);
  });

  it('when the worker dies holding a batch, what it held is signed on the event loop and a new worker takes the next', async () => {
    signer = new BatchSigner();
    const es = signer.key('ES256', ec.privateKey);
    expect(verifies('ES256', 'a.b', await signer.sign(es, 'a.b'))).toBe(true);
    // Stopped before it reads the next batch (a message sent after terminate() is never read).
    const dying = (signer as unknown as { worker: { terminate(): Promise<number> } }).worker.terminate();
    const pending = signer.sign(es, 'c.d');
    await dying;
    expect(verifies('ES256', 'c.d', await pending)).toBe(true);
    expect(signer.counts.inline).toBe(1);
    expect(verifies('ES256', 'e.f', await signer.sign(es, 'e.f'))).toBe(true);
    expect(signer.counts.inline).toBe(1);
    expect(signer.counts.batches).toBe(3);
  });

  it('a signature the key cannot make is a rejection, not a hang', async () => {
    signer = new BatchSigner();
    // An EC public key where a private key belongs: the worker fails it, the retry here throws.
    const wrong = signer.key('ES256', ec.publicKey);
    await expect(signer.sign(wrong, 'x.y')).rejects.toThrow();
    const es = signer.key('ES256', ec.privateKey);
    expect(verifies('ES256', 'x.y', await signer.sign(es, 'x.y'))).toBe(true);
  });

  it('after close, signatures are still made (on the event loop)', async () => {
    signer = new BatchSigner();
    const es = signer.key('ES256', ec.privateKey);
    await signer.close();
    expect(verifies('ES256', 'g.h', await signer.sign(es, 'g.h'))).toBe(true);
    expect(signer.counts.inline).toBe(1);
  });
});
