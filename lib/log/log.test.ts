import { execFileSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { consoleLine } from './console';
import { databaseCause, describeDatabaseError, isDatabaseError } from './db-error';
import { LineBatcher } from './logger';

/** What pg and drizzle throw, as they build them. */
function pgError(code: string, message: string) {
  return Object.assign(new Error(message), { code, severity: 'ERROR', detail: 'Key (email)=(someone@example.com) already exists.' });
}
function drizzleError(cause: unknown, params: unknown[] = ['tscs_secret-value']) {
  return Object.assign(new Error(`Failed query: select * from users where email = $1\nparams: ${params.join(',')}`), {
    name: 'DrizzleQueryError',
    cause,
  });
}

async function refusedConnectionError(): Promise<Error> {
  // A port nothing listens on: connect fails with ECONNREFUSED, as pg reports it.
  const server = net.createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((r) => server.close(() => r()));
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', (err) => resolve(err));
  });
}

describe('database errors in one line', () => {
  it('names a refused connection, however deep it is wrapped, and leaves out the SQL and its parameters', async () => {
    const err = drizzleError(await refusedConnectionError());
    expect(isDatabaseError(err)).toBe(true);
    expect(databaseCause(err)).toBe('connection refused (ECONNREFUSED)');
    const line = describeDatabaseError(err);
    expect(line).toBe('database query failed: connection refused (ECONNREFUSED)');
    expect(line).not.toContain('select');
    expect(line).not.toContain('tscs_');
  });

  it('names authentication failures and a missing database by their SQLSTATE', () => {
    expect(databaseCause(pgError('28P01', 'password authentication failed for user "app"'))).toBe('authentication failed (28P01)');
    expect(databaseCause(pgError('3D000', 'database "nope" does not exist'))).toBe('database does not exist (3D000)');
  });

  it('keeps a constraint name but never the detail with the values; data errors that quote values get the code alone', () => {
    const unique = drizzleError(pgError('23505', 'duplicate key value violates unique constraint "users_email_lower_uq"'));
    expect(databaseCause(unique)).toBe('duplicate key value violates unique constraint "users_email_lower_uq" (23505)');
    expect(describeDatabaseError(unique)).not.toContain('someone@example.com');
    const syntax = drizzleError(pgError('22P02', 'invalid input syntax for type uuid: "tscs_secret-value"'));
    expect(databaseCause(syntax)).toBe('SQLSTATE 22P02');
  });

  it('does not take an ordinary error for a database error', () => {
    expect(isDatabaseError(new TypeError('x is not a function'))).toBe(false);
    expect(databaseCause(new Error('boom'))).toBeNull();
  });
});

describe('console lines', () => {
  it('formats like console.log, trims the terminal indentation', () => {
    expect(consoleLine(['  Console ready on %s (%s)', 'http://x', 'production'])).toEqual({ msg: 'Console ready on http://x (production)' });
    expect(consoleLine(['[tokens] count', 3])).toEqual({ msg: '[tokens] count 3' });
  });

  it('turns a database error argument into its one-line cause, SQL and parameters left out', async () => {
    const line = consoleLine(['[next]', drizzleError(await refusedConnectionError())]);
    expect(line).toEqual({ msg: '[next] database query failed: connection refused (ECONNREFUSED)' });
  });

  it('cuts drizzle\'s "Failed query" text logged as a string (err.message)', () => {
    const line = consoleLine(['[tokens] request failed:', drizzleError(new Error('x')).message]);
    expect(line.msg).toBe('[tokens] request failed: database query failed (statement left out)');
  });

  it('keeps the stack of any other error in `err`', () => {
    const line = consoleLine(['[health] probe failed:', new TypeError('bad')]);
    expect(line.msg).toBe('[health] probe failed: bad');
    expect(line.err?.type).toBe('TypeError');
    expect(line.err?.stack).toContain('log.test.ts');
  });
});

describe('log lines gathered before they reach the destination (LineBatcher)', () => {
  function fakeDestination() {
    const written: string[] = [];
    const calls: string[] = [];
    return {
      written,
      calls,
      dest: {
        write: (chunk: string) => {
          written.push(chunk);
          return true;
        },
        flush: () => void calls.push('flush'),
        flushSync: () => void calls.push('flushSync'),
        end: () => void calls.push('end'),
      },
    };
  }

  it('holds lines until about minLength characters, then hands them on as one chunk, in order', () => {
    const { written, dest } = fakeDestination();
    const batcher = new LineBatcher(dest as never, 30, 60_000);
    batcher.write('{"n":1}\n');
    batcher.write('{"n":2}\n');
    expect(written).toEqual([]);
    batcher.write('{"n":3}\n');
    batcher.write('{"n":4}\n');
    expect(written).toEqual(['{"n":1}\n{"n":2}\n{"n":3}\n{"n":4}\n']);
    batcher.write('{"n":5}\n');
    expect(written).toHaveLength(1);
  });

  it('flush and flushSync hand on what is held before the destination flushes', () => {
    const { written, calls, dest } = fakeDestination();
    const batcher = new LineBatcher(dest as never, 4096, 60_000);
    batcher.write('a\n');
    batcher.flush();
    expect(written).toEqual(['a\n']);
    expect(calls).toEqual(['flush']);
    batcher.write('b\n');
    batcher.flushSync();
    expect(written).toEqual(['a\n', 'b\n']);
    expect(calls).toEqual(['flush', 'flushSync']);
  });

  it('every line logged by a process that exits at once reaches stdout, in order', () => {
    const script = [
      "import { logger, writeInfoLine } from './lib/log/logger';",
      'const log = logger();',
      "for (let i = 0; i < 2000; i++) { if (i % 500 === 0) log.warn({ i }, 'warn ' + i); writeInfoLine(`\"i\":${i}`, 'line ' + i); }",
      "log.info('last');",
      'process.exit(0);',
    ].join('\n');
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: path.resolve(__dirname, '../..'),
      env: { ...process.env, LOG_FORMAT: '', LOG_LEVEL: 'info' },
      encoding: 'utf8',
    });
    const lines = out.trim().split('\n').map((l) => JSON.parse(l) as { msg: string; level: string });
    expect(lines).toHaveLength(2005);
    expect(lines[0].msg).toBe('warn 0');
    expect(lines[1].msg).toBe('line 0');
    expect(lines[2003].msg).toBe('line 1999');
    expect(lines.at(-1)!.msg).toBe('last');
    const numbered = lines.filter((l) => l.msg.startsWith('line ')).map((l) => Number(l.msg.slice(5)));
    expect(numbered).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });
});
