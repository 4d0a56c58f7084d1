import { requestOrigin } from '@/lib/api/authorize';
import { json } from '@/lib/http/api-answers';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { methodRefusals, unexpected } from '@/lib/api/route';

/** The OpenAPI 3.1 document. Public, like any API reference; it holds no tenant data. */
export function GET(request: Request): Response {
  try {
    return json(200, buildOpenApiDocument({ serverUrl: requestOrigin(request) }));
  } catch (err) {
    return unexpected(err);
  }
}

const { notAllowed, options } = methodRefusals(['GET']);
export const POST = notAllowed;
export const PUT = notAllowed;
export const PATCH = notAllowed;
export const DELETE = notAllowed;
export const OPTIONS = options;
