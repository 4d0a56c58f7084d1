import { randomUUID } from 'node:crypto';
import { authorizeApi, type ApiCaller } from './authorize';
import { apiError } from '../http/api-answers';

/**
 * The shell of every REST API operation: authorize (bearer token or same-origin admin session, tenant from the
 * credential, checked against the path), run the operation, and turn an unexpected failure into a JSON 500 that
 * names an operation id (logged with the first line of the error; never the request body).
 */
export type Operation<P> = (request: Request, caller: ApiCaller, params: P) => Promise<Response>;

export function apiRoute<P extends { tenantId: string }>(operation: Operation<P>) {
  return async (request: Request, params: P): Promise<Response> => {
    try {
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

/** The methods an operation can have, in the order Allow lists them. */
const METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
export type Method = (typeof METHODS)[number];

/**
 * The answers for the methods a path does not support: a JSON 405 with Allow, instead of Next's empty one, and
 * OPTIONS: a 204 with Allow. Allow lists the supported methods (GET, POST, PUT, PATCH, DELETE order), then HEAD when
 * GET is supported, then OPTIONS.
 */
export function methodRefusals(supported: readonly Method[]): { notAllowed: () => Response; options: () => Response } {
  const listed = METHODS.filter((m) => supported.includes(m));
  const allow = [...listed, ...(listed.includes('GET') ? ['HEAD'] : []), 'OPTIONS'].join(', ');
  const notAllowed = () =>
    apiError(405, 'This method is not supported here.', {
      headers: { Allow: allow },
      resolution: `Use one of: ${allow}.`,
    });
  // OPTIONS names the supported methods only (Next's own answer would list every exported handler). No CORS: the API
  // is for servers and the console's own pages.
  const options = () => new Response(null, { status: 204, headers: { Allow: allow, 'Cache-Control': 'no-store' } });
  return { notAllowed, options };
}
