import type { AsyncLocalStorage } from 'node:async_hooks';
import type http from 'node:http';
import { writeAccessLog } from './access-log';
import { requestIdOf } from './request-info';
import { API_CSP, BASE_SECURITY_HEADERS } from './security-headers';
import { metrics } from '../metrics';

/**
 * What the server does for every request on its main port, whatever answers it (server.ts): a request id (the
 * caller's X-Request-Id when well-formed, else a new one, sent back in X-Request-Id), the drain's count of requests in
 * progress, and once the response is done (or its connection closed) the tsc_http_requests_total metric and the access
 * log line; lines logged while the request is handled carry its id (`context`). bench:token wraps its floor in the same
 * function ("floor + per-request features"), so the bench shows what these cost on their own.
 */

/** The security headers of every answer that is not a page: API, token endpoint, probes, refusals. */
export const IDENTITY_HEADERS: Readonly<Record<string, string>> = { ...BASE_SECURITY_HEADERS, 'Content-Security-Policy': API_CSP };
const IDENTITY_HEADER_ENTRIES = Object.entries(IDENTITY_HEADERS);

export function setIdentityHeaders(res: http.ServerResponse) {
  for (const [k, v] of IDENTITY_HEADER_ENTRIES) res.setHeader(k, v);
}

const STARTED_AT = Symbol('startedAt');
const REQUEST_ID = Symbol('requestId');
type Tracked = http.ServerResponse & { [STARTED_AT]: number; [REQUEST_ID]: string };
const STATUS_CLASSES = ['0xx', '1xx', '2xx', '3xx', '4xx', '5xx'];

/** The request's area, for tsc_http_requests_total (a fixed set: never the path itself). */
export function areaOf(url: string | undefined): string {
  if (!url) return 'console';
  if (url.startsWith('/identity') || url.startsWith('/.well-known/')) return 'identity';
  if (url.startsWith('/api/')) return 'api';
  if (url.startsWith('/health/')) return 'health';
  if (url.startsWith('/metrics')) return 'metrics';
  return 'console';
}

/** The drain's count of requests in progress (lib/server/drain.ts: its enter and leave). */
export type RequestCounter = { enter(res: http.ServerResponse): void; leave(res: http.ServerResponse): void };

export type TrackingOptions = {
  drain: RequestCounter;
  /** The access log's remoteAddress: the last X-Forwarded-For hop behind TRUST_PROXY=1. */
  trustProxy: boolean;
  /** ACCESS_LOG=0: no access log lines. */
  accessLog: boolean;
  context: AsyncLocalStorage<{ requestId: string }>;
};

/** A request listener that does the above around `route`. */
export function trackedRequests(
  { drain, trustProxy, accessLog, context }: TrackingOptions,
  route: (req: http.IncomingMessage, res: http.ServerResponse) => void,
): (req: http.IncomingMessage, res: http.ServerResponse) => void {
  // One listener for every response (no closure per request): the drain's count, the metric, the access log line.
  const onClose = function (this: Tracked) {
    drain.leave(this);
    const req = this.req;
    metrics.httpRequests.inc({ area: areaOf(req.url), status_class: STATUS_CLASSES[Math.floor(this.statusCode / 100)] ?? 'other' });
    if (accessLog) writeAccessLog(trustProxy, req, this, this[REQUEST_ID], this[STARTED_AT]);
  };
  return (req, response) => {
    const res = response as Tracked;
    res[STARTED_AT] = performance.now();
    const requestId = (res[REQUEST_ID] = requestIdOf(req));
    res.setHeader('X-Request-Id', requestId);
    drain.enter(res);
    res.once('close', onClose);
    context.run({ requestId }, route, req, res);
  };
}
