import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import { parseAndValidateFlightRouterState } from 'next/dist/server/app-render/parse-and-validate-flight-router-state.js';
import { apiError } from './api-answers';

/**
 * A request path that is not valid %-encoding (a broken escape such as /security/clients/%E0, an overlong or
 * surrogate UTF-8 sequence such as %C0%AE or %ED%A0%80). Next 16 answers one that falls in a dynamic segment with a
 * plain 500 "Internal Server Error", so server.ts refuses it with a 400 before Next sees it.
 */
export function isMalformedPath(url: string | undefined): boolean {
  if (!url) return false;
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (!path.includes('%')) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/**
 * A Next-Router-State-Tree header (sent by Next's client router with each navigation) that Next cannot parse: Next 16
 * answers such a request with a plain 500 and logs the error with its stack twice, for anyone who sends one (also
 * signed out, on /sign-in). server.ts refuses it with a 400 first. Checked with Next's own parser, so exactly the
 * values Next would fail on are refused (too long, not %-encoded JSON, not a router state); Node joins a repeated
 * header into one value, which then fails too.
 */
export function isMalformedRouterState(headers: IncomingHttpHeaders): boolean {
  const value = headers['next-router-state-tree'];
  if (value === undefined) return false;
  try {
    parseAndValidateFlightRouterState(value);
    return false;
  } catch {
    return true;
  }
}

/** The 400 for a Next-Router-State-Tree header Next cannot parse (isMalformedRouterState). Never echoes the header. */
export function malformedRouterStateResponse(url: string | undefined): Response {
  return badRequest(url, 'The Next-Router-State-Tree header is not a valid router state.', 'Send the header as the console\'s own pages do, or leave it out.');
}

/**
 * Methods the Fetch standard forbids in a Request (CONNECT, TRACE, TRACK): Next builds one for every request and
 * undici throws, so Next answered TRACE with a 500 and a stack trace in the log, for anyone. Nothing here serves them.
 */
const UNSERVABLE_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);

export function isUnservableMethod(method: string | undefined): boolean {
  return method !== undefined && UNSERVABLE_METHODS.has(method.toUpperCase());
}

/** The 405 for such a method, with the methods the console (or the REST API) takes in Allow. */
export function unservableMethodResponse(url: string | undefined, method: string): Response {
  const api = url?.startsWith('/api/');
  const response = badRequest(url, `The ${method} method is not supported.`, 'Use GET, HEAD, POST, PUT, PATCH, DELETE or OPTIONS.', 405);
  response.headers.set('Allow', api ? 'GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS' : 'GET, HEAD, POST');
  return response;
}

/** The 400: the API's JSON error body under /api/, a line of text elsewhere. Never echoes the path. */
export function malformedPathResponse(url: string | undefined): Response {
  return badRequest(url, 'The request path is not valid URL encoding.', 'Percent-encode each path segment as UTF-8 (encodeURIComponent).');
}

function badRequest(url: string | undefined, message: string, resolution: string, status = 400): Response {
  if (url?.startsWith('/api/')) return apiError(status, message, { resolution });
  return new Response(`${status === 405 ? 'Method Not Allowed' : 'Bad Request'}: ${message}\n`, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** Write a Web Response to a node:http response (headers already set on `res` are kept). */
export async function writeResponse(res: ServerResponse, response: Response) {
  response.headers.forEach((v, k) => res.setHeader(k, v));
  res.writeHead(response.status);
  res.end(Buffer.from(await response.arrayBuffer()));
}
