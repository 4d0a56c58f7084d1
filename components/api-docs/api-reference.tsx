import type { ReactNode } from 'react';
import type { OpenApiDocument } from '@/lib/api/openapi';
import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';
import { CodeBlock } from './code-block';
import { MethodBadge } from './method-badge';
import { schemaAnchor, SchemaFields, TypeLabel, type JsonSchema } from './schema-view';

/*
 * The OpenAPI document rendered for reading, with our own components (the CSP allows no third-party scripts, and
 * the page needs no client JavaScript apart from the Copy buttons).
 */
type Parameter = { name: string; in: string; required?: boolean; description?: string; schema: JsonSchema };
type ResponseObject = {
  description: string;
  headers?: Record<string, { $ref: string }>;
  content?: { 'application/json': { schema: JsonSchema } };
};
type Operation = {
  operationId: string;
  tags: string[];
  summary: string;
  description: string;
  parameters?: { $ref: string }[];
  requestBody?: { content: { 'application/json': { schema: JsonSchema; example?: unknown } } };
  responses: Record<string, ResponseObject | { $ref: string }>;
};
type Entry = { method: string; path: string; op: Operation; pathParams: { $ref: string }[] };

const METHODS = ['get', 'post', 'put', 'delete'];

function operationsOf(doc: OpenApiDocument): Entry[] {
  const out: Entry[] = [];
  for (const [path, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      const op = item[method] as Operation | undefined;
      if (op) out.push({ method, path, op, pathParams: (item.parameters ?? []) as unknown as { $ref: string }[] });
    }
  }
  return out;
}

function deref<T>(doc: OpenApiDocument, ref: { $ref: string } | T): T {
  if (typeof ref === 'object' && ref !== null && '$ref' in ref) {
    const [, , section, name] = (ref as { $ref: string }).$ref.split('/');
    return (doc.components as unknown as Record<string, Record<string, T>>)[section][name];
  }
  return ref as T;
}

const SHELL_VARS: Record<string, string> = { tenantId: '$TENANT_ID', clientId: '$CLIENT_ID', secretId: '$SECRET_ID', apiId: '$API_ID', keyId: '$KEY_ID', credentialId: '$CREDENTIAL_ID', channelId: '$CHANNEL_ID' };

function curlFor(entry: Entry): string {
  const url = `$BASE${entry.path.replace(/\{(\w+)\}/g, (_, n: string) => SHELL_VARS[n] ?? `$${n.toUpperCase()}`)}`;
  const lines = [`curl -sS${entry.method === 'get' ? '' : ` -X ${entry.method.toUpperCase()}`} "${url}" \\`, '  -H "Authorization: Bearer $TOKEN"'];
  const example = entry.op.requestBody?.content['application/json'].example;
  if (example !== undefined) {
    lines[lines.length - 1] += ' \\';
    lines.push('  -H "Content-Type: application/json" \\', `  -d '${JSON.stringify(example)}'`);
  }
  return lines.join('\n');
}

function ParametersTable({ doc, refs, caption }: { doc: OpenApiDocument; refs: { $ref: string }[]; caption: string }) {
  const params = refs.map((r) => deref<Parameter>(doc, r));
  return (
    <Table aria-label={caption}>
      <THead>
        <Tr>
          <Th>Parameter</Th>
          <Th>In</Th>
          <Th>Type</Th>
          <Th>Description</Th>
        </Tr>
      </THead>
      <TBody>
        {params.map((p) => (
          <Tr key={`${p.in}-${p.name}`}>
            <Td>
              <code className="font-mono text-[13px] font-semibold">{p.name}</code>
              {p.required && <span className="ml-1 text-xs text-slate-600">(required)</span>}
            </Td>
            <Td>{p.in}</Td>
            <Td className="whitespace-nowrap">
              <TypeLabel schema={p.schema} />
            </Td>
            <Td>{p.description ?? p.schema.description}</Td>
          </Tr>
        ))}
      </TBody>
    </Table>
  );
}

