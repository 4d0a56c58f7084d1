import { Table, TBody, Td, Th, THead, Tr } from '@/components/ui/table';

/** Just enough of JSON Schema (as lib/api/openapi.ts emits it) to render it for reading. */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  format?: string;
  items?: JsonSchema;
  anyOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  description?: string;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  maxItems?: number;
  'x-unchanged-when-omitted'?: boolean;
};

export const schemaAnchor = (name: string) => `schema-${name}`;
export const refName = (ref: string) => ref.split('/').pop() ?? ref;

/** "string (date-time) or null", "array of Role", with schema names as links to their tables. */
export function TypeLabel({ schema }: { schema: JsonSchema }) {
  if (schema.$ref) {
    const name = refName(schema.$ref);
    return (
      <a href={`#${schemaAnchor(name)}`} className="inline-flex min-h-6 min-w-6 items-center font-medium text-brand-700 underline underline-offset-2">
        {name}
      </a>
    );
  }
  if (schema.anyOf) {
    return (
      <>
        {schema.anyOf.map((s, i) => (
          <span key={i}>
            {i > 0 && ' or '}
            <TypeLabel schema={s} />
          </span>
        ))}
      </>
    );
  }
  if (schema.type === 'array' && schema.items) {
    return (
      <>
        array of <TypeLabel schema={schema.items} />
      </>
    );
  }
  if (schema.type === 'object' && schema.additionalProperties && typeof schema.additionalProperties === 'object') {
    return (
      <>
        map of <TypeLabel schema={schema.additionalProperties} />
      </>
    );
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : ['any'];
  return (
    <>
      {types
        .map((t) => (t !== 'null' && schema.format ? `${t} (${schema.format})` : t))
        .join(' or ')}
    </>
  );
}

/** Limits and defaults a reader needs, in words. */
export function constraintsOf(schema: JsonSchema): string[] {
  const out: string[] = [];
  if (schema.minLength !== undefined && schema.maxLength !== undefined) out.push(`${schema.minLength} to ${schema.maxLength} characters`);
  else if (schema.maxLength !== undefined) out.push(`at most ${schema.maxLength} characters`);
  if (schema.minimum !== undefined && schema.maximum !== undefined) out.push(`${schema.minimum} to ${schema.maximum}`);
  else if (schema.minimum !== undefined) out.push(`at least ${schema.minimum}`);
  if (schema.maxItems !== undefined) out.push(`at most ${schema.maxItems} items`);
  if (schema.enum) out.push(`one of ${schema.enum.map((v) => JSON.stringify(v)).join(', ')}`);
  if (schema.const !== undefined) out.push(`always ${JSON.stringify(schema.const)}`);
  if (schema.default !== undefined && !schema['x-unchanged-when-omitted']) out.push(`default ${JSON.stringify(schema.default)}`);
  return out;
}

/** An object schema as a table of its fields; anything else as its type and description. */
export function SchemaFields({ schema, caption }: { schema: JsonSchema; caption: string }) {
  if (schema.type !== 'object' || !schema.properties) {
    return (
      <p className="text-sm text-slate-700">
        <TypeLabel schema={schema} />
        {schema.description ? ` - ${schema.description}` : ''}
      </p>
    );
  }
  const required = new Set(schema.required ?? []);
  return (
    <Table aria-label={caption}>
      <THead>
        <Tr>
          <Th>Field</Th>
          <Th>Type</Th>
          <Th>Required</Th>
          <Th>Description</Th>
        </Tr>
      </THead>
      <TBody>
        {Object.entries(schema.properties).map(([name, prop]) => {
          const limits = constraintsOf(prop);
          return (
            <Tr key={name}>
              <Td>
                <code className="font-mono text-[13px] font-semibold">{name}</code>
              </Td>
              <Td className="whitespace-nowrap">
                <TypeLabel schema={prop} />
              </Td>
              <Td>{required.has(name) ? 'Yes' : 'No'}</Td>
              <Td className="max-w-xl">
                {prop.description}
                {limits.length > 0 && <span className="block text-xs text-slate-600">{limits.join('; ')}</span>}
              </Td>
            </Tr>
          );
        })}
      </TBody>
    </Table>
  );
}
