/**
 * What the token path records without a database write per request ("last used" stamps, usage counts, federated
 * failures): the subclass collects in memory; `write` stores a batch every `intervalMs` (start) and once more at
 * shutdown (flush). One flush at a time; a batch that failed to be written goes back through `restore` for the next
 * attempt (by default it is dropped).
 */
export abstract class PeriodicFlush<Batch> {
  private timer: NodeJS.Timeout | null = null;
  private flushing: Promise<void> | null = null;

  /** `what`: the log line's start when a timed flush fails, e.g. "[tokens] writing last-used stamps". */
  constructor(private readonly what: string) {}

  /** What is pending, now taken (collecting starts anew), or null when there is nothing to write. */
  protected abstract take(): Batch | null;

  protected abstract write(batch: Batch): Promise<void>;

  /** Put back a batch whose write failed (optional: without it the batch is dropped). */
  protected restore?(batch: Batch): void;

  start(intervalMs: number) {
    this.timer ??= setInterval(() => {
      this.flush().catch((err) => console.error(`${this.what} failed:`, (err as Error).message));
    }, intervalMs);
    this.timer.unref();
  }

  stop() {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Write everything pending (after a flush in progress). Rejects when the write failed. */
  async flush(): Promise<void> {
    if (this.flushing) await this.flushing;
    const batch = this.take();
    if (batch === null) return;
    this.flushing = this.write(batch)
      .catch((err) => {
        this.restore?.(batch);
        throw err;
      })
      .finally(() => {
        this.flushing = null;
      });
    return this.flushing;
  }
}
