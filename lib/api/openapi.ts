import { z } from 'zod';
import { MAX_BODY_BYTES } from './body';
import { CONTRACT, type OperationSpec } from './contract';
import { APIS_TAG_DESCRIPTION } from './apis-operations';
import { pagingQuery, requestSchemas, responseSchemas } from './schemas';

/**
 * The OpenAPI 3.1 document of the REST API, generated from the zod schemas the handlers validate with
 * (lib/api/schemas.ts, whose request fields are the console's own field schemas) and the contract
 * (lib/api/contract.ts). Served at /api/v1/openapi.json and rendered by the console's API page.
 */
type JsonSchema = Record<string, unknown>;
export type OpenApiDocument = {
  openapi: '3.1.0';
  info: { title: string; version: string; description: string };
  servers: { url: string }[];
  tags: { name: string; description: string }[];
  security: Record<string, string[]>[];
  paths: Record<string, Record<string, JsonSchema>>;
  components: {
    schemas: Record<string, JsonSchema>;
    securitySchemes: Record<string, JsonSchema>;
    parameters: Record<string, JsonSchema>;
    headers: Record<string, JsonSchema>;
    responses: Record<string, JsonSchema>;
  };
};

const SCHEMA_REF = (id: string) => `#/components/schemas/${id}`;

/** The component id a contract entry's schema is registered under. */
function componentId(registry: typeof requestSchemas, schema: z.ZodType): string {
  const id = registry.get(schema)?.id;
  if (!id) throw new Error('openapi: a contract schema is not registered in lib/api/schemas.ts\'s registries');
  return id;
}
const MAX_SAFE = Number.MAX_SAFE_INTEGER;

/** JSON cannot carry a Date: the console's `z.date()` branch of an expiration is a date-time string here. */
function unrepresentable(ctx: { zodSchema: { _zod: { def: { type: string } } } }) {
  return ctx.zodSchema._zod.def.type === 'date' ? { type: 'string' as const, format: 'date-time' } : ('throw' as const);
}

/** Tidy what the generator emits for readers: drop per-schema $schema/$id, zod's safe-integer bounds, and merge
 * `anyOf: [string, string(date-time)]` (text or a Date in the console) into one date-time string. */
function tidy(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(tidy);
  if (!node || typeof node !== 'object') return node;
  const out: JsonSchema = {};
  for (const [k, v] of Object.entries(node as JsonSchema)) {
    if (k === '$schema' || k === '$id') continue;
    if ((k === 'minimum' && v === -MAX_SAFE) || (k === 'maximum' && v === MAX_SAFE)) continue;
    out[k] = tidy(v);
  }
  if (Array.isArray(out.anyOf)) {
    const branches = out.anyOf as JsonSchema[];
    const dateTime = branches.find((b) => b.type === 'string' && b.format === 'date-time');
    if (dateTime) {
      const rest = branches.filter((b) => b !== dateTime && !(b.type === 'string' && Object.keys(b).length === 1));
      const nullable = rest.some((b) => b.type === 'null' && Object.keys(b).length === 1);
      if (rest.length === (nullable ? 1 : 0)) {
        delete out.anyOf;
        out.type = nullable ? ['string', 'null'] : 'string';
        out.format = 'date-time';
      }
    }
  }
  // A field that keeps its stored value when left out has no default.
  if (out['x-unchanged-when-omitted'] === true) delete out.default;
  return out;
}

function componentSchemas(): Record<string, JsonSchema> {
  const requests = z.toJSONSchema(requestSchemas, { io: 'input', uri: SCHEMA_REF, unrepresentable }).schemas;
  const responses = z.toJSONSchema(responseSchemas, { io: 'output', uri: SCHEMA_REF }).schemas;
  return tidy({ ...requests, ...responses }) as Record<string, JsonSchema>;
}

function pagingParameters(): Record<string, JsonSchema> {
  const shape = tidy(z.toJSONSchema(pagingQuery, { io: 'input' })) as { properties: Record<string, JsonSchema> };
  const param = (name: 'skip' | 'count') => {
    const { description, ...schema } = shape.properties[name];
    return { name, in: 'query', required: false, description, schema: { ...schema, type: 'integer' } };
  };
  return { skip: param('skip'), count: param('count') };
}

