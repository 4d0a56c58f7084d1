import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { DbHandle } from '../../db';
import { createIdentityHandler, type IdentityHandlerOptions } from '../../tokens/http/identity-handler';
import { isMalformedPath, malformedPathResponse, writeResponse } from '../../http/malformed-path';
import * as catchAll from '../../../app/api/v1/[...path]/route';
import * as openapi from '../../../app/api/v1/openapi.json/route';
import * as tenantRolesRoute from '../../../app/api/v1/Tenants/[tenantId]/Roles/route';
import * as clientsRoute from '../../../app/api/v1/Tenants/[tenantId]/ClientCredentialClients/route';
import * as clientRoute from '../../../app/api/v1/Tenants/[tenantId]/ClientCredentialClients/[clientId]/route';
import * as rolesRoute from '../../../app/api/v1/Tenants/[tenantId]/ClientCredentialClients/[clientId]/Roles/route';
import * as secretsRoute from '../../../app/api/v1/Tenants/[tenantId]/ClientCredentialClients/[clientId]/Secrets/route';
import * as secretRoute from '../../../app/api/v1/Tenants/[tenantId]/ClientCredentialClients/[clientId]/Secrets/[secretId]/route';
import * as keysRoute from '../../../app/api/v1/Tenants/[tenantId]/ClientCredentialClients/[clientId]/Keys/route';
import * as keyRoute from '../../../app/api/v1/Tenants/[tenantId]/ClientCredentialClients/[clientId]/Keys/[keyId]/route';
import * as federatedRoute from '../../../app/api/v1/Tenants/[tenantId]/ClientCredentialClients/[clientId]/FederatedCredentials/route';
import * as federatedItemRoute from '../../../app/api/v1/Tenants/[tenantId]/ClientCredentialClients/[clientId]/FederatedCredentials/[credentialId]/route';
import * as authCodeClientsRoute from '../../../app/api/v1/Tenants/[tenantId]/AuthorizationCodeClients/route';
import * as authCodeClientRoute from '../../../app/api/v1/Tenants/[tenantId]/AuthorizationCodeClients/[clientId]/route';
import * as authCodeRolesRoute from '../../../app/api/v1/Tenants/[tenantId]/AuthorizationCodeClients/[clientId]/Roles/route';
import * as hybridClientsRoute from '../../../app/api/v1/Tenants/[tenantId]/HybridClients/route';
import * as hybridClientRoute from '../../../app/api/v1/Tenants/[tenantId]/HybridClients/[clientId]/route';
import * as hybridRolesRoute from '../../../app/api/v1/Tenants/[tenantId]/HybridClients/[clientId]/Roles/route';
import * as hybridSecretsRoute from '../../../app/api/v1/Tenants/[tenantId]/HybridClients/[clientId]/Secrets/route';
import * as hybridSecretRoute from '../../../app/api/v1/Tenants/[tenantId]/HybridClients/[clientId]/Secrets/[secretId]/route';
import * as deviceClientsRoute from '../../../app/api/v1/Tenants/[tenantId]/DeviceCodeClients/route';
import * as deviceClientRoute from '../../../app/api/v1/Tenants/[tenantId]/DeviceCodeClients/[clientId]/route';
import * as deviceRolesRoute from '../../../app/api/v1/Tenants/[tenantId]/DeviceCodeClients/[clientId]/Roles/route';
import * as channelsRoute from '../../../app/api/v1/Tenants/[tenantId]/NotificationChannels/route';
import * as channelRoute from '../../../app/api/v1/Tenants/[tenantId]/NotificationChannels/[channelId]/route';
import * as apisRoute from '../../../app/api/v1/Tenants/[tenantId]/Apis/route';
import * as apiRoute from '../../../app/api/v1/Tenants/[tenantId]/Apis/[apiId]/route';
import * as clientApiAccessRoute from '../../../app/api/v1/Tenants/[tenantId]/ClientCredentialClients/[clientId]/ApiAccess/route';
import * as authCodeApiAccessRoute from '../../../app/api/v1/Tenants/[tenantId]/AuthorizationCodeClients/[clientId]/ApiAccess/route';
import * as hybridApiAccessRoute from '../../../app/api/v1/Tenants/[tenantId]/HybridClients/[clientId]/ApiAccess/route';
import * as deviceApiAccessRoute from '../../../app/api/v1/Tenants/[tenantId]/DeviceCodeClients/[clientId]/ApiAccess/route';

/**
 * Tests: a real node:http server on a random port that answers /identity with the token service's fast path (as
 * server.ts does) and /api/v1 with the app's route modules, routed by their folder names as Next routes them.
 * So a test gets real tokens from the real token endpoint and calls the real route handlers over HTTP.
 */
type RouteModule = Partial<Record<string, (request: Request, context: { params: Promise<Record<string, string>> }) => Response | Promise<Response>>>;

