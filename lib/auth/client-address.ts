/**
 * The address of whoever sent a console request. server.ts (the only way in) removes any CLIENT_ADDRESS_HEADER a
 * caller sends and sets it to the socket's peer address, or, only when TRUST_PROXY=1, to the last X-Forwarded-For
 * hop (the address our own proxy saw). Code behind Next (server actions, next-auth) reads it here and never looks at
 * X-Forwarded-For itself, so a forged X-Forwarded-For changes nothing unless the operator said a proxy is in front.
 */
import type { IncomingMessage } from 'node:http';

export const CLIENT_ADDRESS_HEADER = 'x-tsc-client-address';

function trustProxy(env: NodeJS.ProcessEnv = process.env): boolean {
  return env.TRUST_PROXY === '1' || env.TRUST_PROXY === 'true';
}

/** For server.ts: the address of a node:http request (socket, or the last X-Forwarded-For hop behind TRUST_PROXY). */
export function socketClientAddress(req: IncomingMessage, env: NodeJS.ProcessEnv = process.env): string {
  if (trustProxy(env)) {
    const xff = req.headers['x-forwarded-for'];
    const hops = (Array.isArray(xff) ? xff.join(',') : xff)?.split(',');
    const last = hops?.[hops.length - 1]?.trim();
    if (last) return last.slice(0, 64);
  }
  return req.socket.remoteAddress ?? 'unknown';
}

/** For server.ts: overwrite whatever the caller sent with the address we determined. */
export function stampClientAddress(req: IncomingMessage, env: NodeJS.ProcessEnv = process.env) {
  req.headers[CLIENT_ADDRESS_HEADER] = socketClientAddress(req, env);
}

/** For code behind Next: the stamped address ("unknown" when a request did not come through server.ts). */
export function requestClientAddress(headers: Pick<Headers, 'get'>): string {
  return (headers.get(CLIENT_ADDRESS_HEADER) || 'unknown').slice(0, 64);
}
