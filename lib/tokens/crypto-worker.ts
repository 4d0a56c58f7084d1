import { KeyObject, sign, verify } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';

/**
 * Token signatures and signature checks (access tokens at introspection, client assertions), computed on a worker
 * thread in batches, group commit as lib/tokens/client-assertion.ts does for jtis: while one batch is being worked
 * on, what arrives meanwhile waits and goes together in the next message. Measured on 2 cores under load, one libuv
 * thread-pool job per signature (crypto.sign with a callback) cost the event loop about a quarter of its time in the
 * hand-off alone (waking a pool thread per token); a batch costs one message each way however many it holds.
 *
 * What arrives during one turn of the event loop is collected and handed over once, at the end of that turn
 * (setImmediate), so the requests read together share one message. A message each way costs about 50 us of CPU
 * (structured clone, waking the other thread and being woken), more than an ES256 signature itself (about 35 us here):
 * a batch of `inlineMax` jobs or fewer is done on the event loop instead, and only a real queue goes to the worker
 * (bench:token measured the hot client at 0.76 x the floor with every signature sent over, most batches of one or two).
 *
 * The worker is a thread of this process (private keys never leave it) and keeps the process alive only while it
 * holds work. If it cannot start or dies, what it held is done on the event loop instead, and a new worker takes the
 * next batch.
 */

/** What node:crypto's sign/verify take as the key: a KeyObject, or one with dsaEncoding / padding options. */
export type KeyOptions = KeyObject | { key: KeyObject; dsaEncoding?: 'ieee-p1363' | 'der'; padding?: number; saltLength?: number };
/** A key as the worker knows it: sent to a worker once, then named by `id`. */
export type KeyRef = { id: number; options: KeyOptions };

type SignJob = { kind: 'sign'; keyRef: KeyRef; input: string; resolve: (signature: string) => void; reject: (err: Error) => void };
type VerifyJob = {
  kind: 'verify';
  keyRef: KeyRef;
  digest: string | null;
  data: Buffer;
  signature: Buffer;
  resolve: (ok: boolean) => void;
};
type Job = SignJob | VerifyJob;
type Batch = { seq: number; jobs: Job[] };
type Result = { seq: number; out: (string | boolean | null)[] };

/** Workers that fail to start or die this many times in a row, with no batch answered between: stop starting them. */
const MAX_WORKER_FAILURES = 3;

const WORKER_SOURCE = `
const { parentPort } = require('node:worker_threads');
const { sign, verify } = require('node:crypto');
const keys = new Map();
parentPort.on('message', (m) => {
  if (m.reset) keys.clear();
  for (const k of m.keys) keys.set(k.id, k.options);
  const out = new Array(m.ops.length);
  // Results are strings and booleans: a small message back.
  for (let i = 0; i < m.ops.length; i++) {
    const op = m.ops[i];
    try {
      out[i] = op.kind === 'sign'
        ? sign('sha256', Buffer.from(op.input), keys.get(op.keyId)).toString('base64url')
        : verify(op.digest, op.data, keys.get(op.keyId), op.signature);
    } catch (err) {
      out[i] = null;
    }
  }
  parentPort.postMessage({ seq: m.seq, out });
});
`;

/** The same work on the event loop: the fallback, and what settles a job the worker could not do. */
function settleHere(job: Job) {
  if (job.kind === 'verify') {
    let ok = false;
    try {
      ok = verify(job.digest, job.data, job.keyRef.options, job.signature);
    } catch {
      ok = false;
    }
    job.resolve(ok);
    return;
  }
  try {
    job.resolve(sign('sha256', Buffer.from(job.input), job.keyRef.options).toString('base64url'));
  } catch (err) {
    job.reject(err as Error);
  }
}

/**
 * A Buffer that owns exactly its bytes. A Buffer made from a short string is a view into Node's shared 8 KB pool, and
 * a message clones a view's whole underlying ArrayBuffer: 8 KB per Buffer instead of its few hundred bytes.
 */
function exact(buf: Buffer): Uint8Array {
  return buf.byteOffset === 0 && buf.byteLength === buf.buffer.byteLength ? buf : Uint8Array.prototype.slice.call(buf);
}

/** One worker thread and the batch it holds. */
type Lane = { worker: Worker | null; keys: Set<number>; inFlight: Batch | null };

export class CryptoWorker {
  private readonly lanes: Lane[];
  private queue: Job[] = [];
  private seq = 0;
  private nextKeyId = 1;
  private closed = false;
  /** A flush of the queue is scheduled for the end of this turn of the event loop. */
  private scheduled = false;
  /** Workers lost since the last batch a worker answered (MAX_WORKER_FAILURES: everything on the event loop from then). */
  private failures = 0;
  /** Verification keys by KeyObject and algorithm options, so each gets one id. */
  private readonly verifyRefs = new WeakMap<KeyObject, Map<string, KeyRef>>();
  /**
   * Batches sent to workers and the jobs they held; `direct`: jobs done on the event loop because their turn's batch was
   * small (inlineMax); `inline`: jobs done on the event loop because no worker could take them; key resets.
   */
  readonly counts = { batches: 0, jobs: 0, direct: 0, inline: 0, keyResets: 0 };

