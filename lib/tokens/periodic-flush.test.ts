import { describe, expect, it } from 'vitest';
import { PeriodicFlush } from './periodic-flush';

/** Counts per key, like the usage recorder: a failed write puts its counts back. */
class Counter extends PeriodicFlush<Map<string, number>> {
  pending = new Map<string, number>();
  written: [string, number][][] = [];
  failNext = false;
  inWrite = 0;
  maxInWrite = 0;

  constructor() {
    super('[test] writing counts');
  }

  add(key: string) {
    this.pending.set(key, (this.pending.get(key) ?? 0) + 1);
  }

  protected take() {
    if (this.pending.size === 0) return null;
    const batch = this.pending;
    this.pending = new Map();
    return batch;
  }

  protected restore(batch: Map<string, number>) {
    for (const [k, n] of batch) this.pending.set(k, (this.pending.get(k) ?? 0) + n);
  }

  protected async write(batch: Map<string, number>) {
    this.inWrite++;
    this.maxInWrite = Math.max(this.maxInWrite, this.inWrite);
    await new Promise((r) => setTimeout(r, 5));
    this.inWrite--;
    if (this.failNext) {
      this.failNext = false;
      throw new Error('database down');
    }
    this.written.push([...batch]);
  }
}

describe('PeriodicFlush (last used, usage, federated failures)', () => {
  it('writes nothing when nothing is pending', async () => {
    const c = new Counter();
    await c.flush();
    expect(c.written).toEqual([]);
  });

  it('puts a failed batch back, and the next flush writes it with what came meanwhile', async () => {
    const c = new Counter();
    c.add('a');
    c.add('a');
    c.failNext = true;
    await expect(c.flush()).rejects.toThrow('database down');
    c.add('a');
    c.add('b');
    await c.flush();
    expect(c.written).toEqual([[['a', 3], ['b', 1]]]);
  });

  it('runs one write at a time: a flush during a flush waits for it, then writes what is left', async () => {
    const c = new Counter();
    c.add('a');
    const first = c.flush();
    c.add('b');
    const second = c.flush();
    await Promise.all([first, second]);
    expect(c.maxInWrite).toBe(1);
    expect(c.written).toEqual([[['a', 1]], [['b', 1]]]);
  });
});
