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
  // Asynchronous writes to fd 1: a burst of lines becomes a few write() calls, and nothing waits for the terminal or pipe.
  return pino(options, pino.destination({ dest: 1, sync: false }));
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
