import net from 'node:net';
import { createHmac } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { ActionResult, FailureCode } from '@/lib/actions/result';
import type { DbHandle } from '@/lib/db';

/*
 * The machinery of the bad-input corpus: the case type, how an outcome is judged, a database snapshot, and an HTTP
 * client that can send what fetch refuses to (raw bytes, broken headers, duplicated headers, bodies with a false
 * Content-Length).
 */

export type Surface =
  | 'action'
  | 'token'
  | 'introspection'
  | 'revocation'
  | 'discovery'
  | 'api'
  | 'authorize'
  | 'userinfo'
  | 'end_session'
  | 'device_authorization';

export type Category =
  | 'wrong type'
  | 'missing field'
  | 'duplicated field'
  | 'huge string'
  | 'control character'
  | 'unicode'
  | 'invalid encoding'
  | 'content type'
  | 'basic header'
  | 'bearer token'
  | 'dpop proof'
  | 'oversized body'
  | 'other tenant'
  | 'not allowed'
  | 'sql/html metacharacters'
  | 'path traversal'
  | 'non-guid id'
  | 'bad number'
  | 'array for object'
  | 'bad date'
  | 'rule'
  | 'method'
  | 'host header'
  | 'unknown path';

export type HttpAnswer = { status: number; headers: Record<string, string>; body: string };

export type Outcome = { kind: 'action'; result: ActionResult<unknown> } | { kind: 'http'; answer: HttpAnswer };

export type Expectation = {
  /** HTTP: the exact status (or one of these); default any 4xx. */
  status?: number | number[];
  /** Actions: the failure code. */
  code?: FailureCode;
  /** Actions: a field that must carry an error. */
  field?: string;
  /** Introspection of a token that is not ours or not valid: RFC 7662 says 200 {"active":false}, not a 4xx. */
  inactive?: true;
  /** Refused by Node's HTTP parser before any product code runs: no product error body to check. */
  byNode?: true;
  /** Browser endpoints (authorize, end-session): a 4xx HTML error page, never a redirect. */
  page?: true;
  /** Authorize: a 302 to exactly this registered redirect URI carrying `error` (RFC 6749 4.1.2.1). */
  redirectError?: { to: string; error: string };
};

export type Case<Ctx> = {
  surface: Surface;
  category: Category;
  name: string;
  expect?: Expectation;
  run: (ctx: Ctx) => Promise<Outcome>;
};

/** The generic message of makeAdminAction's catch: an exception inside a write, i.e. a 500 in disguise. */
export const GENERIC_ACTION_FAILURE = 'Something went wrong on our side';

/** Markers the answers must never reflect back. */
const REFLECTION_MARKERS = ['<script>'];

/**
 * Judge an outcome. `serverError` is set for what must never happen whatever the input (a 5xx, a thrown exception,
 * the actions' "something went wrong"); `problems` lists every other way the case was not refused as it should be.
 */
