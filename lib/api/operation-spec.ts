/** One REST API operation as data (lib/api/operations.ts lists them; lib/api/openapi.ts documents them). */
export type HttpMethod = 'get' | 'post' | 'put' | 'delete';

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
  /** A component schema id of lib/api/schemas.ts's requestSchemas, and an example body. */
  request?: string;
  example?: unknown;
  success: { status: 200 | 201 | 204; schema?: string; array?: boolean; description: string };
  /** Error statuses besides 401 and 403, which every operation has. */
  errors: { status: 400 | 404 | 409 | 412 | 413 | 415; description: string }[];
};