/**
 * Closed until asked for: 46 operations and 28 schemas with every table open make a page too long to scan (and a
 * heavy one). A link to an id inside (a schema link, #schema-Name) opens it: browsers reveal a closed <details>
 * whose content holds the fragment's target.
 */
function Disclosure({ summary, targetId, children }: { summary: string; targetId: string; children: ReactNode }) {
  return (
    <details className="group">
      <summary className="inline-flex min-h-6 cursor-pointer items-center gap-1 rounded text-sm font-medium text-brand-700 underline-offset-2 hover:underline focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-600">
        <span aria-hidden="true" className="inline-block transition-transform group-open:rotate-90">
          ▸
        </span>
        {summary}
      </summary>
      <div id={targetId} className="mt-3 scroll-mt-24 space-y-4">
        {children}
      </div>
    </details>
  );
}

function OperationSection({ doc, entry }: { doc: OpenApiDocument; entry: Entry }) {
  const { op, method, path } = entry;
  const params = [...entry.pathParams, ...(op.parameters ?? [])];
  const body = op.requestBody?.content['application/json'].schema;
  const headingId = `op-${op.operationId}`;
  return (
    <section aria-labelledby={headingId} className="scroll-mt-6 space-y-4 rounded-lg border border-slate-200 bg-white p-5" id={op.operationId}>
      <h3 id={headingId} className="text-lg font-semibold">
        {op.summary}
      </h3>
      <p className="flex flex-wrap items-center gap-2">
        <MethodBadge method={method} />
        <code className="font-mono text-sm break-all">{path}</code>
      </p>
      <p className="text-sm text-slate-700">{op.description}</p>
      <Disclosure summary="Request, responses and curl example" targetId={`${op.operationId}-details`}>
        {params.length > 0 && <ParametersTable doc={doc} refs={params} caption={`Parameters of ${op.summary}`} />}
        {body && (
          <div className="space-y-2">
            <h4 className="text-sm font-semibold">
              Request body: <TypeLabel schema={body} />
            </h4>
            <SchemaFields schema={body.$ref ? deref<JsonSchema>(doc, body as { $ref: string }) : body} caption={`Request body of ${op.summary}`} />
          </div>
        )}
        <div className="space-y-2">
          <h4 className="text-sm font-semibold">Responses</h4>
          <Table aria-label={`Responses of ${op.summary}`}>
            <THead>
              <Tr>
                <Th>Status</Th>
                <Th>Body</Th>
                <Th>Description</Th>
              </Tr>
            </THead>
            <TBody>
              {Object.entries(op.responses).map(([status, ref]) => {
                const r = deref<ResponseObject>(doc, ref);
                const schema = r.content?.['application/json'].schema;
                const headers = Object.keys(r.headers ?? {}).filter((h) => h !== 'Cache-Control');
                return (
                  <Tr key={status}>
                    <Td className="font-mono font-semibold">{status}</Td>
                    <Td className="whitespace-nowrap">{schema ? <TypeLabel schema={schema} /> : 'None'}</Td>
                    <Td>
                      {r.description}
                      {headers.length > 0 && <span className="block text-xs text-slate-600">Headers: {headers.join(', ')}</span>}
                    </Td>
                  </Tr>
                );
              })}
            </TBody>
          </Table>
        </div>
        <CodeBlock id={`curl-${op.operationId}`} code={curlFor(entry)} label={`curl example for ${op.summary}`} />
      </Disclosure>
    </section>
  );
}