  /**
   * `maxWorkerKeys`: keys a worker may hold before it is told to forget them all (client keys come and go).
   * `workers`: threads, each with one batch in flight.
   * `inlineMax`: a turn's batch of this many jobs or fewer is done on the event loop (0: everything to the worker).
   */
  constructor(
    private readonly maxBatch = 256,
    private readonly maxWorkerKeys = 4096,
    workers = 1,
    private readonly inlineMax = 0,
  ) {
    this.lanes = Array.from({ length: Math.max(1, workers) }, () => ({ worker: null, keys: new Set<number>(), inFlight: null }));
  }

  /** A handle for a key (with its signature options); pass it to sign(). */
  key(options: KeyOptions): KeyRef {
    return { id: this.nextKeyId++, options };
  }

  /**
   * Everything on the event loop, at once: no queue, no end-of-turn hand-off (inlineMax Infinity: TOKEN_CRYPTO_INLINE_MAX
   * `all`, the default on a single core, where a worker could only take turns with the event loop).
   */
  get direct(): boolean {
    return this.inlineMax === Infinity;
  }

  /** The base64url signature (sha256) of `input` under `keyRef`. */
  sign(keyRef: KeyRef, input: string): Promise<string> {
    if (this.direct) {
      this.counts.direct += 1;
      try {
        return Promise.resolve(sign('sha256', Buffer.from(input), keyRef.options).toString('base64url'));
      } catch (err) {
        return Promise.reject(err as Error);
      }
    }
    return new Promise((resolve, reject) => this.enqueue({ kind: 'sign', keyRef, input, resolve, reject }));
  }

  /** crypto.verify(digest, data, options, signature) on the worker; false for anything that does not verify. */
  verify(digest: string | null, data: Buffer, options: KeyOptions, signature: Buffer): Promise<boolean> {
    if (this.direct) {
      this.counts.direct += 1;
      try {
        return Promise.resolve(verify(digest, data, options, signature));
      } catch {
        return Promise.resolve(false);
      }
    }
    const key = options instanceof KeyObject ? options : options.key;
    const variant = options instanceof KeyObject ? '' : `${options.dsaEncoding}|${options.padding}|${options.saltLength}`;
    let refs = this.verifyRefs.get(key);
    if (!refs) this.verifyRefs.set(key, (refs = new Map()));
    let keyRef = refs.get(variant);
    if (!keyRef) refs.set(variant, (keyRef = this.key(options)));
    return new Promise((resolve) => this.enqueue({ kind: 'verify', keyRef, digest, data, signature, resolve }));
  }

  /** Stop the workers; later work is done on the event loop. */
  async close() {
    this.closed = true;
    const stopping: Promise<number>[] = [];
    for (const lane of this.lanes) {
      const worker = lane.worker;
      lane.worker = null;
      this.failBatch(lane);
      if (worker) stopping.push(worker.terminate());
    }
    await Promise.all(stopping);
  }

  private enqueue(job: Job) {
    this.queue.push(job);
    if (!this.scheduled) {
      this.scheduled = true;
      setImmediate(this.flushQueue);
    }
  }

  /**
   * The end of a turn: a small batch is done here; a larger one goes to an idle worker, or waits for the busy one
   * (whose answer sends what waited, onResult).
   */
  private readonly flushQueue = () => {
    this.scheduled = false;
    if (this.queue.length === 0) return;
    if (this.queue.length <= this.inlineMax) {
      const jobs = this.queue;
      this.queue = [];
      this.counts.direct += jobs.length;
      for (const job of jobs) settleHere(job);
      return;
    }
    for (const lane of this.lanes) {
      if (this.queue.length === 0) break;
      if (!lane.inFlight) this.dispatch(lane);
    }
  };

  private ensureWorker(lane: Lane): Worker | null {
    if (lane.worker || this.closed) return lane.worker;
    try {
      // execArgv: none of this process's flags (--import tsx, --input-type=module would make the source ESM).
      const worker = new Worker(WORKER_SOURCE, { eval: true, name: 'token-crypto', execArgv: [] });
      worker.on('message', (m: Result) => this.onResult(lane, worker, m));
      const lost = (err?: Error) => {
        if (lane.worker !== worker) return;
        lane.worker = null;
        this.failures += 1;
        if (this.failures >= MAX_WORKER_FAILURES) {
          // A worker that cannot run here (e.g. threads refused) would otherwise be started again for every batch.
          this.closed = true;
          console.error(`[tokens] the crypto worker failed ${this.failures} times in a row; signing on the event loop from now on:`, err?.message ?? 'exited');
        } else if (err) {
          console.error('[tokens] the crypto worker failed, restarting it:', err.message);
        }
        this.failBatch(lane);
      };
      worker.on('error', lost);
      worker.on('exit', () => lost());
      // After the listeners (adding a 'message' listener refs the worker again): idle, it holds nothing up.
      worker.unref();
      lane.worker = worker;
      lane.keys = new Set();
      return worker;
    } catch (err) {
      console.error('[tokens] could not start the crypto worker, working on the event loop:', (err as Error).message);
      return null;
    }
  }

