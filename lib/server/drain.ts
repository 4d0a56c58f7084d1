import type { Server, ServerResponse } from 'node:http';

/**
 * Graceful shutdown of HTTP servers: stop accepting connections, let the requests in progress finish (bounded), close
 * keep-alive connections as soon as they are idle, and cut whatever is still open when the bound is reached.
 */
export class Drain {
  private readonly active = new Set<ServerResponse>();
  private draining = false;
  private idle: (() => void) | null = null;
  private servers: Server[] = [];

  /** Call for every request: it counts as in progress until its response is finished or its connection closed. */
  track(res: ServerResponse) {
    this.enter(res);
    res.once('close', () => this.leave(res));
  }

  /** track() in two halves, for a server that has its own 'close' listener: call leave() from it. */
  enter(res: ServerResponse) {
    this.active.add(res);
    if (this.draining && !res.headersSent) res.setHeader('Connection', 'close');
  }

  leave(res: ServerResponse) {
    this.active.delete(res);
    if (!this.draining) return;
    // Its keep-alive connection is idle now: close it rather than wait for the client.
    for (const s of this.servers) s.closeIdleConnections();
    if (this.active.size === 0) this.idle?.();
  }

  get inProgress(): number {
    return this.active.size;
  }

  /** Resolves once every request has finished, or after `timeoutMs` with the number cut off. */
  async drain(servers: Server[], timeoutMs: number): Promise<{ cutOff: number }> {
    this.draining = true;
    this.servers = servers;
    for (const res of this.active) if (!res.headersSent) res.setHeader('Connection', 'close');
    const closed = servers.map((s) => new Promise<void>((resolve) => s.close(() => resolve())));
    for (const s of servers) s.closeIdleConnections();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutMs);
    });
    const finished = this.active.size === 0 ? Promise.resolve() : new Promise<void>((resolve) => (this.idle = resolve));
    const outcome = await Promise.race([finished.then(() => 'done' as const), timedOut]);
    const cutOff = outcome === 'timeout' ? this.active.size : 0;
    for (const s of servers) s.closeAllConnections();
    await Promise.race([Promise.all(closed), timedOut]);
    clearTimeout(timer);
    return { cutOff };
  }
}