export function judge(outcome: Outcome, expect: Expectation = {}): { serverError: boolean; problems: string[] } {
  const problems: string[] = [];
  if (outcome.kind === 'action') {
    const r = outcome.result;
    if (r === null || typeof r !== 'object') return { serverError: true, problems: [`the action returned ${String(r)}`] };
    if (r.ok) return { serverError: false, problems: ['the action accepted the input (ok: true)'] };
    if (r.formError?.includes(GENERIC_ACTION_FAILURE)) {
      return { serverError: true, problems: [`the action failed unexpectedly: ${r.formError}`] };
    }
    const fields = Object.entries(r.fieldErrors ?? {});
    if (fields.length === 0 && !r.formError) problems.push('refused without a field error or a form error');
    for (const [field, message] of fields) {
      if (typeof message !== 'string' || message.trim() === '') problems.push(`empty message for field ${field}`);
    }
    if (expect.code && r.code !== expect.code) problems.push(`code ${r.code}, expected ${expect.code}`);
    if (expect.field && !r.fieldErrors?.[expect.field]) {
      problems.push(`no error for field ${expect.field} (got ${JSON.stringify(r.fieldErrors ?? {})})`);
    }
    return { serverError: false, problems };
  }

  const { status, body, headers } = outcome.answer;
  if (status >= 500) return { serverError: true, problems: [`answered ${status}: ${body.slice(0, 200)}`] };
  if (expect.redirectError) {
    const location = headers.location ?? '';
    if (status !== 302) problems.push(`answered ${status}, expected a 302 with error=${expect.redirectError.error}`);
    else if (!location.startsWith(expect.redirectError.to + '?')) problems.push(`redirected to ${location.slice(0, 200)}`);
    else if (new URL(location).searchParams.get('error') !== expect.redirectError.error) problems.push(`redirected with ${location.slice(0, 200)}`);
    else if (new URL(location).searchParams.has('code')) problems.push('redirected with a code');
    return { serverError: false, problems };
  }
  if (expect.page) {
    if (status < 400 || status >= 500) problems.push(`answered ${status}, expected a 4xx error page`);
    if (headers.location) problems.push(`redirected to ${headers.location.slice(0, 200)}`);
    if (!(headers['content-type'] ?? '').startsWith('text/html')) problems.push(`error page with Content-Type "${headers['content-type']}"`);
    for (const marker of REFLECTION_MARKERS) if (body.includes(marker)) problems.push(`the answer reflects ${marker}`);
    return { serverError: false, problems };
  }
  if (expect.inactive) {
    if (status !== 200) problems.push(`answered ${status}, expected 200 {"active":false}`);
    else if (parseJson(body)?.active !== false) problems.push(`answered ${body.slice(0, 200)}, expected {"active":false}`);
    return { serverError: false, problems };
  }
  if (status < 400) problems.push(`answered ${status}: the input was accepted`);
  const wanted = expect.status === undefined ? null : Array.isArray(expect.status) ? expect.status : [expect.status];
  if (wanted && !wanted.includes(status)) problems.push(`answered ${status}, expected ${wanted.join(' or ')}`);
  if (!expect.byNode && status >= 400) {
    const json = parseJson(body);
    const type = headers['content-type'] ?? '';
    if (!type.startsWith('application/json')) problems.push(`error answer with Content-Type "${type}"`);
    const isApi = json && typeof json.Reason === 'string' && typeof json.OperationId === 'string' && typeof json.Error === 'string';
    const isOAuth = json && typeof json.error === 'string';
    if (!isApi && !isOAuth) problems.push(`not a standard error body: ${body.slice(0, 200)}`);
  }
  for (const marker of REFLECTION_MARKERS) {
    if (body.includes(marker)) problems.push(`the answer reflects ${marker}`);
  }
  return { serverError: false, problems };
}

