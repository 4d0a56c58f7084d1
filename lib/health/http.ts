import type { IncomingMessage, ServerResponse } from 'node:http';
import { metricsText } from '../metrics';
import { pathOnly } from '../http/request-info';
import type { Health } from './health';

/**
 * The operational endpoints on the node:http fast path: /health/live, /health/ready and /metrics. No authentication,
 * nothing secret in them, never cached. /metrics is answered only where the caller allows it (the management port, or
 * the main port with METRICS_ENABLED=1).
 */
const NO_STORE = { 'Cache-Control': 'no-store', Pragma: 'no-cache' };
export const LIVE_PATH = '/health/live';
export const READY_PATH = '/health/ready';
export const METRICS_PATH = '/metrics';

export type OpsRoute = 'live' | 'ready' | 'metrics';

export function opsRouteOf(url: string | undefined, withMetrics: boolean): OpsRoute | null {
  const path = pathOnly(url);
  if (path === LIVE_PATH) return 'live';
  if (path === READY_PATH) return 'ready';
  if (withMetrics && path === METRICS_PATH) return 'metrics';
  return null;
}

function send(res: ServerResponse, status: number, contentType: string, body: string, head: boolean, extra: Record<string, string> = {}) {
  res.writeHead(status, { ...NO_STORE, ...extra, 'Content-Type': contentType, 'Content-Length': String(Buffer.byteLength(body)) });
  res.end(head ? undefined : body);
}

const JSON_TYPE = 'application/json; charset=utf-8';

export async function handleOps(route: OpsRoute, req: IncomingMessage, res: ServerResponse, health: Health) {
  const method = req.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') {
    send(res, 405, JSON_TYPE, JSON.stringify({ error: 'method_not_allowed', error_description: 'Use GET.' }), false, { Allow: 'GET, HEAD' });
    return;
  }
  const head = method === 'HEAD';
  if (route === 'live') {
    send(res, 200, JSON_TYPE, JSON.stringify({ status: 'live' }), head);
    return;
  }
  if (route === 'ready') {
    const r = await health.ready();
    send(res, r.ready ? 200 : 503, JSON_TYPE, JSON.stringify(r.body), head, r.ready ? {} : { 'Retry-After': '5' });
    return;
  }
  const text = await metricsText();
  if (!text) {
    send(res, 404, JSON_TYPE, JSON.stringify({ error: 'not_found', error_description: 'Metrics are off (METRICS_ENABLED=0).' }), head);
    return;
  }
  send(res, 200, text.contentType, text.body, head);
}
