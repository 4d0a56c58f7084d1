import type { ServerResponse } from 'node:http';
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

/** The 400: the API's JSON error body under /api/, a line of text elsewhere. Never echoes the path. */
export function malformedPathResponse(url: string | undefined): Response {
  if (url?.startsWith('/api/')) {
    return apiError(400, 'The request path is not valid URL encoding.', {
      resolution: 'Percent-encode each path segment as UTF-8 (encodeURIComponent).',
    });
  }
  return new Response('Bad Request: the address is not valid URL encoding.\n', {
    status: 400,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' },
  });
}

/** Write a Web Response to a node:http response (headers already set on `res` are kept). */
export async function writeResponse(res: ServerResponse, response: Response) {
  response.headers.forEach((v, k) => res.setHeader(k, v));
  res.writeHead(response.status);
  res.end(Buffer.from(await response.arrayBuffer()));
}
