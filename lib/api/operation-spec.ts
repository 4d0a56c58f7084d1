import type { z } from 'zod';
import type { ApiCaller } from './authorize';

/**
 * One REST API operation: its OpenAPI description and its handler, declared together (lib/api/contract.ts lists
 * them; lib/api/openapi.ts documents them; lib/api/router.ts routes /api/v1 to them).
 */
export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

/** A path's parameters by name ({tenantId} and the rest of its template's), %-decoded as Next decodes them. */
export type PathParams = Record<string, string> & { tenantId: string };

export type OperationSpec = {
  method: HttpMethod;
  path: string;
  operationId: string;
  tag:
    | 'Clients'
    | 'Roles'
    | 'Secrets'
    | 'Keys'
    | 'FederatedCredentials'
    | 'AuthorizationCodeClients'
    | 'HybridClients'
    | 'DeviceCodeClients'
    | 'NotificationChannels'
    | 'Apis';
  summary: string;
  description: string;
  paging?: boolean;
  /** The answer has an ETag (the client's version); the request takes If-Match. */
  etag?: boolean;
  ifMatch?: boolean;
  /** The request body: a schema registered in lib/api/schemas.ts's requestSchemas, and an example body. */
  request?: z.ZodType;
  example?: unknown;
  /** `schema` is registered in responseSchemas. */
  success: { status: 200 | 201 | 204; schema?: z.ZodType; array?: boolean; description: string };
  /** Error statuses besides 401 and 403, which every operation has. */
  errors: { status: 400 | 404 | 409 | 412 | 413 | 415; description: string }[];
  /**
   * Runs once apiRoute has authorized the caller for the path's tenant. Method syntax, so each handler can name
   * the parameters of its own path (ClientParams, KeyParams...).
   */
  handler(request: Request, caller: ApiCaller, params: PathParams): Promise<Response>;
};