export function ApiReference({ doc, baseUrl, tenantId }: { doc: OpenApiDocument; baseUrl: string; tenantId: string }) {
  const entries = operationsOf(doc);
  const tags = doc.tags.map((t) => ({ ...t, entries: entries.filter((e) => e.op.tags.includes(t.name)) }));
  const setup = [
    `BASE=${baseUrl}`,
    `TENANT_ID=${tenantId}`,
    '# The Client Id and secret of a client that holds the Tenant Administrator role:',
    'CLIENT_ID=<Client Id>',
    "CLIENT_SECRET='<secret>'",
    '',
    'TOKEN=$(curl -sS -u "$CLIENT_ID:$CLIENT_SECRET" \\',
    '  -d grant_type=client_credentials "$BASE/identity/connect/token" | jq -r .access_token)',
  ].join('\n');

  return (
    <div className="grid grid-cols-[minmax(0,1fr)] gap-8 xl:grid-cols-[minmax(0,1fr)_16rem]">
      <div className="min-w-0 space-y-10">
        <section aria-labelledby="getting-started" className="space-y-3">
          <h2 id="getting-started" className="text-xl font-semibold">
            Getting started
          </h2>
          <p className="max-w-3xl text-sm text-slate-700">{doc.info.description}</p>
          <p className="max-w-3xl text-sm text-slate-700">
            Add a client with the Tenant Administrator role under Security &gt; Clients and copy its Client Id and secret. Then get
            an access token and send it with every call:
          </p>
          <CodeBlock id="curl-setup" code={setup} label="token request" />
          <p className="text-sm text-slate-700">
            The machine-readable document:{' '}
            <a href="/api/v1/openapi.json" className="font-medium text-brand-700 underline underline-offset-2">
              /api/v1/openapi.json
            </a>{' '}
            (OpenAPI {doc.openapi}).
          </p>
        </section>

        {tags.map((tag) => (
          <section key={tag.name} aria-labelledby={`tag-${tag.name}`} className="space-y-4">
            <h2 id={`tag-${tag.name}`} className="text-xl font-semibold">
              {tag.name}
            </h2>
            <p className="text-sm text-slate-700">{tag.description}</p>
            {tag.entries.map((e) => (
              <OperationSection key={e.op.operationId} doc={doc} entry={e} />
            ))}
          </section>
        ))}

        <section aria-labelledby="schemas" className="space-y-4">
          <h2 id="schemas" className="text-xl font-semibold">
            Schemas
          </h2>
          {Object.entries(doc.components.schemas).map(([name, schema]) => (
            <section key={name} aria-labelledby={`${schemaAnchor(name)}-h`} className="space-y-2">
              <h3 id={`${schemaAnchor(name)}-h`} className="font-mono text-base font-semibold">
                {name}
              </h3>
              {(schema as JsonSchema).description && <p className="text-sm text-slate-700">{(schema as JsonSchema).description}</p>}
              {/* A schema link (#schema-Name) points inside the closed disclosure: the browser opens it and scrolls there. */}
              <Disclosure summary="Fields" targetId={schemaAnchor(name)}>
                <SchemaFields schema={schema as JsonSchema} caption={`Fields of ${name}`} />
              </Disclosure>
            </section>
          ))}
        </section>
      </div>

      <nav aria-label="On this page" className="hidden xl:block">
        <div className="sticky top-6 space-y-3 text-sm">
          <p className="text-xs font-semibold tracking-wide text-slate-500 uppercase">On this page</p>
          <a href="#getting-started" className="block text-slate-700 hover:underline">
            Getting started
          </a>
          {tags.map((tag) => (
            <div key={tag.name}>
              <a href={`#tag-${tag.name}`} className="block font-medium text-slate-800 hover:underline">
                {tag.name}
              </a>
              <ul className="mt-1 space-y-1 border-l border-slate-200 pl-3">
                {tag.entries.map((e) => (
                  <li key={e.op.operationId}>
                    <a href={`#${e.op.operationId}`} className="text-slate-700 hover:underline">
                      {e.op.summary}
                    </a>
                  </li>
                ))}
              </ul>
            </div>
          ))}
          <a href="#schemas" className="block font-medium text-slate-800 hover:underline">
            Schemas
          </a>
        </div>
      </nav>
    </div>
  );
}