  private dispatch(lane: Lane) {
    if (this.queue.length === 0) return;
    const jobs = this.queue.length <= this.maxBatch ? this.queue : this.queue.slice(0, this.maxBatch);
    this.queue = jobs === this.queue ? [] : this.queue.slice(this.maxBatch);
    const worker = this.ensureWorker(lane);
    if (!worker) {
      this.counts.inline += jobs.length;
      for (const job of jobs) settleHere(job);
      if (this.queue.length) this.dispatch(lane);
      return;
    }
    const reset = lane.keys.size + jobs.length > this.maxWorkerKeys;
    if (reset) {
      lane.keys.clear();
      this.counts.keyResets += 1;
    }
    const keys: { id: number; options: KeyOptions }[] = [];
    const ops = jobs.map((job) => {
      if (!lane.keys.has(job.keyRef.id)) {
        lane.keys.add(job.keyRef.id);
        keys.push({ id: job.keyRef.id, options: job.keyRef.options });
      }
      return job.kind === 'sign'
        ? { kind: 'sign', keyId: job.keyRef.id, input: job.input }
        : { kind: 'verify', keyId: job.keyRef.id, digest: job.digest, data: exact(job.data), signature: exact(job.signature) };
    });
    const seq = ++this.seq;
    lane.inFlight = { seq, jobs };
    this.counts.batches += 1;
    this.counts.jobs += jobs.length;
    try {
      worker.postMessage({ seq, reset, keys, ops });
      // Kept alive while it holds work (a script awaiting a signature must not exit first); idle, it holds nothing up.
      worker.ref();
    } catch (err) {
      console.error('[tokens] handing work to the crypto worker failed:', (err as Error).message);
      this.failBatch(lane);
    }
  }

  private onResult(lane: Lane, worker: Worker, m: Result) {
    const batch = lane.inFlight;
    if (worker !== lane.worker || !batch || batch.seq !== m.seq) return;
    lane.inFlight = null;
    this.failures = 0;
    worker.unref();
    for (let i = 0; i < batch.jobs.length; i++) {
      const job = batch.jobs[i];
      const out = m.out[i];
      if (job.kind === 'verify') job.resolve(out === true);
      else if (typeof out === 'string') job.resolve(out);
      else settleHere(job); // the same call again, here: its error is the caller's
    }
    // What waited for this worker; a small rest is left to the flush already scheduled for this turn.
    if (this.queue.length > this.inlineMax || !this.scheduled) this.dispatch(lane);
  }

  /** The worker is gone: what it held is done here, then the queue goes on (to a new worker). */
  private failBatch(lane: Lane) {
    const batch = lane.inFlight;
    lane.inFlight = null;
    if (batch) {
      this.counts.inline += batch.jobs.length;
      for (const job of batch.jobs) settleHere(job);
    }
    if (this.queue.length) this.dispatch(lane);
  }
}

/**
 * A turn's batch of this many jobs or fewer is done on the event loop by the shared worker (TOKEN_CRYPTO_INLINE_MAX:
 * a whole number, 0 sends everything to the worker thread; `all`: no worker, every signature at once on the event
 * loop). Default: 4, and `all` on a single core (a worker could only take turns with the event loop).
 * Measured with bench:token on 2 cores (2026-12-06, paired rounds against `all`): 1.65 to 1.8 x the throughput in the
 * secret cases and 60 to 80 us less CPU per request (hot client 140 against 223 us), 1.1 to 1.2 x for private_key_jwt,
 * DPoP and introspection, the same for federated credentials. A P-256 signature on the event loop runs with caches
 * full of the request's own work, and evicts what the next request needs (timed inside the server: 57 to 62 us,
 * against 26 to 30 us in a tight loop, which is what a batch on the worker is). An earlier machine (2026-12-05)
 * measured the opposite, before the access log stopped costing 14% of the event loop in GC; re-measure with
 * `BENCH_VARIANT_ENV='{"TOKEN_CRYPTO_INLINE_MAX":"all"}'`.
 */
export function inlineMaxFromEnv(value = process.env.TOKEN_CRYPTO_INLINE_MAX, cores = availableParallelism()): number {
  const fallback = cores <= 1 ? Infinity : 4;
  if (value === undefined || value.trim() === '') return fallback;
  if (value.trim().toLowerCase() === 'all') return Infinity;
  const n = Number(value);
  return Number.isInteger(n) && n >= 0 ? n : fallback;
}

/** One per process: every signer and verifier shares the worker. */
let shared: CryptoWorker | null = null;
export function cryptoWorker(): CryptoWorker {
  shared ??= new CryptoWorker(256, 4096, 1, inlineMaxFromEnv());
  return shared;
}
