import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { clientAddressOf, notedClientId, pathOnly } from './request-info';

/**
 * One JSON line per request, written when the response has been sent (or the connection closed before):
 * {"level":"info","time":"...","msg":"POST /identity/connect/token 200","log":"access","requestId":"...",
 *  "method":"POST","path":"/identity/connect/token","status":200,"durationMs":2.41,"remoteAddress":"10.0.0.7",
 *  "clientId":"..."}
 * Never a query string, header, cookie or body: nothing a secret, password, token or code travels in.
 */
export function writeAccessLog(
  log: Logger,
  trustProxy: boolean,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  startedAt: number,
) {
  const method = req.method ?? '';
  const path = pathOnly(req.url);
  const status = res.statusCode;
  const line: Record<string, unknown> = {
    log: 'access',
    requestId,
    method,
    path,
    status,
    durationMs: Math.round((performance.now() - startedAt) * 100) / 100,
    remoteAddress: clientAddressOf(req, trustProxy),
  };
  const clientId = notedClientId(req);
  if (clientId) line.clientId = clientId;
  // The client went away before the whole answer was written.
  if (!res.writableFinished) line.aborted = true;
  log.info(line, `${method} ${path} ${status}`);
}
