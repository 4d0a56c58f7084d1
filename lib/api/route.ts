import { randomUUID } from 'node:crypto';
import { authorizeApi, type ApiCaller } from './authorize';
import { apiError } from './http';

/**
 * The shell of every REST API route handler: authorize (bearer token or same-origin admin session, tenant from the
 * credential, checked against the path), run the operation, and turn an unexpected failure into a JSON 500 that
 * names an operation id (logged with the first line of the error; never the request body).
 */
export type RouteContext<P> = { params: Promise<P> };
export type Operation<P> = (request: Request, caller: ApiCaller, params: P) => Promise<Response>;

export function apiRoute<P extends { tenantId: string }>(operation: Operation<P>) {
  return async (request: Request, context: RouteContext<P>): Promise<Response> => {
    try {
      const params = await context.params;
      const auth = await authorizeApi(request, params.tenantId);
      if (!auth.ok) return auth.response;
      return await operation(request, auth.caller, params);
    } catch (err) {
      return unexpected(err);
    }
  };
}

export function unexpected(err: unknown): Response {
  const operationId = randomUUID();
  console.error(`[api] ${operationId} unexpected error:`, ((err as Error)?.message ?? String(err)).split('\n')[0]);
  return apiError(500, 'Something went wrong on our side. Try again; if it keeps failing, report the OperationId.', { operationId });
}

const ALL_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
type Method = (typeof ALL_METHODS)[number];

/**
 * Handlers for the methods a route does not support: a JSON 405 with Allow, instead of Next's empty one.
 * Spread into the route module: `export const { PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET', 'POST'])`.
 */
export function methodsNotAllowed(supported: Method[]): Record<Method | 'OPTIONS', () => Response> {
  const allow = [...new Set([...supported, ...(supported.includes('GET') ? ['HEAD'] : []), 'OPTIONS'])].join(', ');
  const handler = () =>
    apiError(405, 'This method is not supported here.', {
      headers: { Allow: allow },
      resolution: `Use one of: ${allow}.`,
    });
  // OPTIONS names the supported methods only (Next's own answer would list the 405 handlers too). No CORS: the API
  // is for servers and the console's own pages.
  const options = () => new Response(null, { status: 204, headers: { Allow: allow, 'Cache-Control': 'no-store' } });
  return { ...(Object.fromEntries(ALL_METHODS.map((m) => [m, handler])) as Record<Method, () => Response>), OPTIONS: options };
}
