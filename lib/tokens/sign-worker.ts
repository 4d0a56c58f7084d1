import { sign, type KeyObject } from 'node:crypto';
import { Worker } from 'node:worker_threads';
import type { SigningAlg } from './config';

/**
 * Token signatures, computed on a worker thread in batches (group commit, as lib/tokens/client-assertion.ts does for
 * jtis): while one batch is being signed, the signing inputs that arrive meanwhile wait and go together in the next
 * message. Measured on 2 cores under load, one libuv thread-pool job per signature (crypto.sign with a callback) cost
 * the event loop about a quarter of its time in the hand-off alone (waking a pool thread per token); a batch costs
 * one message each way however many tokens it holds, and the event loop does nothing but build the input.
 *
 * The worker is a thread of this process (the private key never leaves it) and does not keep the process alive.
 * If it cannot start or dies, what it held is signed on the event loop instead, and a new worker is started for the
 * next batch.
 */

type Job = { keyRef: KeyRef; input: string; resolve: (signature: string) => void; reject: (err: Error) => void };
/** A signing key as the worker knows it: sent once per worker, then named by `id`. */
type KeyRef = { id: number; alg: SigningAlg; key: KeyObject };
type Batch = { seq: number; jobs: Job[] };

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { sign } = require('node:crypto');
const keys = new Map();
parentPort.on('message', (m) => {
  for (const k of m.keys) keys.set(k.id, k.alg === 'ES256' ? { key: k.key, dsaEncoding: 'ieee-p1363' } : k.key);
  const out = new Array(m.inputs.length);
  for (let i = 0; i < m.inputs.length; i++) {
    try {
      out[i] = sign('sha256', Buffer.from(m.inputs[i]), keys.get(m.keyIds[i])).toString('base64url');
    } catch (err) {
      out[i] = null;
    }
  }
  parentPort.postMessage({ seq: m.seq, out });
});
`;

function signInline(job: Job): string {
  const options = job.keyRef.alg === 'ES256' ? { key: job.keyRef.key, dsaEncoding: 'ieee-p1363' as const } : job.keyRef.key;
  return sign('sha256', Buffer.from(job.input), options).toString('base64url');
}

function settleInline(job: Job) {
  try {
    job.resolve(signInline(job));
  } catch (err) {
    job.reject(err as Error);
  }
}

export class BatchSigner {
  private worker: Worker | null = null;
  /** Key ids the current worker has been sent. */
  private workerKeys = new Set<number>();
  private inFlight: Batch | null = null;
  private queue: Job[] = [];
  private seq = 0;
  private nextKeyId = 1;
  private closed = false;
  /** Tests: how many batches went to the worker, and how many signatures fell back to the event loop. */
  readonly counts = { batches: 0, inline: 0 };

  constructor(private readonly maxBatch = 256) {}

  /** A handle for one private key; pass it to sign(). */
  key(alg: SigningAlg, key: KeyObject): KeyRef {
    return { id: this.nextKeyId++, alg, key };
  }

  /** The base64url signature of `input` (the JWS signing input) under `keyRef`. */
  sign(keyRef: KeyRef, input: string): Promise<string> {
    return new Promise((resolve, reject) => {
      this.queue.push({ keyRef, input, resolve, reject });
      if (!this.inFlight) this.dispatch();
    });
  }

  /** Stop the worker; later signatures are computed on the event loop. */
  async close() {
    this.closed = true;
    const worker = this.worker;
    this.worker = null;
    this.failBatch();
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker | null {
    if (this.worker || this.closed) return this.worker;
    try {
      const worker = new Worker(WORKER_SOURCE, { eval: true, name: 'token-signer' });
      worker.unref();
      worker.on('message', (m: { seq: number; out: (string | null)[] }) => this.onResult(worker, m));
      const lost = (err?: Error) => {
        if (this.worker !== worker) return;
        if (err) console.error('[tokens] the signing worker failed, restarting it:', err.message);
        this.worker = null;
        this.failBatch();
      };
      worker.on('error', lost);
      worker.on('exit', () => lost());
      this.worker = worker;
      this.workerKeys = new Set();
      return worker;
    } catch (err) {
      console.error('[tokens] could not start the signing worker, signing on the event loop:', (err as Error).message);
      return null;
    }
  }

  private dispatch() {
    if (this.queue.length === 0) return;
    const jobs = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
    this.queue = jobs === this.queue ? [] : this.queue.slice(this.maxBatch);
    const worker = this.ensureWorker();
    if (!worker) {
      this.counts.inline += jobs.length;
      for (const job of jobs) settleInline(job);
      if (this.queue.length) this.dispatch();
      return;
    }
    const keys: { id: number; alg: SigningAlg; key: KeyObject }[] = [];
    for (const { keyRef } of jobs) {
      if (this.workerKeys.has(keyRef.id)) continue;
      this.workerKeys.add(keyRef.id);
      keys.push(keyRef);
    }
    const seq = ++this.seq;
    this.inFlight = { seq, jobs };
    this.counts.batches += 1;
    try {
      worker.postMessage({ seq, keys, inputs: jobs.map((j) => j.input), keyIds: jobs.map((j) => j.keyRef.id) });
    } catch (err) {
      console.error('[tokens] handing signatures to the worker failed:', (err as Error).message);
      this.failBatch();
    }
  }

  private onResult(worker: Worker, m: { seq: number; out: (string | null)[] }) {
    const batch = this.inFlight;
    if (worker !== this.worker || !batch || batch.seq !== m.seq) return;
    this.inFlight = null;
    for (let i = 0; i < batch.jobs.length; i++) {
      const signature = m.out[i];
      if (typeof signature === 'string') batch.jobs[i].resolve(signature);
      else settleInline(batch.jobs[i]); // the same call again, here: its error (if any) is the caller's
    }
    this.dispatch();
  }

  /** The worker is gone: what it held is signed here, then the queue goes on (to a new worker). */
  private failBatch() {
    const batch = this.inFlight;
    this.inFlight = null;
    if (batch) {
      this.counts.inline += batch.jobs.length;
      for (const job of batch.jobs) settleInline(job);
    }
    if (this.queue.length) this.dispatch();
  }
}

/** One per process: every signer (access tokens, ID tokens, each key) shares the worker. */
let shared: BatchSigner | null = null;
export function batchSigner(): BatchSigner {
  shared ??= new BatchSigner();
  return shared;
}