const ROUTES: [RegExp, string[], RouteModule][] = [
  [/^\/api\/v1\/openapi\.json$/, [], openapi as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/Roles$/, ['tenantId'], tenantRolesRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/ClientCredentialClients$/, ['tenantId'], clientsRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/ClientCredentialClients\/([^/]+)$/, ['tenantId', 'clientId'], clientRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/ClientCredentialClients\/([^/]+)\/Roles$/, ['tenantId', 'clientId'], rolesRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/ClientCredentialClients\/([^/]+)\/Secrets$/, ['tenantId', 'clientId'], secretsRoute as unknown as RouteModule],
  [
    /^\/api\/v1\/Tenants\/([^/]+)\/ClientCredentialClients\/([^/]+)\/Secrets\/([^/]+)$/,
    ['tenantId', 'clientId', 'secretId'],
    secretRoute as unknown as RouteModule,
  ],
  [/^\/api\/v1\/Tenants\/([^/]+)\/ClientCredentialClients\/([^/]+)\/Keys$/, ['tenantId', 'clientId'], keysRoute as unknown as RouteModule],
  [
    /^\/api\/v1\/Tenants\/([^/]+)\/ClientCredentialClients\/([^/]+)\/Keys\/([^/]+)$/,
    ['tenantId', 'clientId', 'keyId'],
    keyRoute as unknown as RouteModule,
  ],
  [/^\/api\/v1\/Tenants\/([^/]+)\/ClientCredentialClients\/([^/]+)\/FederatedCredentials$/, ['tenantId', 'clientId'], federatedRoute as unknown as RouteModule],
  [
    /^\/api\/v1\/Tenants\/([^/]+)\/ClientCredentialClients\/([^/]+)\/FederatedCredentials\/([^/]+)$/,
    ['tenantId', 'clientId', 'credentialId'],
    federatedItemRoute as unknown as RouteModule,
  ],
  [/^\/api\/v1\/Tenants\/([^/]+)\/AuthorizationCodeClients$/, ['tenantId'], authCodeClientsRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/AuthorizationCodeClients\/([^/]+)$/, ['tenantId', 'clientId'], authCodeClientRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/AuthorizationCodeClients\/([^/]+)\/Roles$/, ['tenantId', 'clientId'], authCodeRolesRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/HybridClients$/, ['tenantId'], hybridClientsRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/HybridClients\/([^/]+)$/, ['tenantId', 'clientId'], hybridClientRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/HybridClients\/([^/]+)\/Roles$/, ['tenantId', 'clientId'], hybridRolesRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/HybridClients\/([^/]+)\/Secrets$/, ['tenantId', 'clientId'], hybridSecretsRoute as unknown as RouteModule],
  [
    /^\/api\/v1\/Tenants\/([^/]+)\/HybridClients\/([^/]+)\/Secrets\/([^/]+)$/,
    ['tenantId', 'clientId', 'secretId'],
    hybridSecretRoute as unknown as RouteModule,
  ],
  [/^\/api\/v1\/Tenants\/([^/]+)\/DeviceCodeClients$/, ['tenantId'], deviceClientsRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/DeviceCodeClients\/([^/]+)$/, ['tenantId', 'clientId'], deviceClientRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/DeviceCodeClients\/([^/]+)\/Roles$/, ['tenantId', 'clientId'], deviceRolesRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/NotificationChannels$/, ['tenantId'], channelsRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/NotificationChannels\/([^/]+)$/, ['tenantId', 'channelId'], channelRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/Apis$/, ['tenantId'], apisRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/Apis\/([^/]+)$/, ['tenantId', 'apiId'], apiRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/ClientCredentialClients\/([^/]+)\/ApiAccess$/, ['tenantId', 'clientId'], clientApiAccessRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/AuthorizationCodeClients\/([^/]+)\/ApiAccess$/, ['tenantId', 'clientId'], authCodeApiAccessRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/HybridClients\/([^/]+)\/ApiAccess$/, ['tenantId', 'clientId'], hybridApiAccessRoute as unknown as RouteModule],
  [/^\/api\/v1\/Tenants\/([^/]+)\/DeviceCodeClients\/([^/]+)\/ApiAccess$/, ['tenantId', 'clientId'], deviceApiAccessRoute as unknown as RouteModule],
];

function match(pathname: string): { module: RouteModule; params: Record<string, string> } {
  for (const [re, names, module] of ROUTES) {
    const m = re.exec(pathname);
    if (m) return { module, params: Object.fromEntries(names.map((n, i) => [n, decodeURIComponent(m[i + 1])])) };
  }
  return { module: catchAll as RouteModule, params: { path: pathname } };
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
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    origin,
    issuer: `${origin}/identity`,
    service: identity.service,
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await identity.shutdown();
    },
  };
}
