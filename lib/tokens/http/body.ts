import type { IncomingMessage } from 'node:http';

type Refused = { ok: false; reason: 'too_large' | 'aborted' };
export type Body = { ok: true; text: string } | Refused;
export type BodyBytes = { ok: true; bytes: Buffer } | Refused;

/**
 * The request body of an identity endpoint (lib/identity, lib/oidc, the secret-report endpoint): at most `limit`
 * bytes; a larger body (declared in Content-Length or streamed) stops reading at once ('too_large', answered 413); a
 * request that ends or fails before its body does is 'aborted' (nobody is left to answer).
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Body> {
  return collect(req, limit, (chunks) => ({
    ok: true,
    text: chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'),
  }));
}

/** The same as readBody, as bytes (a signature over the body is checked on the bytes as sent). */
export function readBodyBytes(req: IncomingMessage, limit: number): Promise<BodyBytes> {
  return collect(req, limit, (chunks) => ({ ok: true, bytes: Buffer.concat(chunks) }));
}

function collect<T>(req: IncomingMessage, limit: number, complete: (chunks: Buffer[]) => T): Promise<T | Refused> {
  const declared = req.headers['content-length'];
  if (declared !== undefined && Number(declared) > limit) return Promise.resolve({ ok: false, reason: 'too_large' });
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let done = false;
    const finish = (result: T | Refused) => {
      if (done) return;
      done = true;
      resolve(result);
    };
    req.on('data', (chunk: Buffer) => {
      if (done) return;
      size += chunk.length;
      if (size > limit) finish({ ok: false, reason: 'too_large' });
      else chunks.push(chunk);
    });
    req.on('end', () => finish(complete(chunks)));
    req.on('error', () => finish({ ok: false, reason: 'aborted' }));
    // Closed before the end of the body: the client went away.
    req.on('close', () => finish({ ok: false, reason: 'aborted' }));
  });
}
