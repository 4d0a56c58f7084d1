import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * What the access log says about a request besides method, path and status: its id, the caller's address, and the
 * client an identity endpoint served. Free of the logger, so lib/tokens and lib/oidc can note a client id cheaply.
 */

/** A symbol property on the request (Symbol.for: the same key in every module graph of the process). */
const CLIENT_ID = Symbol.for('tsc.accessLog.clientId');
type Noted = IncomingMessage & { [CLIENT_ID]?: string };

const CLIENT_ID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * The client id an identity endpoint acted for (the authenticated client, or the one a failed request named), for the
 * access log. Only a well-formed client id (a GUID) is kept: anything else a caller sent is not repeated in the log.
 */
export function noteClientId(req: IncomingMessage, clientId: string | undefined | null) {
  if (clientId && CLIENT_ID_RE.test(clientId)) (req as Noted)[CLIENT_ID] = clientId.toLowerCase();
}

export function notedClientId(req: IncomingMessage): string | undefined {
  return (req as Noted)[CLIENT_ID];
}

/** X-Request-Id from the caller (a proxy's $request_id) when it is a short token of safe characters; a new UUID otherwise. */
const REQUEST_ID_RE = /^[A-Za-z0-9._:-]{8,64}$/;
export function requestIdOf(req: IncomingMessage): string {
  const given = req.headers['x-request-id'];
  return typeof given === 'string' && REQUEST_ID_RE.test(given) ? given : randomUUID();
}

/** The caller's address: the socket peer, or the last X-Forwarded-For hop (the address our proxy saw) behind TRUST_PROXY=1. */
export function clientAddressOf(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const xff = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(xff) ? xff.join(',') : xff)?.split(',');
    const last = hops?.[hops.length - 1]?.trim();
    if (last) return last.slice(0, 64);
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** The path alone: never the query string (it may hold a code, a state or a mistakenly sent secret) or a fragment. */
export function pathOnly(url: string | undefined): string {
  if (!url) return '';
  let end = url.length;
  const q = url.indexOf('?');
  if (q !== -1) end = q;
  const h = url.indexOf('#');
  if (h !== -1 && h < end) end = h;
  return end > 512 ? url.slice(0, 512) : url.slice(0, end);
}
