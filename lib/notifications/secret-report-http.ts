import { createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Db } from '../db';
import { readBodyBytes } from '../tokens/http/body';
import { sendError, sendJson } from '../tokens/http/send';
import { parseCandidates, reportSecrets } from './secret-report';

/**
 * POST /identity/connect/secret-report on the identity fast path: no authentication (whoever holds a secret may kill
 * it), a bounded body, a per-address rate limit, and optionally (SECRET_REPORT_HMAC_KEY) a signature the scanner
 * sends in Secret-Report-Signature: "sha256=" + hex HMAC-SHA-256 of the body.
 */
export const SECRET_REPORT_PATH = '/identity/connect/secret-report';
export const MAX_REPORT_BYTES = 64 * 1024;
const WINDOW_MS = 60_000;
const REQUESTS_PER_WINDOW = 30;
const error = (res: ServerResponse, status: number, description: string, extra: Record<string, string> = {}) =>
  sendError(res, status, status === 429 ? 'slow_down' : 'invalid_request', description, extra);

/** Fixed one-minute windows per source address, in this instance's memory (a scanner sends a few reports at a time). */
export class ReportRateLimit {
  private windows = new Map<string, { start: number; count: number }>();
  constructor(private readonly perWindow = REQUESTS_PER_WINDOW, private readonly now: () => number = Date.now) {}
  /** Seconds to wait, or 0 when the request may go ahead. */
  take(address: string): number {
    const now = this.now();
    if (this.windows.size > 10_000) for (const [k, w] of this.windows) if (now - w.start >= WINDOW_MS) this.windows.delete(k);
    const w = this.windows.get(address);
    if (!w || now - w.start >= WINDOW_MS) {
      this.windows.set(address, { start: now, count: 1 });
      return 0;
    }
    if (w.count >= this.perWindow) return Math.ceil((w.start + WINDOW_MS - now) / 1000);
    w.count += 1;
    return 0;
  }
}

function signatureValid(body: Buffer, header: string | string[] | undefined, key: string): boolean {
  const value = Array.isArray(header) ? header[0] : header;
  if (!value?.startsWith('sha256=')) return false;
  const expected = Buffer.from(createHmac('sha256', key).update(body).digest('hex'));
  const given = Buffer.from(value.slice(7).toLowerCase());
  return expected.length === given.length && timingSafeEqual(expected, given);
}

export class SecretReportHttp {
  readonly limit = new ReportRateLimit();
  constructor(private readonly db: Db) {}

  /** A POST (lib/identity/http.ts routes only POST here and answers other methods with 405). */
  async handle(req: IncomingMessage, res: ServerResponse, sourceAddress: string): Promise<void> {
    const wait = this.limit.take(sourceAddress);
    if (wait > 0) return error(res, 429, 'Too many reports from this address. Try again shortly.', { 'Retry-After': String(wait) });
    const read = await readBodyBytes(req, MAX_REPORT_BYTES);
    if (!read.ok && read.reason === 'aborted') return void res.destroy();
    if (!read.ok) return error(res, 413, `The request body is larger than ${MAX_REPORT_BYTES / 1024} KiB.`, { Connection: 'close' });
    const body = read.bytes;
    const key = process.env.SECRET_REPORT_HMAC_KEY;
    if (key && !signatureValid(body, req.headers['secret-report-signature'], key)) {
      return error(res, 401, 'The Secret-Report-Signature header is missing or does not match the body.');
    }
    if (req.headers['content-type']?.split(';')[0].trim().toLowerCase() !== 'application/json') {
      return error(res, 415, 'Send the candidates as JSON (Content-Type: application/json).');
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body.toString('utf8'));
    } catch {
      return error(res, 400, 'The body is not valid JSON.');
    }
    const candidates = parseCandidates(parsed);
    if (!candidates.ok) return error(res, 400, candidates.description);
    sendJson(res, 200, await reportSecrets(this.db, candidates.candidates));
  }
}
