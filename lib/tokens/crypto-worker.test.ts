import type { Worker } from 'node:worker_threads';
import { spawnSync } from 'node:child_process';
import { constants, generateKeyPairSync, sign, verify } from 'node:crypto';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CryptoWorker, inlineMaxFromEnv } from './crypto-worker';

const ec = generateKeyPairSync('ec', { namedCurve: 'P-256' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const ed = generateKeyPairSync('ed25519');
const ES = (key: typeof ec.privateKey) => ({ key, dsaEncoding: 'ieee-p1363' as const });

function verifies(alg: 'ES256' | 'RS256', input: string, signature: string) {
  const key = alg === 'ES256' ? ES(ec.publicKey) : rsa.publicKey;
  return verify('sha256', Buffer.from(input), key, Buffer.from(signature, 'base64url'));
}

describe('CryptoWorker (signatures and checks on a worker thread, batched)', () => {
  let worker: CryptoWorker;
  afterEach(async () => {
    await worker?.close();
  });

  it('signs what arrives together in few batches, each signature for its own input and key', async () => {
    worker = new CryptoWorker();
    const es = worker.key(ES(ec.privateKey));
    const rs = worker.key(rsa.privateKey);
    const inputs = Array.from({ length: 60 }, (_, i) => `header.payload-${i}`);
    const signatures = await Promise.all(inputs.map((input, i) => worker.sign(i % 3 === 0 ? rs : es, input)));
    inputs.forEach((input, i) => {
      expect(verifies(i % 3 === 0 ? 'RS256' : 'ES256', input, signatures[i])).toBe(true);
      // Not another request's signature: it does not verify for the neighbouring input.
      expect(verifies(i % 3 === 0 ? 'RS256' : 'ES256', inputs[(i + 1) % inputs.length], signatures[i])).toBe(false);
    });
    // Asked for in the same turn of the event loop: one message for all 60.
    expect(worker.counts.batches).toBe(1);
    expect(worker.counts.jobs).toBe(60);
    expect(worker.counts.inline).toBe(0);
    expect(worker.counts.direct).toBe(0);
  });

  it('with two workers, each holds a batch and every answer still goes to its own request', async () => {
    worker = new CryptoWorker(16, 4096, 2);
    const es = worker.key(ES(ec.privateKey));
    const inputs = Array.from({ length: 40 }, (_, i) => `two.p${i}`);
    const signatures = await Promise.all(inputs.map((input) => worker.sign(es, input)));
    inputs.forEach((input, i) => expect(verifies('ES256', input, signatures[i])).toBe(true));
    // 16 to each worker, then the 8 that waited to whichever finished first.
    expect(worker.counts.batches).toBe(3);
    expect(worker.counts.inline).toBe(0);
  });

  it('splits a long queue into batches of at most maxBatch', async () => {
    worker = new CryptoWorker(10);
    const es = worker.key(ES(ec.privateKey));
    const inputs = Array.from({ length: 35 }, (_, i) => `h.p${i}`);
    const signatures = await Promise.all(inputs.map((input) => worker.sign(es, input)));
    inputs.forEach((input, i) => expect(verifies('ES256', input, signatures[i])).toBe(true));
    // 10, then 10, 10, 5 as the worker answers.
    expect(worker.counts.batches).toBe(4);
  });

  it('checks signatures of every assertion algorithm, true only for the right data, key and signature', async () => {
    worker = new CryptoWorker();
    const data = Buffer.from('a.b');
    const other = Buffer.from('a.c');
    const cases = [
      { digest: 'sha256', priv: ES(ec.privateKey), pub: ES(ec.publicKey) },
      { digest: 'sha256', priv: rsa.privateKey, pub: rsa.publicKey },
      {
        digest: 'sha256',
        priv: { key: rsa.privateKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
        pub: { key: rsa.publicKey, padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: 32 },
      },
      { digest: null, priv: ed.privateKey, pub: ed.publicKey },
    ];
    const checks = cases.flatMap(({ digest, priv, pub }) => {
      const signature = sign(digest, data, priv);
      return [
        worker.verify(digest, data, pub, signature).then((ok) => expect(ok).toBe(true)),
        worker.verify(digest, other, pub, signature).then((ok) => expect(ok).toBe(false)),
        worker.verify(digest, data, pub, Buffer.alloc(signature.length)).then((ok) => expect(ok).toBe(false)),
      ];
    });
    // A key of the wrong type for the options: false, not a rejection.
    checks.push(worker.verify('sha256', data, ES(rsa.publicKey), Buffer.alloc(64)).then((ok) => expect(ok).toBe(false)));
    await Promise.all(checks);
    expect(worker.counts.inline).toBe(0);
    expect(worker.counts.batches).toBe(1);
  });

  it('tells the worker to forget its keys past maxWorkerKeys, and still uses the right ones', async () => {
    worker = new CryptoWorker(256, 3);
    const keys = Array.from({ length: 5 }, () => generateKeyPairSync('ec', { namedCurve: 'P-256' }));
    const refs = keys.map((k) => worker.key(ES(k.privateKey)));
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < keys.length; i++) {
        const signature = await worker.sign(refs[i], `k.${i}`);
        expect(verify('sha256', Buffer.from(`k.${i}`), ES(keys[i].publicKey), Buffer.from(signature, 'base64url'))).toBe(true);
      }
    }
    expect(worker.counts.keyResets).toBeGreaterThan(0);
  });

  it('when the worker dies holding a batch, what it held is done on the event loop and a new worker takes the next', async () => {
    worker = new CryptoWorker();
    const es = worker.key(ES(ec.privateKey));
    expect(verifies('ES256', 'a.b', await worker.sign(es, 'a.b'))).toBe(true);
    // The worker fails while it holds the next batch: dispatched (the end-of-turn flush is a setImmediate, and this
    // one runs after it in the same check phase, before any answer can arrive), then its 'error' event, as Node emits
    // for a worker that threw. (Terminating it instead raced: under load its exit could come before the flush, and
    // the batch then went to a new worker.)
    const lane = (worker as unknown as { lanes: { worker: Worker; inFlight: unknown }[] }).lanes[0];
    const pending = worker.sign(es, 'c.d');
    await new Promise((resolve) => setImmediate(resolve));
    expect(lane.inFlight).not.toBeNull();
    const dead = lane.worker;
    dead.emit('error', new Error('test: the worker died'));
    await dead.terminate();
    expect(verifies('ES256', 'c.d', await pending)).toBe(true);
    expect(worker.counts.inline).toBe(1);
    expect(verifies('ES256', 'e.f', await worker.sign(es, 'e.f'))).toBe(true);
    expect(worker.counts.inline).toBe(1);
    expect(worker.counts.batches).toBe(3);
  });

  it('stops starting workers after three lost in a row, and keeps signing on the event loop', async () => {
    worker = new CryptoWorker();
    const es = worker.key(ES(ec.privateKey));
    const lanes = (worker as unknown as { lanes: { worker: { terminate(): Promise<number> } | null }[] }).lanes;
    for (let i = 0; i < 3; i++) {
      // A new worker each time, stopped before it can answer (it is not even running yet). The batch leaves at the
      // end of the turn it was asked for in: one setImmediate later.
      const pending = worker.sign(es, `lost.${i}`);
      await new Promise((r) => setImmediate(r));
      await lanes[0].worker!.terminate();
      expect(verifies('ES256', `lost.${i}`, await pending)).toBe(true);
    }
    expect(worker.counts.batches).toBe(3);
    expect(worker.counts.inline).toBe(3);
    expect(verifies('ES256', 'after', await worker.sign(es, 'after'))).toBe(true);
    expect(lanes[0].worker).toBeNull();
    expect(worker.counts.batches).toBe(3);
    expect(worker.counts.inline).toBe(4);
  });

  it('a signature the key cannot make is a rejection, not a hang', async () => {
    worker = new CryptoWorker();
    // An EC public key where a private key belongs: the worker fails it, the retry here throws.
    const wrong = worker.key(ES(ec.publicKey));
    await expect(worker.sign(wrong, 'x.y')).rejects.toThrow();
    const es = worker.key(ES(ec.privateKey));
    expect(verifies('ES256', 'x.y', await worker.sign(es, 'x.y'))).toBe(true);
  });

  it('after close, work is still done (on the event loop)', async () => {
    worker = new CryptoWorker();
    const es = worker.key(ES(ec.privateKey));
    await worker.close();
    expect(verifies('ES256', 'g.h', await worker.sign(es, 'g.h'))).toBe(true);
    const signature = sign('sha256', Buffer.from('g.h'), ES(ec.privateKey));
    await expect(worker.verify('sha256', Buffer.from('g.h'), ES(ec.publicKey), signature)).resolves.toBe(true);
    expect(worker.counts.inline).toBe(2);
  });

  it('a script that only awaits a signature gets it before the process exits (the worker holds it up while busy)', () => {
    const modulePath = path.resolve(import.meta.dirname, 'crypto-worker.ts');
    const code = `
      import { generateKeyPairSync } from 'node:crypto';
      import { cryptoWorker } from ${JSON.stringify(modulePath)};
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const w = cryptoWorker();
      const ref = w.key({ key: privateKey, dsaEncoding: 'ieee-p1363' });
      // The second is asked for when the worker is idle (unreferenced) and nothing else keeps the process alive.
      w.sign(ref, 'a.b')
        .then(() => w.sign(ref, 'c.d'))
        .then((s) => console.log('signed', s.length, w.counts.batches, w.counts.inline));`;
    // TOKEN_CRYPTO_INLINE_MAX=0: both to the worker (by default a batch of one is signed on the event loop).
    const r = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', code], {
      encoding: 'utf8',
      timeout: 30_000,
      env: { ...process.env, TOKEN_CRYPTO_INLINE_MAX: '0' },
    });
    expect(r.stderr).toBe('');
    // 64 bytes of r||s in base64url; signed by the worker (two batches), not on the event loop.
    expect(r.stdout.trim()).toBe('signed 86 2 0');
    // ...and then the process exits by itself: an idle worker holds nothing up.
    expect(r.status).toBe(0);
    expect(r.signal).toBeNull();
  });
  it('does a small batch on the event loop (inlineMax) and sends a larger one to the worker, each answer its own', async () => {
    worker = new CryptoWorker(256, 4096, 1, 2);
    const es = worker.key(ES(ec.privateKey));
    const rs = worker.key(rsa.privateKey);
    // Two in one turn: both here, no message.
    const two = await Promise.all([worker.sign(es, 'small.1'), worker.sign(rs, 'small.2')]);
    expect(verifies('ES256', 'small.1', two[0])).toBe(true);
    expect(verifies('RS256', 'small.2', two[1])).toBe(true);
    expect(worker.counts).toMatchObject({ batches: 0, direct: 2, inline: 0 });
    // Three in one turn: one message.
    const inputs = ['big.1', 'big.2', 'big.3'];
    const three = await Promise.all(inputs.map((input) => worker.sign(es, input)));
    inputs.forEach((input, i) => expect(verifies('ES256', input, three[i])).toBe(true));
    expect(worker.counts).toMatchObject({ batches: 1, jobs: 3, direct: 2, inline: 0 });
    // Checks the same way: true only for the right data.
    const signature = sign('sha256', Buffer.from('v.w'), ES(ec.privateKey));
    const checks = await Promise.all([
      worker.verify('sha256', Buffer.from('v.w'), ES(ec.publicKey), signature),
      worker.verify('sha256', Buffer.from('v.x'), ES(ec.publicKey), signature),
    ]);
    expect(checks).toEqual([true, false]);
    expect(worker.counts).toMatchObject({ batches: 1, direct: 4 });
    // A key that cannot sign: still a rejection when done here.
    await expect(worker.sign(worker.key(ES(ec.publicKey)), 'x.y')).rejects.toThrow();
  });

  it('checks Buffers that are views into a shared pool with their own bytes only (what is sent is an exact copy)', async () => {
    worker = new CryptoWorker();
    // Buffer.from of a short string is a slice of Node's 8 KB pool: other bytes sit around it.
    const data = Buffer.from('pooled.data');
    const signature = sign('sha256', data, ES(ec.privateKey));
    const pooledSignature = Buffer.from(signature.toString('base64url'), 'base64url');
    expect(data.buffer.byteLength).toBeGreaterThan(data.byteLength);
    await expect(worker.verify('sha256', data, ES(ec.publicKey), pooledSignature)).resolves.toBe(true);
    await expect(worker.verify('sha256', Buffer.from('pooled.datb'), ES(ec.publicKey), pooledSignature)).resolves.toBe(false);
    expect(worker.counts.batches).toBe(2);
  });

  it('reads TOKEN_CRYPTO_INLINE_MAX: a whole number of 0 or more or `all`, else the default for the cores (all on one core, else 4)', () => {
    expect(inlineMaxFromEnv('0', 8)).toBe(0);
    expect(inlineMaxFromEnv('8', 2)).toBe(8);
    expect(inlineMaxFromEnv('all', 8)).toBe(Infinity);
    expect(inlineMaxFromEnv(' ALL ', 8)).toBe(Infinity);
    // One core: everything on the event loop; two or more: batches of more than 4 go to the worker.
    expect(inlineMaxFromEnv(undefined, 1)).toBe(Infinity);
    expect(inlineMaxFromEnv(undefined, 2)).toBe(4);
    expect(inlineMaxFromEnv(undefined, 4)).toBe(4);
    expect(inlineMaxFromEnv('', 8)).toBe(4);
    expect(inlineMaxFromEnv('-1', 8)).toBe(4);
    expect(inlineMaxFromEnv('two', 2)).toBe(4);
    expect(inlineMaxFromEnv('two', 1)).toBe(Infinity);
  });

  it('with inlineMax Infinity signs and checks at once on the event loop: no worker, no batch', async () => {
    worker = new CryptoWorker(256, 4096, 1, Infinity);
    expect(worker.direct).toBe(true);
    const es = worker.key(ES(ec.privateKey));
    const rs = worker.key(rsa.privateKey);
    const [a, b] = await Promise.all([worker.sign(es, 'now.1'), worker.sign(rs, 'now.2')]);
    expect(verifies('ES256', 'now.1', a)).toBe(true);
    expect(verifies('RS256', 'now.2', b)).toBe(true);
    const signature = sign('sha256', Buffer.from('v.w'), ES(ec.privateKey));
    await expect(worker.verify('sha256', Buffer.from('v.w'), ES(ec.publicKey), signature)).resolves.toBe(true);
    await expect(worker.verify('sha256', Buffer.from('v.x'), ES(ec.publicKey), signature)).resolves.toBe(false);
    // A malformed signature is a refusal, not a throw; a key that cannot sign is a rejection.
    await expect(worker.verify('sha256', Buffer.from('v.w'), ES(ec.publicKey), Buffer.from('short'))).resolves.toBe(false);
    await expect(worker.sign(worker.key(ES(ec.publicKey)), 'x.y')).rejects.toThrow();
    expect(worker.counts).toMatchObject({ batches: 0, jobs: 0, direct: 6, inline: 0 });
  });
});