const ERROR_DESCRIPTIONS: Record<number, string> = {
  401: 'No access token, or one that is invalid, expired, or of a client that is disabled or removed (see WWW-Authenticate).',
  403: 'The client or user is not a Tenant Administrator of this tenant, the path names another tenant, or a cross-site request used the console session.',
};

function responsesOf(op: OperationSpec): Record<string, JsonSchema> {
  const out: Record<string, JsonSchema> = {};
  const { success } = op;
  const headers: Record<string, JsonSchema> = {};
  if (op.paging) headers['Total-Count'] = { $ref: '#/components/headers/Total-Count' };
  if (success.status === 201) headers.Location = { $ref: '#/components/headers/Location' };
  if (op.etag) {
    headers.ETag = { $ref: '#/components/headers/ETag' };
  }
  headers['Cache-Control'] = { $ref: '#/components/headers/Cache-Control' };
  const ref = success.schema ? { $ref: SCHEMA_REF(componentId(responseSchemas, success.schema)) } : undefined;
  const schema = ref && success.array ? { type: 'array', items: ref } : ref;
  out[String(success.status)] = {
    description: success.description,
    headers,
    ...(schema ? { content: { 'application/json': { schema } } } : {}),
  };
  const errors = [...op.errors.map((e) => ({ status: e.status, description: e.description })), { status: 401 }, { status: 403 }];
  for (const e of errors.sort((a, b) => a.status - b.status)) {
    if (e.status === 401 || e.status === 403) out[String(e.status)] = { $ref: `#/components/responses/Error${e.status}` };
    else
      out[String(e.status)] = {
        description: 'description' in e ? e.description : '',
        content: { 'application/json': { schema: { $ref: SCHEMA_REF('ErrorResponse') } } },
      };
  }
  return out;
}

function pathParameters(path: string): JsonSchema[] {
  return [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ $ref: `#/components/parameters/${m[1]}` }));
}

let built: Omit<OpenApiDocument, 'servers'> | null = null;

/** The document for a server URL. Built once per process (it depends only on code); treat it as read-only. */
export function buildOpenApiDocument(options: { serverUrl?: string } = {}): OpenApiDocument {
  built ??= build();
  const { openapi, info, tags, security, paths, components } = built;
  return { openapi, info, servers: [{ url: options.serverUrl ?? '/' }], tags, security, paths, components };
}

