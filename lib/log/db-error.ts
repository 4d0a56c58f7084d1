/**
 * A database failure in one line that names its cause: "connection refused (ECONNREFUSED)", "authentication failed
 * (28P01)", "database does not exist (3D000)". drizzle's DrizzleQueryError carries the SQL text and its parameters
 * in its message (a 15-line dump per failed request, parameters included); the summary never does.
 */
const NETWORK_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ECONNRESET: 'connection reset',
  ENOTFOUND: 'host not found',
  EAI_AGAIN: 'host name lookup failed',
  ETIMEDOUT: 'connection timed out',
  EHOSTUNREACH: 'host unreachable',
  ENETUNREACH: 'network unreachable',
  EPIPE: 'connection closed',
  ECONNABORTED: 'connection aborted',
};

/** SQLSTATE codes an operator acts on; the text is ours, so no value from a query can reach the log through it. */
const SQLSTATE_CAUSES: Record<string, string> = {
  '28P01': 'authentication failed',
  '28000': 'not authorized (check pg_hba.conf and the user name)',
  '3D000': 'database does not exist',
  '57P01': 'the database server terminated the connection (shut down by an administrator)',
  '57P02': 'the database server crashed',
  '57P03': 'the database server is starting up',
  '53300': 'too many connections',
  '53100': 'disk full',
  '53200': 'out of memory',
  '08000': 'connection failure',
  '08003': 'connection does not exist',
  '08006': 'connection failure',
  '08001': 'could not establish a connection',
  '08004': 'connection rejected by the server',
  '40001': 'serialization failure',
  '40P01': 'deadlock detected',
  '55P03': 'lock not available',
  '57014': 'query cancelled (statement timeout)',
  '25006': 'read-only transaction (is this a standby?)',
};

/**
 * SQLSTATE classes whose server message names only schema objects (constraints, columns, tables), never a value:
 * 23 integrity constraints (the values are in `detail`, which is left out), 42 syntax or undefined objects. Other
 * classes (22 data exceptions: "invalid input syntax for type uuid: \"...\"") quote values and get the code alone.
 */
const MESSAGE_SAFE_CLASSES = new Set(['23', '42']);

type ErrorLike = { name?: string; message?: string; code?: unknown; cause?: unknown; errors?: unknown; severity?: unknown };

function isErrorLike(v: unknown): v is ErrorLike {
  return typeof v === 'object' && v !== null && ('message' in v || 'code' in v);
}

/** The error and its causes (cause chains, AggregateError members), outermost first, at most a few levels. */
function chain(err: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  const visit = (e: unknown, depth: number) => {
    if (!isErrorLike(e) || depth > 5 || out.includes(e)) return;
    out.push(e);
    visit(e.cause, depth + 1);
    if (Array.isArray(e.errors)) for (const m of e.errors) visit(m, depth + 1);
  };
  visit(err, 0);
  return out;
}

const isSqlState = (code: unknown): code is string => typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code);

/** Is this a failure of the database or of reaching it (as opposed to a bug elsewhere)? */
export function isDatabaseError(err: unknown): boolean {
  return chain(err).some(
    (e) =>
      e.name === 'DrizzleQueryError' ||
      (typeof e.message === 'string' && e.message.startsWith('Failed query:')) ||
      (isSqlState(e.code) && typeof e.severity === 'string') ||
      (typeof e.code === 'string' && e.code in NETWORK_CAUSES) ||
      (typeof e.message === 'string' &&
        /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error)/.test(e.message)),
  );
}

/** The cause in a few words with its code, e.g. "connection refused (ECONNREFUSED)"; null when none is recognised. */
export function databaseCause(err: unknown): string | null {
  const errors = chain(err);
  for (const e of errors) {
    if (typeof e.code === 'string' && e.code in NETWORK_CAUSES) return `${NETWORK_CAUSES[e.code]} (${e.code})`;
    if (isSqlState(e.code)) {
      if (e.code in SQLSTATE_CAUSES) return `${SQLSTATE_CAUSES[e.code]} (${e.code})`;
      if (MESSAGE_SAFE_CLASSES.has(e.code.slice(0, 2)) && e.message) return `${oneLine(e.message)} (${e.code})`;
      return `SQLSTATE ${e.code}`;
    }
  }
  for (const e of errors) {
    const m = e.message ?? '';
    if (m.startsWith('Connection terminated')) return 'connection terminated';
    if (m.startsWith('timeout exceeded when trying to connect')) return 'timed out waiting for a connection';
    if (/password authentication failed/i.test(m)) return 'authentication failed';
  }
  return null;
}

function oneLine(s: string) {
  return s.replace(/\s+/g, ' ').trim().slice(0, 200);
}

/** "database query failed: connection refused (ECONNREFUSED)": the line to log instead of the error itself. */
export function describeDatabaseError(err: unknown, what = 'database query failed'): string {
  return `${what}: ${databaseCause(err) ?? 'unknown cause'}`;
}
