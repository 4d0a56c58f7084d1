import type { IncomingMessage, ServerResponse } from 'node:http';
import { clientAddressOf, notedClientId, pathOnly } from './request-info';
import { writeInfoLine } from '../log/logger';

/**
 * One JSON line per request, written when the response has been sent (or the connection closed before):
 * {"level":"info","time":"...","msg":"POST /identity/connect/token 200","log":"access","requestId":"...",
 *  "method":"POST","path":"/identity/connect/token","status":200,"durationMs":2.41,"remoteAddress":"10.0.0.7",
 *  "clientId":"..."}
 * Never a query string, header, cookie or body: nothing a secret, password, token or code travels in.
 */
export function writeAccessLog(
  trustProxy: boolean,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  startedAt: number,
) {
  const { fields, msg } = accessLogLine(trustProxy, req, res, requestId, startedAt);
  writeInfoLine(fields, msg);
}

/**
 * The access line's fields as the inside of a JSON object, and its message. Serialized here rather than through
 * pino's object path (a tenth of the token endpoint's CPU went to it); the same JSON line, written to the same
 * destination in order. Strings go through JSON.stringify: nothing a caller sends can break the line.
 */
export function accessLogLine(
  trustProxy: boolean,
  req: IncomingMessage,
  res: ServerResponse,
  requestId: string,
  startedAt: number,
): { fields: string; msg: string } {
  const method = req.method ?? '';
  const path = pathOnly(req.url);
  const status = res.statusCode;
  const durationMs = Math.round((performance.now() - startedAt) * 100) / 100;
  const clientId = notedClientId(req);
  const fields =
    `"log":"access","requestId":${JSON.stringify(requestId)},"method":${JSON.stringify(method)},"path":${JSON.stringify(path)},` +
    `"status":${status},"durationMs":${durationMs},"remoteAddress":${JSON.stringify(clientAddressOf(req, trustProxy))}` +
    (clientId ? `,"clientId":${JSON.stringify(clientId)}` : '') +
    // The client went away before the whole answer was written.
    (res.writableFinished ? '' : ',"aborted":true');
  return { fields, msg: `${method} ${path} ${status}` };
}