function parseJson(text: string): Record<string, unknown> | null {
  try {
    const v: unknown = JSON.parse(text);
    return v && typeof v === 'object' ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/* ---------------- database snapshot ---------------- */

/**
 * The rows whose content is compared, as text. client_secrets leaves out last_used_at: a successful client
 * authentication (an introspection caller, a refused scope after a good secret) stamps it, by design.
 */
const HASHED: Record<string, string> = {
  clients: '(x.*)::text',
  client_roles: '(x.*)::text',
  client_secrets:
    'row(x.id, x.client_id, x.secret_hash, x.display_hint, x.description, x.expires_at, x.created_at, x.created_by)::text',
  roles: '(x.*)::text',
  users: '(x.*)::text',
  communities: '(x.*)::text',
  community_members: '(x.*)::text',
  user_roles: '(x.*)::text',
  tenants: '(x.*)::text',
  signing_keys: '(x.*)::text',
};

export type Snapshot = { tables: Record<string, { rows: number; hash: string }>; lastAuditId: number };

type Rows<T> = { rows: T[] };

const USAGE_TABLES = new Set(['client_usage', 'client_usage_sources']);

export async function listTables(h: DbHandle): Promise<string[]> {
  const res = (await h.db.execute(
    sql`select table_name from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`,
  )) as unknown as Rows<{ table_name: string }>;
  // Usage counts (lib/usage) record every refused client authentication by design, written in batches: not a write
  // of the refused input. So does the throttle (sign_in_throttle), which counts every code tried at /device.
  return res.rows.map((r) => r.table_name).filter((t) => !USAGE_TABLES.has(t) && t !== 'sign_in_throttle');
}

/** Row counts of every table, a hash of the rows of the tables in HASHED, and the newest audit event id: one query. */
export function snapshotter(h: DbHandle, tables: string[]) {
  const parts = tables.map((t) => {
    const quoted = `"${t.replace(/"/g, '')}"`;
    const row = HASHED[t];
    return row
      ? `select '${t}' as t, count(*)::int as n, coalesce(md5(string_agg(r, E'\\n' order by r)), '') as h from (select ${row} as r from ${quoted} x) s`
      : `select '${t}' as t, count(*)::int as n, '' as h from ${quoted}`;
  });
  parts.push(`select '#audit' as t, coalesce(max(id), 0)::int as n, '' as h from audit_events`);
  const query = sql.raw(parts.join('\nunion all\n'));
  return async (): Promise<Snapshot> => {
    const res = (await h.db.execute(query)) as unknown as Rows<{ t: string; n: number | string; h: string }>;
    const snapshot: Snapshot = { tables: {}, lastAuditId: 0 };
    for (const r of res.rows) {
      if (r.t === '#audit') snapshot.lastAuditId = Number(r.n);
      else snapshot.tables[r.t] = { rows: Number(r.n), hash: r.h };
    }
    return snapshot;
  };
}

export type AuditRow = { id: number; action: string; target_id: string | null };

export async function auditEventsAfter(h: DbHandle, id: number): Promise<AuditRow[]> {
  const res = (await h.db.execute(
    sql`select id::int as id, action, target_id from audit_events where id > ${id} order by id`,
  )) as unknown as Rows<AuditRow>;
  return res.rows;
}

/**
 * What changed between two snapshots, except audit events (compared by the caller, because the token service
 * audits a throttled client by design).
 */
export function differences(before: Snapshot, after: Snapshot): string[] {
  const out: string[] = [];
  for (const [table, b] of Object.entries(before.tables)) {
    const a = after.tables[table];
    if (!a) out.push(`${table} disappeared`);
    else if (table === 'audit_events') continue;
    else if (a.rows !== b.rows) out.push(`${table}: ${b.rows} rows before, ${a.rows} after`);
    else if (a.hash !== b.hash) out.push(`${table}: rows changed`);
  }
  return out;
}

/* ---------------- HTTP ---------------- */

function headersOf(res: Response): Record<string, string> {
  const out: Record<string, string> = {};
  res.headers.forEach((v, k) => (out[k] = v));
  return out;
}

export async function send(url: string, init: RequestInit = {}): Promise<HttpAnswer> {
  const res = await fetch(url, init);
  return { status: res.status, headers: headersOf(res), body: await res.text() };
}

function dechunk(body: Buffer): Buffer {
  const out: Buffer[] = [];
  let i = 0;
  while (i < body.length) {
    const eol = body.indexOf('\r\n', i);
    if (eol === -1) break;
    const size = parseInt(body.subarray(i, eol).toString('latin1'), 16);
    if (!size) break;
    out.push(body.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

/**
 * One request written byte for byte on a fresh connection (`Connection: close` is added to the head), for what
 * fetch cannot send. The answer is read until the server closes; a reset after the answer (the server stopped
 * reading an oversized body) is not an error.
 */
export function rawHttp(origin: string, head: string | Buffer, body: Buffer | string = Buffer.alloc(0)): Promise<HttpAnswer> {
  const { hostname, port } = new URL(origin);
  const headBytes = Buffer.isBuffer(head) ? head : Buffer.from(head, 'latin1');
  const withClose = Buffer.concat([headBytes.subarray(0, headBytes.length - 2), Buffer.from('Connection: close\r\n\r\n')]);
  if (!headBytes.subarray(headBytes.length - 4).equals(Buffer.from('\r\n\r\n'))) {
    throw new Error('rawHttp: the head must end with an empty line');
  }
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname);
    const chunks: Buffer[] = [];
    let settled = false;
    const finish = () => {
      if (settled) return;
      settled = true;
      clearTimeout(guard);
      const all = Buffer.concat(chunks);
      const split = all.indexOf('\r\n\r\n');
      const m = /^HTTP\/1\.[01] (\d{3})/.exec(all.subarray(0, 20).toString('latin1'));
      if (!m || split === -1) {
        reject(new Error(`no HTTP answer (got ${JSON.stringify(all.subarray(0, 80).toString('latin1'))})`));
        return;
      }
      const headers: Record<string, string> = {};
      for (const line of all.subarray(0, split).toString('latin1').split('\r\n').slice(1)) {
        const colon = line.indexOf(':');
        if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
      }
      let rest: Buffer = all.subarray(split + 4);
      if (headers['transfer-encoding']?.toLowerCase() === 'chunked') rest = dechunk(rest);
      resolve({ status: Number(m[1]), headers, body: rest.toString('utf8') });
    };
    // A guard against a server that never answers (that would be a failure of its own), not a wait.
    const guard = setTimeout(() => {
      socket.destroy();
      finish();
    }, 10_000);
    socket.on('data', (c) => chunks.push(c));
    socket.on('end', finish);
    socket.on('close', finish);
    socket.on('error', () => finish());
    socket.write(Buffer.concat([withClose, Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8')]));
  });
}

/** A request head: request line, Host, the given header lines (raw, in order, duplicates allowed), empty line. */
export function head(method: string, path: string, host: string | null, lines: string[] = []): string {
  return [`${method} ${path} HTTP/1.1`, ...(host === null ? [] : [`Host: ${host}`]), ...lines, '', ''].join('\r\n');
}

/* ---------------- encodings ---------------- */

export const b64 = (s: string | Buffer) => (Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8')).toString('base64');
export const b64url = (s: string | Buffer) => (Buffer.isBuffer(s) ? s : Buffer.from(s, 'utf8')).toString('base64url');

/** RFC 6749 2.3.1: form-encode id and secret, then base64 "id:secret". */
export function basic(id: string, secret: string): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%20/g, '+');
  return `Basic ${b64(`${enc(id)}:${enc(secret)}`)}`;
}

export const form = (params: Record<string, string>) => new URLSearchParams(params).toString();

export function jwtParts(token: string) {
  const [h, p, s] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(h, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(p, 'base64url').toString('utf8')) as Record<string, unknown>,
    signature: s,
  };
}

/** The same signature over another payload: a forged token. */
export function withPayload(token: string, change: (claims: Record<string, unknown>) => Record<string, unknown>): string {
  const { header, payload, signature } = jwtParts(token);
  return `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(change(payload)))}.${signature}`;
}

export function withHeader(token: string, change: (h: Record<string, unknown>) => Record<string, unknown>, signature?: string) {
  const { header, payload, signature: s } = jwtParts(token);
  return `${b64url(JSON.stringify(change(header)))}.${b64url(JSON.stringify(payload))}.${signature ?? s}`;
}

/** alg confusion: HS256 "signed" with the server's public key as the HMAC secret. */
export function hs256WithKey(token: string, publicKeyText: string): string {
  const { header, payload } = jwtParts(token);
  const input = `${b64url(JSON.stringify({ ...header, alg: 'HS256' }))}.${b64url(JSON.stringify(payload))}`;
  return `${input}.${createHmac('sha256', publicKeyText).update(input).digest('base64url')}`;
}

export const MB = 1024 * 1024;
export const HUGE = 'x'.repeat(MB);
export const SQLI = "' OR 1=1 --";
export const XSS = '<script>alert(1)</script>';
export const TRAVERSAL = '../../../../etc/passwd';
