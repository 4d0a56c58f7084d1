import { CONTRACT, type OperationSpec, type PathParams } from './contract';
import { apiError } from '../http/api-answers';
import { apiRoute, methodRefusals, unexpected, type Method } from './route';

/**
 * The REST API's router, generated from the contract (lib/api/contract.ts): app/api/v1/[...path]/route.ts and the
 * API test server answer every /api/v1 request with dispatchApi. It routes as Next routed the folder-per-path route
 * modules it replaces: the pathname as sent (still %-encoded) is matched segment by segment; a static segment
 * matches itself exactly (case-sensitive, not decoded); a {parameter} matches any non-empty segment and is
 * %-decoded. No request can match two paths (routesOf refuses such a contract), so the order of the paths does not
 * matter, and Next's precedence of a static segment over a parameter never comes into play.
 */
export const API_PREFIX = '/api/v1/';

type Segment = { literal: string } | { param: string };

export type ApiRoute = {
  /** The path template, as the contract and the OpenAPI document write it. */
  template: string;
  segments: Segment[];
  /** The contract's operations on this path by HTTP method, each run through apiRoute. */
  operations: Partial<Record<Method, { spec: OperationSpec; run: (request: Request, params: PathParams) => Promise<Response> }>>;
  refusals: ReturnType<typeof methodRefusals>;
};

function segmentsOf(template: string): Segment[] {
  return template
    .slice(API_PREFIX.length)
    .split('/')
    .map((s) => {
      const param = /^\{(\w+)\}$/.exec(s)?.[1];
      return param ? { param } : { literal: s };
    });
}

/** Whether some pathname matches both routes: as long, and no two different static segments at one position. */
function overlap(a: ApiRoute, b: ApiRoute): boolean {
  return (
    a.segments.length === b.segments.length &&
    a.segments.every((s, i) => {
      const t = b.segments[i];
      return !('literal' in s && 'literal' in t) || s.literal === t.literal;
    })
  );
}

/** The routes of a contract: one per path, with its operations by method. */
export function routesOf(contract: readonly OperationSpec[]): ApiRoute[] {
  const byPath = new Map<string, OperationSpec[]>();
  for (const spec of contract) byPath.set(spec.path, [...(byPath.get(spec.path) ?? []), spec]);
  const routes = [...byPath].map(([template, specs]): ApiRoute => {
    if (!template.startsWith(`${API_PREFIX}Tenants/{tenantId}/`)) throw new Error(`api router: ${template} is not under a tenant`);
    const methods = specs.map((spec) => spec.method.toUpperCase() as Method);
    if (new Set(methods).size !== methods.length) throw new Error(`api router: ${template} has an operation twice`);
    return {
      template,
      segments: segmentsOf(template),
      operations: Object.fromEntries(specs.map((spec) => [spec.method.toUpperCase(), { spec, run: apiRoute(spec.handler) }])),
      refusals: methodRefusals(methods),
    };
  });
  routes.forEach((a, i) => {
    const b = routes.slice(i + 1).find((r) => overlap(a, r));
    if (b) throw new Error(`api router: a request could match both ${a.template} and ${b.template}`);
  });
  return routes;
}

export const API_ROUTES: readonly ApiRoute[] = routesOf(CONTRACT);

/** The route of a pathname (as sent, %-encoded) and its decoded parameters, or null: no such API path. */
export function matchApiPath(pathname: string): { route: ApiRoute; params: PathParams } | null {
  if (!pathname.startsWith(API_PREFIX)) return null;
  const parts = pathname.slice(API_PREFIX.length).split('/');
  for (const route of API_ROUTES) {
    if (route.segments.length !== parts.length) continue;
    const fits = route.segments.every((s, i) => ('literal' in s ? parts[i] === s.literal : parts[i] !== ''));
    if (!fits) continue;
    const params: Record<string, string> = {};
    route.segments.forEach((s, i) => {
      if ('param' in s) params[s.param] = decodeURIComponent(parts[i]);
    });
    // Every template starts with Tenants/{tenantId} (routesOf checks it).
    return { route, params: params as PathParams };
  }
  return null;
}

/** Any other path under /api/v1: a JSON 404 (with Cache-Control: no-store), like every API answer. */
function notFound(): Response {
  return apiError(404, 'There is no such API endpoint.', {
    resolution: 'See /api/v1/openapi.json for the endpoints. Paths are case-sensitive.',
  });
}

/**
 * Answer one /api/v1 request: the operation (authorized by apiRoute), HEAD as GET, OPTIONS with Allow, a JSON 405
 * with Allow for a method the path does not support, a JSON 404 for a path that is no operation's.
 */
export async function dispatchApi(request: Request): Promise<Response> {
  try {
    const match = matchApiPath(new URL(request.url).pathname);
    if (!match) return notFound();
    const { route, params } = match;
    const method = request.method.toUpperCase();
    if (method === 'OPTIONS') return route.refusals.options();
    const operation = method === 'HEAD' ? route.operations.GET : route.operations[method as Method];
    return operation ? await operation.run(request, params) : route.refusals.notAllowed();
  } catch (err) {
    return unexpected(err);
  }
}
