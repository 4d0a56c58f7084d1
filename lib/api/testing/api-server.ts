import http from 'node:http';
import type { DbHandle } from '../../db';
import { createIdentityHandler, type IdentityHandlerOptions } from '../../identity/http';
import { isMalformedPath, malformedPathResponse, writeResponse } from '../../http/malformed-path';
import { listenLocally } from '../../testing/local-server';
import * as catchAllRoute from '../../../app/api/v1/[...path]/route';
import * as openApiRoute from '../../../app/api/v1/openapi.json/route';

/**
 * Tests: a real node:http server on a random port that answers /identity with the token service's fast path (as
 * server.ts does) and /api/v1 with the app's two route modules, routed as Next routes them. So a test gets real
 * tokens from the real token endpoint and calls the real route handlers (the contract's router) over HTTP.
 */
type RouteModule = Partial<Record<string, (request: Request, context: { params: Promise<Record<string, string[]>> }) => Response | Promise<Response>>>;

const OPENAPI_PATH = '/api/v1/openapi.json';

/**
 * Next's routing of app/api/v1: the static openapi.json route by its exact pathname (Next's production server answers
 * /api/v1/openapi%2Ejson from the catch-all: a 404), else the catch-all app/api/v1/[...path], whose `path` is the
 * rest of the pathname split at "/", each segment decoded. (A pathname that is not valid %-encoding never gets here:
 * it is refused first, as server.ts does.)
 */
function match(pathname: string): { module: RouteModule; params: Record<string, string[]> } {
  if (pathname === OPENAPI_PATH) return { module: openApiRoute, params: {} };
  const rest = pathname.replace(/^\/api\/v1\/?/, '');
  return { module: catchAllRoute, params: { path: rest.split('/').map(decodeURIComponent) } };
}

/** The request body as a web stream; a reader that stops early (413) cancels it, and the rest is drained. */
function bodyStream(req: http.IncomingMessage): ReadableStream<Uint8Array> {
  let done = false;
  return new ReadableStream<Uint8Array>({
    start(controller) {
      req.on('data', (chunk: Buffer) => {
        if (done) return;
        controller.enqueue(new Uint8Array(chunk));
        if ((controller.desiredSize ?? 1) <= 0) req.pause();
      });
      req.on('end', () => {
        if (!done) controller.close();
        done = true;
      });
      req.on('error', (err) => {
        if (!done) controller.error(err);
        done = true;
      });
    },
    pull() {
      req.resume();
    },
    cancel() {
      done = true;
      req.resume();
    },
  });
}

function toRequest(req: http.IncomingMessage, origin: string): Request {
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i], req.rawHeaders[i + 1]);
  const method = req.method ?? 'GET';
  const hasBody = method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), {
    method,
    headers,
    body: hasBody ? bodyStream(req) : undefined,
    // @ts-expect-error Node's fetch needs duplex for a streamed body; the DOM typings do not know it.
    duplex: hasBody ? 'half' : undefined,
  });
}

async function answer(res: http.ServerResponse, response: Response, head: boolean) {
  const headers: Record<string, string> = {};
  response.headers.forEach((v, k) => (headers[k] = v));
  res.writeHead(response.status, headers);
  if (head || !response.body) return res.end();
  res.end(Buffer.from(await response.arrayBuffer()));
}

async function dispatch(req: http.IncomingMessage, res: http.ServerResponse, origin: string) {
  const url = new URL(req.url ?? '/', origin);
  const { module, params } = match(url.pathname);
  const method = req.method ?? 'GET';
  // Next answers HEAD with the GET handler when a route has no HEAD of its own.
  const handler = module[method] ?? (method === 'HEAD' ? module.GET : undefined);
  if (!handler) {
    res.writeHead(405).end();
    return;
  }
  const response = await handler(toRequest(req, origin), { params: Promise.resolve(params) });
  await answer(res, response, method === 'HEAD');
}

export async function startApiTestServer(handle: DbHandle, options: IdentityHandlerOptions = {}) {
  const identity = await createIdentityHandler(handle, { registerShutdown: false, keyPublishDelaySeconds: 0, ...options });
  let origin = '';
  const server = http.createServer((req, res) => {
    if (identity.handles(req)) {
      identity.handle(req, res);
      return;
    }
    // As server.ts: a path that is not valid %-encoding never reaches a route.
    if (isMalformedPath(req.url)) {
      void writeResponse(res, malformedPathResponse(req.url));
      return;
    }
    dispatch(req, res, origin).catch((err) => {
      console.error('[api test server]', (err as Error).message);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  // As server.ts: longer than clients' idle keep-alive, so a pooled connection is never closed under a request.
  server.keepAliveTimeout = 65_000;
  const local = await listenLocally(server);
  origin = local.origin;
  return {
    origin,
    issuer: `${origin}/identity`,
    service: identity.service,
    async close() {
      await local.close();
      await identity.shutdown();
    },
  };
}
