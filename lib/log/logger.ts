import { AsyncLocalStorage } from 'node:async_hooks';
import pino, { type Logger } from 'pino';

/**
 * The process's logger (pino): one JSON line per event on stdout, with `time` (ISO 8601), `level` (a name) and `msg`,
 * plus `requestId` for anything logged while a request is handled. LOG_FORMAT=pretty prints readable lines instead
 * (pino-pretty, for development); LOG_LEVEL (default info) sets the least level written.
 * pino writes asynchronously (a line costs a few microseconds on the request's path) and flushes what is pending
 * when the process exits.
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
  // Asynchronous, buffered writes to fd 1: lines gather up to 4 KB (or 100 ms) and go out in one write() call, so a
  // busy token endpoint does not hand the thread pool a write per request; nothing waits for the terminal or pipe.
  // pino writes what is pending when the process exits.
  return pino(options, pino.destination({ dest: 1, sync: false, minLength: LINE_BUFFER_BYTES, periodicFlush: LINE_FLUSH_MS }));
}
const LINE_BUFFER_BYTES = 4096;
const LINE_FLUSH_MS = 100;

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
