import { format } from 'node:util';
import type { Logger } from 'pino';
import { describeDatabaseError, isDatabaseError } from './db-error';
import { logger } from './logger';

/**
 * The server routes console.* through the logger at start, so every line the process writes (its own, Next's,
 * next-auth's, a library's) is one JSON line with time, level and the request id, without each module importing the
 * logger. An Error argument becomes `err` (type, message, stack), except a database error: that becomes one line naming
 * its cause (lib/log/db-error.ts), never the SQL text and parameters drizzle puts into the message.
 */
const LEVELS = { log: 'info', info: 'info', warn: 'warn', error: 'error', debug: 'debug', trace: 'trace' } as const;
type Method = keyof typeof LEVELS;

/** drizzle's message for a failed query, logged as a string (`err.message`): the SQL and its parameters follow. */
const FAILED_QUERY = /Failed query:[\s\S]*/;

function isError(v: unknown): v is Error {
  return v instanceof Error || (typeof v === 'object' && v !== null && 'stack' in v && 'message' in v);
}

/** The fields and message of one console call. Exported for tests. */
export function consoleLine(args: unknown[]): { msg: string; err?: { type: string; message: string; stack?: string } } {
  let err: { type: string; message: string; stack?: string } | undefined;
  const parts = args.map((a) => {
    if (isError(a)) {
      if (isDatabaseError(a)) return describeDatabaseError(a);
      err ??= { type: a.name || 'Error', message: a.message, stack: a.stack };
      return a.message;
    }
    if (typeof a === 'string' && a.includes('Failed query:')) return a.replace(FAILED_QUERY, 'database query failed (statement left out)');
    return a;
  });
  const first = parts[0];
  // console.log('%s ...', x) keeps its format string; otherwise util.format joins the values with spaces.
  const msg = (typeof first === 'string' ? format(first, ...parts.slice(1)) : format('%O', ...parts)).trim();
  return err ? { msg, err } : { msg };
}

export function routeConsoleToLogger(log: Logger = logger()) {
  const flag = '__tscConsoleRouted';
  const g = globalThis as Record<string, unknown>;
  if (g[flag]) return;
  g[flag] = true;
  for (const method of Object.keys(LEVELS) as Method[]) {
    const level = LEVELS[method];
    console[method] = (...args: unknown[]) => {
      if (!log.isLevelEnabled(level)) return;
      const { msg, err } = consoleLine(args);
      if (!msg && !err) return; // blank spacer lines of a terminal banner
      if (err) log[level]({ err }, msg);
      else log[level](msg);
    };
  }
}
