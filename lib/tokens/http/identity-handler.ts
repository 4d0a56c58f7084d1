import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DbHandle } from '../../db';

/** The /identity fast path (discovery, JWKS, token, introspection). Filled in by the token service. */
export async function createIdentityHandler(_handle: DbHandle) {
  return {
    handles: (req: IncomingMessage) => Boolean(req.url?.startsWith('/identity/')) && false,
    handle: (_req: IncomingMessage, res: ServerResponse) => {
      res.writeHead(404).end();
    },
  };
}
