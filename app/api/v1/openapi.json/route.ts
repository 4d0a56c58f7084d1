import { requestOrigin } from '@/lib/api/authorize';
import { json } from '@/lib/api/http';
import { buildOpenApiDocument } from '@/lib/api/openapi';
import { methodsNotAllowed, unexpected } from '@/lib/api/route';

/** The OpenAPI 3.1 document. Public, like any API reference; it holds no tenant data. */
export function GET(request: Request): Response {
  try {
    return json(200, buildOpenApiDocument({ serverUrl: requestOrigin(request) }));
  } catch (err) {
    return unexpected(err);
  }
}

export const { POST, PUT, PATCH, DELETE, OPTIONS } = methodsNotAllowed(['GET']);
