import type { ServerResponse } from 'node:http';

/** JSON answers of the identity endpoints are never cached (RFC 6749 5.1: tokens; the rest holds nothing to keep). */
export const JSON_NO_STORE = { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store', Pragma: 'no-cache' };

type Headers = Record<string, string | string[]>;

/** One answer with its Content-Length; `head`: the headers only (a HEAD request). */
export function send(res: ServerResponse, status: number, headers: Headers, body: string, head = false) {
  res.writeHead(status, { ...headers, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(head ? undefined : body);
}

/** A JSON body, not cached. */
export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Headers = {}) {
  send(res, status, { ...JSON_NO_STORE, ...headers }, JSON.stringify(body));
}

/** An OAuth-style error body (RFC 6749 5.2: error and error_description), not cached. */
export function sendError(res: ServerResponse, status: number, error: string, description: string, headers: Headers = {}) {
  send(res, status, { ...JSON_NO_STORE, ...headers }, JSON.stringify({ error, error_description: description }));
}