function build(): Omit<OpenApiDocument, 'servers'> {
  const paths: OpenApiDocument['paths'] = {};
  for (const op of CONTRACT) {
    const item = (paths[op.path] ??= { parameters: pathParameters(op.path) as unknown as JsonSchema });
    item[op.method] = {
      operationId: op.operationId,
      tags: [op.tag],
      summary: op.summary,
      description: op.description,
      ...(op.paging ? { parameters: [{ $ref: '#/components/parameters/skip' }, { $ref: '#/components/parameters/count' }] } : {}),
      ...(op.request
        ? {
            requestBody: {
              required: true,
              content: {
                'application/json': {
                  schema: { $ref: SCHEMA_REF(componentId(requestSchemas, op.request)) },
                  ...(op.example ? { example: op.example } : {}),
                },
              },
            },
          }
        : {}),
      ...(op.ifMatch
        ? { parameters: [{ $ref: '#/components/parameters/If-Match' }] }
        : {}),
      responses: responsesOf(op),
    };
  }
  const errorResponse = (status: 401 | 403) => ({
    description: ERROR_DESCRIPTIONS[status],
    headers: { 'WWW-Authenticate': { $ref: '#/components/headers/WWW-Authenticate' } },
    content: { 'application/json': { schema: { $ref: SCHEMA_REF('ErrorResponse') } } },
  });
  const guid = (description: string) => ({ type: 'string', format: 'uuid', description });

  return {
    openapi: '3.1.0',
    info: {
      title: 'Tenant Security Console API',
      version: '1',
      description:
        'Manage client-credentials, Authorization Code, Hybrid and Device Code clients, their roles and their secrets, and the ' +
        'tenant\'s APIs (RFC 8707 resource indicators) with the clients that may get tokens for them. Authorize with an access token from ' +
        '/identity/connect/token (client credentials) of a client that holds the Tenant Administrator role of the ' +
        'tenant, or, from the console itself, with a signed-in Tenant Administrator\'s session. Every answer is ' +
        `sent with Cache-Control: no-store. Request bodies are JSON, at most ${MAX_BODY_BYTES / 1024} KiB.`,
    },
    tags: [
      { name: 'Clients', description: 'Client-credentials clients (server to server). A client of another type is not found here.' },
      { name: 'Roles', description: 'The roles clients can be given, and the roles a client holds.' },
      { name: 'Secrets', description: 'A client\'s secrets (at most 10; each shown once, when created).' },
      { name: 'Keys', description: 'A client\'s public keys for private_key_jwt (at most 10; public keys only).' },
      {
        name: 'FederatedCredentials',
        description:
          'Platform tokens (GitHub Actions, GitLab CI, Kubernetes, SPIFFE, any OIDC issuer) a client authenticates with instead of a secret (at most 20).',
      },
      {
        name: 'AuthorizationCodeClients',
        description:
          'Authorization Code clients (public: browser and native apps; PKCE S256, no secret) that sign users in, and their roles. ' +
          'A client of another type is not found here.',
      },
      {
        name: 'HybridClients',
        description:
          'Hybrid clients (confidential: server-side web apps) that sign users in, their roles and their secrets (at most 10; each ' +
          'shown once, when created). A client of another type is not found here.',
      },
      {
        name: 'DeviceCodeClients',
        description:
          'Device Code clients (RFC 8628: TVs, devices and CLIs; public: no secret; no redirect URLs: a user approves the device at ' +
          '/device on another screen), and their roles. A client of another type is not found here.',
      },
      {
        name: 'NotificationChannels',
        description:
          'Where the tenant\'s alerts go (Security > Notifications): email or Standard Webhooks endpoints, and the events each one gets ' +
          '(expiring and expired secrets and keys, unused clients, the audit stream). At most 20.',
      },
      { name: 'Apis', description: APIS_TAG_DESCRIPTION },
    ],
    security: [{ bearerAuth: [] }, { oauth2: [] }, { consoleSession: [] }],
    paths,
    components: {
      schemas: componentSchemas(),
      securitySchemes: {
        bearerAuth: {
          type: 'http',
          scheme: 'bearer',
          bearerFormat: 'JWT',
          description: 'An access token from the token endpoint; its client must hold Tenant Administrator of the tenant.',
        },
        oauth2: {
          type: 'oauth2',
          description: 'Client credentials grant at this server\'s token endpoint.',
          flows: { clientCredentials: { tokenUrl: '/identity/connect/token', scopes: {} } },
        },
        consoleSession: {
          type: 'apiKey',
          in: 'cookie',
          name: 'authjs.session-token',
          description: 'The console\'s session (same-origin requests only; requests that change data must carry a matching Origin header).',
        },
      },
      parameters: {
        tenantId: { name: 'tenantId', in: 'path', required: true, schema: guid('The tenant\'s id.') },
        clientId: { name: 'clientId', in: 'path', required: true, schema: guid('The Client Id.') },
        secretId: {
          name: 'secretId',
          in: 'path',
          required: true,
          schema: { type: 'integer', minimum: 1, description: 'The secret\'s id.' },
        },
        keyId: { name: 'keyId', in: 'path', required: true, schema: { type: 'integer', minimum: 1, description: 'The key\'s id.' } },
        credentialId: { name: 'credentialId', in: 'path', required: true, schema: { type: 'integer', minimum: 1, description: 'The federated credential\'s id.' } },
        channelId: { name: 'channelId', in: 'path', required: true, schema: guid('The notification channel\'s id.') },
        apiId: { name: 'apiId', in: 'path', required: true, schema: guid('The API\'s id.') },
        ...pagingParameters(),
        'If-Match': {
          name: 'If-Match',
          in: 'header',
          required: false,
          description: 'The ETag of a GET of the client (or API): the change is refused with 412 if it changed since.',
          schema: { type: 'string' },
        },
      },
      headers: {
        'Total-Count': { description: 'How many items there are in all.', schema: { type: 'integer', minimum: 0 } },
        Location: { description: 'The URL of the new resource.', schema: { type: 'string' } },
        ETag: { description: 'The client\'s (or API\'s) version.', schema: { type: 'string' } },
        'Cache-Control': { description: 'Always no-store.', schema: { type: 'string', const: 'no-store' } },
        'WWW-Authenticate': { description: 'Bearer challenge (RFC 6750), with error="invalid_token" for a bad token.', schema: { type: 'string' } },
      },
      responses: { Error401: errorResponse(401), Error403: errorResponse(403) },
    },
  };
}
