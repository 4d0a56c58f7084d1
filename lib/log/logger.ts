import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

/**
 * The process's logger (pino): one JSON line per event on stdout, with `time` (ISO 8601), `level` (a name) and `msg`,
 * plus `requestId` for anything logged while a request is handled. LOG_FORMAT=pretty prints readable lines instead
 * (pino-pretty, for development); LOG_LEVEL (default info) sets the least level written.
 * Lines are gathered into 4 KB writes (LineBatcher below: well under a microsecond a line on the request's path) and
 * what is pending is written when the process exits.
 */
export type LogFields = Record<string, unknown>;

/** What lines logged while a request is handled carry (server.ts runs each request inside it). */
export type RequestContext = { requestId: string };

type Holder = { logger?: Logger; context?: AsyncLocalStorage<RequestContext> };
// On globalThis: server.ts and Next's compiled server code are two module graphs in one process.
const holder = ((globalThis as Record<string, unknown>).__tscLog ??= {}) as Holder;

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;

function createLogger(env: Record<string, string | undefined> = process.env): Logger {
  const wanted = (env.LOG_LEVEL || 'info').trim().toLowerCase();
  const level = (LOG_LEVELS as readonly string[]).includes(wanted) ? wanted : 'info';
  const options: pino.LoggerOptions = {
    level,
    base: undefined, // no pid/hostname on every line: the process manager knows them
    timestamp: pino.stdTimeFunctions.isoTime,
    formatters: { level: (label) => ({ level: label }) },
    messageKey: 'msg',
    mixin: () => {
      const ctx = holder.context?.getStore();
      return ctx ? { requestId: ctx.requestId } : {};
    },
  };
  if ((env.LOG_FORMAT || '').trim().toLowerCase() === 'pretty') {
    return pino({
      ...options,
      transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname', singleLine: true } },
    });
  }
  // Lines gather up to 4 KB (or 100 ms) and go out in one synchronous write() to fd 1 (pino's default for stdout): one
  // call per dozens of token requests, no thread-pool hand-off, and never a write in flight, so the order of lines
  // holds and nothing is lost when the process exits. (An asynchronous destination wrote the last chunks at exit
  // while an earlier one was still in flight: lines out of order, seen in CI.)
  return pino(options, new LineBatcher(pino.destination({ dest: 1, sync: true, minLength: 0 }), LINE_BUFFER_BYTES, LINE_FLUSH_MS));
}
const LINE_BUFFER_BYTES = 4096;
const LINE_FLUSH_MS = 100;

type Destination = ReturnType<typeof pino.destination>;

/**
 * Lines gathered into one string of about `minLength` characters before they reach pino's destination (sonic-boom).
 * sonic-boom measures the byte length of its whole pending buffer on every write (flattening it), so with a write in
 * flight each line cost a copy of up to 16 KB: 6 us a line at the token endpoint's rate (bench:token, 2026-12-05),
 * against well under 1 us here. Every line of the process passes through here in order.
 */
export class LineBatcher {
  private lines: string[] = [];
  private size = 0;

  constructor(
    private readonly dest: Pick<Destination, 'write' | 'flush' | 'flushSync' | 'end'>,
    private readonly minLength: number,
    flushMs: number,
  ) {
    setInterval(() => this.push(), flushMs).unref();
    // Before pino's own exit hook (registered earlier) or after it: either way nothing pending is left behind.
    process.once('exit', () => this.flushSync());
  }

  write(line: string): boolean {
    this.lines.push(line);
    this.size += line.length;
    if (this.size >= this.minLength) this.push();
    return true;
  }

  /** Hand what is gathered to the destination (synchronous: written before this returns). */
  private push() {
    if (this.lines.length === 0) return;
    const chunk = this.lines.length === 1 ? this.lines[0] : this.lines.join('');
    this.lines = [];
    this.size = 0;
    this.dest.write(chunk);
  }

  flush(cb?: (err?: Error) => void) {
    this.push();
    this.dest.flush(cb);
  }

  flushSync() {
    this.push();
    try {
      this.dest.flushSync();
    } catch {
      /* not open yet, or closed: nothing more can be written */
    }
  }

  end() {
    this.push();
    this.dest.end();
  }
}

/**
 * A line already serialized as pino would write it (one JSON object: level, time, msg and fields), for the access log:
 * written straight to the logger's destination, in order with every other line. Returns false (nothing written) when
 * info lines are off.
 */
export function writeInfoLine(fieldsJson: string, msg: string): boolean {
  const log = logger();
  if (!log.isLevelEnabled('info')) return false;
  const stream = (log as unknown as Record<symbol, { write(line: string): unknown }>)[pino.symbols.streamSym];
  stream.write(infoLine(fieldsJson, msg, isoNow()));
  return true;
}

/** The line itself (exported for tests): `fieldsJson` is the inside of a JSON object, `"a":1,"b":"x"`. */
export function infoLine(fieldsJson: string, msg: string, time: string): string {
  return `{"level":"info","time":"${time}",${fieldsJson},"msg":${JSON.stringify(msg)}}\n`;
}

/** ISO 8601 time of now, as pino's isoTime writes it; computed once per millisecond. */
let lastMs = -1;
let lastIso = '';
function isoNow(): string {
  const ms = Math.floor(performance.timeOrigin + performance.now());
  if (ms !== lastMs) {
    lastMs = ms;
    lastIso = new Date(ms).toISOString();
  }
  return lastIso;
}

export function logger(): Logger {
  holder.logger ??= createLogger();
  return holder.logger;
}

export function requestContext(): AsyncLocalStorage<RequestContext> {
  holder.context ??= new AsyncLocalStorage<RequestContext>();
  return holder.context;
}

/** Write what is buffered now (before process.exit on a fatal start-up error; pino also does this at exit). */
export function flushLog() {
  try {
    holder.logger?.flush();
  } catch {
    /* nothing to flush, or the stream is closed */
  }
}
