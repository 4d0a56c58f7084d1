import Ajv2020 from 'ajv/dist/2020';
import type { DbHandle } from '../../db';
import { buildOpenApiDocument } from '../openapi';
import type { Method } from '../route';
import { matchApiPath } from '../router';
import { createTestClient, type TestClient } from '../../testing/clients';
import { createTestTenant, type TestTenant } from '../../testing/db';
import type { startApiTestServer } from './api-server';

/** Tests: helpers around a running api test server (lib/api/testing/api-server.ts). */
export type ApiServer = Awaited<ReturnType<typeof startApiTestServer>>;

export type ApiAnswer = { status: number; headers: Headers; body: unknown; text: string };

/**
 * Every answer a test gets is checked against the OpenAPI document: its status must be documented for the operation
 * (or be the JSON 405 of an unsupported method), and its body must validate against the documented schema.
 */
/** The two formats the document uses, checked strictly (what clients will parse). */
export function addFormats(ajv: Ajv2020) {
  ajv.addFormat('uuid', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
  ajv.addFormat('date-time', (v: string) => /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:\d\d)$/.test(v) && !Number.isNaN(Date.parse(v)));
}

function documentConformance() {
  const doc = buildOpenApiDocument();
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema({ $id: 'doc', components: doc.components } as object);
  return (method: string, url: string, status: number, body: unknown): string | null => {
    const pathname = new URL(url, 'http://x').pathname;
    const match = matchApiPath(pathname);
    if (!match || status === 405 || method === 'OPTIONS') return null;
    const head = method === 'HEAD';
    const op = match.route.operations[head ? 'GET' : (method.toUpperCase() as Method)]?.spec;
    if (!op) return `${method} ${pathname} answered ${status} but is not documented`;
    const operation = doc.paths[op.path][op.method] as { responses: Record<string, { $ref?: string; content?: { 'application/json': { schema: object } } }> };
    let documented = operation.responses[String(status)];
    if (!documented) return `${op.operationId} answered ${status}, which is not documented`;
    if (documented.$ref) documented = (doc.components.responses as Record<string, typeof documented>)[documented.$ref.split('/').pop()!];
    const schema = documented.content?.['application/json'].schema;
    if (head) return null;
    if (!schema) return body === null ? null : `${op.operationId} ${status} has a body but documents none`;
    const rewrite = (s: unknown): unknown =>
      JSON.parse(JSON.stringify(s).replace(/"#\/components\//g, '"doc#/components/'));
    const validate = ajv.compile(rewrite(schema) as object);
    return validate(body) ? null : `${op.operationId} ${status}: ${ajv.errorsText(validate.errors)}`;
  };
}

export function apiClient(server: ApiServer) {
  const conforms = documentConformance();
  async function tokenFor(client: Pick<TestClient, 'clientId' | 'secret'>): Promise<string> {
    const res = await fetch(`${server.origin}/identity/connect/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'client_credentials', client_id: client.clientId, client_secret: client.secret }),
    });
    const body = (await res.json()) as { access_token?: string };
    if (res.status !== 200 || !body.access_token) throw new Error(`token request failed with ${res.status}`);
    return body.access_token;
  }

  async function call(
    method: string,
    path: string,
    opts: { token?: string; json?: unknown; body?: BodyInit; headers?: Record<string, string> } = {},
  ): Promise<ApiAnswer> {
    const headers: Record<string, string> = { ...(opts.token ? { Authorization: `Bearer ${opts.token}` } : {}) };
    let body = opts.body;
    if (opts.json !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.json);
    }
    const res = await fetch(server.origin + path, { method, headers: { ...headers, ...opts.headers }, body });
    const text = await res.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = undefined;
    }
    const violation = conforms(method, path, res.status, parsed);
    if (violation) throw new Error(`The answer does not match the OpenAPI document: ${violation}`);
    return { status: res.status, headers: res.headers, body: parsed, text };
  }

  return { tokenFor, call };
}

/** A tenant with an administrator API client, a client without the role, and the tenant's role ids by type. */
export async function apiTenant(h: DbHandle, label: string) {
  const tenant: TestTenant = await createTestTenant(h.db, label);
  const adminClient = await createTestClient(h.db, { tenantId: tenant.tenantId, roleTypes: ['tenant_administrator'], name: `${label} automation` });
  const plainClient = await createTestClient(h.db, { tenantId: tenant.tenantId, roleTypes: ['tenant_contributor'] });
  const roleId = (type: string) => tenant.roles.find((r) => r.roleType === type)!.id;
  return { ...tenant, adminClient, plainClient, roleId };
}
