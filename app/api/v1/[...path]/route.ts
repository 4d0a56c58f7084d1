import { apiError } from '@/lib/api/http';

/** Any other path under /api/v1: a JSON 404 (with Cache-Control: no-store), like every API answer. */
function notFound(): Response {
  return apiError(404, 'There is no such API endpoint.', {
    resolution: 'See /api/v1/openapi.json for the endpoints. Paths are case-sensitive.',
  });
}

export const GET = notFound;
export const HEAD = notFound;
export const POST = notFound;
export const PUT = notFound;
export const PATCH = notFound;
export const DELETE = notFound;
export const OPTIONS = notFound;
