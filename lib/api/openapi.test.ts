import { Validator } from '@seriousme/openapi-schema-validator';
import Ajv2020 from 'ajv/dist/2020';
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi';
import { CONTRACT } from './contract';
import { addFormats } from './testing/fixtures';

describe('OpenAPI document', () => {
  const doc = buildOpenApiDocument({ serverUrl: 'http://localhost:3000' });

  it('is a valid OpenAPI 3.1 document', async () => {
    const result = await new Validator().validate(JSON.parse(JSON.stringify(doc)) as Parameters<Validator['validate']>[0]);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe('3.1.0');
  });

  it('every $ref resolves and every component schema compiles as JSON Schema 2020-12', () => {
    const json = JSON.stringify(doc);
    for (const m of json.matchAll(/"\$ref":"#\/components\/(\w+)\/([\w-]+)"/g)) {
      const section = doc.components[m[1] as keyof typeof doc.components] as Record<string, unknown>;
      expect(section?.[m[2]], m[0]).toBeDefined();
    }
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema({ $id: 'doc', components: doc.components } as object);
    for (const id of Object.keys(doc.components.schemas)) {
      expect(() => ajv.getSchema(`doc#/components/schemas/${id}`), id).not.toThrow();
    }
  });

  it('request bodies are the console\'s own zod field schemas (same limits as the console)', () => {
    const create = doc.components.schemas.ClientCredentialClientCreate as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(create.required).toEqual(['Name']);
    expect(create.properties.Name).toMatchObject({ type: 'string', minLength: 1, maxLength: 100 });
    expect(create.properties.SecretDescription).toMatchObject({ type: 'string', maxLength: 200 });
    expect(create.properties.RoleIds).toMatchObject({ type: 'array', maxItems: 200 });
    expect(create.properties.SecretExpirationDate).toMatchObject({ type: ['string', 'null'], format: 'date-time' });
    const update = doc.components.schemas.ClientSecretUpdate as { properties: Record<string, Record<string, unknown>> };
    const secret = doc.components.schemas.ClientSecret as { properties: Record<string, Record<string, unknown>>; required: string[] };
    expect(secret.properties.Revoked).toMatchObject({ type: 'boolean' });
    expect(secret.properties.RevokedDate).toMatchObject({ type: ['string', 'null'], format: 'date-time' });
    expect(secret.required).toEqual(expect.arrayContaining(['Revoked', 'RevokedDate']));
    // "Left out: unchanged" fields carry no default.
    expect(update.properties.Description.default).toBeUndefined();
  });

  it('documents the AuthorizationCodeClients and HybridClients collections (Secrets for Hybrid clients only)', () => {
    const base = '/api/v1/Tenants/{tenantId}';
    const expected: Record<string, string[]> = {
      [`${base}/AuthorizationCodeClients`]: ['get', 'post'],
      [`${base}/AuthorizationCodeClients/{clientId}`]: ['delete', 'get', 'put'],
      [`${base}/AuthorizationCodeClients/{clientId}/Roles`]: ['get', 'put'],
      [`${base}/HybridClients`]: ['get', 'post'],
      [`${base}/HybridClients/{clientId}`]: ['delete', 'get', 'put'],
      [`${base}/HybridClients/{clientId}/Roles`]: ['get', 'put'],
      [`${base}/HybridClients/{clientId}/Secrets`]: ['get', 'post'],
      [`${base}/HybridClients/{clientId}/Secrets/{secretId}`]: ['delete', 'get', 'put'],
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(doc.paths[path], path).toBeDefined();
      expect(Object.keys(doc.paths[path]).filter((k) => k !== 'parameters').sort(), path).toEqual(methods);
    }
    expect(Object.keys(doc.paths).filter((p) => p.startsWith(`${base}/AuthorizationCodeClients/{clientId}/Secrets`))).toEqual([]);

    type Props = { properties: Record<string, Record<string, unknown>>; required: string[] };
    const ac = doc.components.schemas.AuthorizationCodeClientCreate as Props;
    const hybrid = doc.components.schemas.HybridClientCreate as Props;
    expect(ac.required).toEqual(['Name']);
    expect(Object.keys(ac.properties).sort()).toEqual(
      ['AccessTokenLifetime', 'AllowedCorsOrigins', 'Enabled', 'Id', 'Name', 'PostLogoutRedirectUris', 'RedirectUris', 'RefreshTokenLifetime', 'RoleIds'],
    );
    expect(Object.keys(hybrid.properties).sort()).toEqual(
      ['AccessTokenLifetime', 'Enabled', 'Id', 'Name', 'PostLogoutRedirectUris', 'RedirectUris', 'RefreshTokenLifetime', 'RoleIds', 'SecretDescription', 'SecretExpirationDate'],
    );
    expect(hybrid.properties.SecretExpirationDate).toMatchObject({ type: ['string', 'null'], format: 'date-time' });
    expect(ac.properties.Name).toMatchObject({ type: 'string', minLength: 1, maxLength: 100 });
    // The console's RFC 8252 rule is stated where callers read it.
    expect(ac.properties.RedirectUris.description).toMatch(/https only, except loopback/);
    const update = doc.components.schemas.AuthorizationCodeClientUpdate as Props;
    expect(update.required ?? []).toEqual([]);
    expect(doc.components.schemas.HybridClientCreateResponse).toMatchObject({ required: expect.arrayContaining(['ClientSecret', 'SecretId']) });
    expect((doc.components.schemas.AuthorizationCodeClient as Props).properties).not.toHaveProperty('ClientSecret');
    expect((doc.components.schemas.HybridClient as Props).properties).not.toHaveProperty('AllowedCorsOrigins');

    const op = (path: string, method: string) => doc.paths[`${base}/${path}`][method] as { tags: string[]; responses: Record<string, unknown> };
    expect(op('AuthorizationCodeClients', 'post').responses['201']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/AuthorizationCodeClient' } } },
    });
    expect(op('HybridClients', 'post').responses['201']).toMatchObject({
      content: { 'application/json': { schema: { $ref: '#/components/schemas/HybridClientCreateResponse' } } },
    });
    expect(op('HybridClients/{clientId}', 'get').responses['200']).toMatchObject({ headers: { ETag: expect.anything() } });
    expect(op('AuthorizationCodeClients/{clientId}', 'put')).toMatchObject({ parameters: [{ $ref: '#/components/parameters/If-Match' }] });
    expect(doc.tags.map((t) => t.name)).toEqual(expect.arrayContaining(['AuthorizationCodeClients', 'HybridClients']));
    expect(op('HybridClients/{clientId}/Secrets', 'post').tags).toEqual(['HybridClients']);
  });

  it('documents the DeviceCodeClients collection: the Authorization Code operations, bodies without URLs or a secret', () => {
    const base = '/api/v1/Tenants/{tenantId}/DeviceCodeClients';
    const expected: Record<string, string[]> = {
      [base]: ['get', 'post'],
      [`${base}/{clientId}`]: ['delete', 'get', 'put'],
      [`${base}/{clientId}/Roles`]: ['get', 'put'],
    };
    // .../ApiAccess is every collection's, documented under the Apis tag (its own test below).
    expect(Object.keys(doc.paths).filter((p) => p.startsWith(base) && !p.endsWith('/ApiAccess')).sort()).toEqual(Object.keys(expected).sort());
    for (const [path, methods] of Object.entries(expected)) {
      expect(Object.keys(doc.paths[path]).filter((k) => k !== 'parameters').sort(), path).toEqual(methods);
    }

    type Props = { properties: Record<string, Record<string, unknown>>; required?: string[] };
    const schema = (id: string) => doc.components.schemas[id] as Props;
    const urlFields = ['RedirectUris', 'PostLogoutRedirectUris', 'AllowedCorsOrigins'];
    const minus = (id: string, fields: string[]) => Object.keys(schema(id).properties).filter((k) => !fields.includes(k)).sort();
    // Exactly the Authorization Code client's fields without the URLs.
    expect(Object.keys(schema('DeviceCodeClientCreate').properties).sort()).toEqual(minus('AuthorizationCodeClientCreate', urlFields));
    expect(Object.keys(schema('DeviceCodeClientUpdate').properties).sort()).toEqual(minus('AuthorizationCodeClientUpdate', urlFields));
    expect(Object.keys(schema('DeviceCodeClient').properties).sort()).toEqual(minus('AuthorizationCodeClient', urlFields));
    expect(schema('DeviceCodeClientCreate').required).toEqual(['Name']);
    expect(schema('DeviceCodeClientUpdate').required ?? []).toEqual([]);
    expect(schema('DeviceCodeClientCreate').properties.RefreshTokenLifetime).toEqual(schema('AuthorizationCodeClientCreate').properties.RefreshTokenLifetime);
    expect(schema('DeviceCodeClient').properties).not.toHaveProperty('ClientSecret');

    const op = (path: string, method: string) =>
      doc.paths[`${base}${path}`][method] as { tags: string[]; description: string; responses: Record<string, unknown>; requestBody?: unknown };
    expect(op('', 'post').responses['201']).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/DeviceCodeClient' } } } });
    expect(op('', 'post').requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/DeviceCodeClientCreate' } } } });
    expect(op('', 'post').description).toMatch(/RFC 8628/);
    expect(op('', 'post').description).toMatch(/\/device\b/);
    expect(op('', 'post').description).toMatch(/no secret/i);
    expect(op('/{clientId}', 'get').responses['200']).toMatchObject({ headers: { ETag: expect.anything() } });
    expect(op('/{clientId}', 'put')).toMatchObject({ parameters: [{ $ref: '#/components/parameters/If-Match' }] });
    expect(op('/{clientId}/Roles', 'put').requestBody).toMatchObject({ content: { 'application/json': { schema: { $ref: '#/components/schemas/ClientRolesUpdate' } } } });
    for (const [path, methods] of Object.entries(expected)) {
      for (const m of methods) expect((doc.paths[path][m] as { tags: string[] }).tags, `${m} ${path}`).toEqual(['DeviceCodeClients']);
    }
    // The console's API page groups operations by the document's tags: the collection has one.
    expect(doc.tags.find((t) => t.name === 'DeviceCodeClients')?.description).toMatch(/RFC 8628/);
  });

  it('documents the Apis collection and every client collection\'s ApiAccess, under a tag that explains resource indicators', () => {
    const base = '/api/v1/Tenants/{tenantId}';
    const expected: Record<string, string[]> = {
      [`${base}/Apis`]: ['get', 'post'],
      [`${base}/Apis/{apiId}`]: ['delete', 'get', 'put'],
      ...Object.fromEntries(
        ['ClientCredentialClients', 'AuthorizationCodeClients', 'HybridClients', 'DeviceCodeClients'].map((c) => [`${base}/${c}/{clientId}/ApiAccess`, ['get', 'put']]),
      ),
    };
    for (const [path, methods] of Object.entries(expected)) {
      expect(doc.paths[path], path).toBeDefined();
      expect(Object.keys(doc.paths[path]).filter((k) => k !== 'parameters').sort(), path).toEqual(methods);
      for (const m of methods) expect((doc.paths[path][m] as { tags: string[] }).tags, `${m} ${path}`).toEqual(['Apis']);
    }
    type Props = { properties: Record<string, Record<string, unknown>>; required?: string[] };
    const schema = (id: string) => doc.components.schemas[id] as Props;
    expect(schema('ApiCreate').required?.sort()).toEqual(['Identifier', 'Name']);
    expect(Object.keys(schema('ApiCreate').properties).sort()).toEqual(['Identifier', 'Name', 'Scopes']);
    expect(schema('ApiCreate').properties.Name).toMatchObject({ type: 'string', minLength: 1, maxLength: 100 });
    expect(schema('ApiUpdate').required ?? []).toEqual([]);
    expect(schema('ApiUpdate').properties.Identifier.description).toMatch(/cannot change/);
    expect(schema('Api').required).toEqual(expect.arrayContaining(['Id', 'Name', 'Identifier', 'Scopes', 'ClientCount', 'CreatedDate', 'ModifiedDate']));
    expect(schema('ApiAccess').required?.sort()).toEqual(['ApiId', 'Identifier', 'Name', 'Scopes']);
    expect(doc.components.schemas.ApiAccessUpdate).toMatchObject({ type: 'array', items: { required: ['ApiId', 'Scopes'] } });
    const op = (path: string, method: string) => doc.paths[`${base}/${path}`][method] as { responses: Record<string, unknown>; parameters?: unknown };
    expect(op('Apis', 'post').responses['201']).toMatchObject({ headers: { Location: expect.anything() }, content: { 'application/json': { schema: { $ref: '#/components/schemas/Api' } } } });
    expect(op('Apis', 'post').responses).toHaveProperty('409');
    expect(op('Apis/{apiId}', 'get').responses['200']).toMatchObject({ headers: { ETag: expect.anything() } });
    expect(op('Apis/{apiId}', 'put')).toMatchObject({ parameters: [{ $ref: '#/components/parameters/If-Match' }] });
    expect(op('Apis/{apiId}', 'put').responses).toHaveProperty('412');
    expect(doc.components.parameters.apiId).toMatchObject({ in: 'path', schema: { format: 'uuid' } });
    const tag = doc.tags.find((t) => t.name === 'Apis')?.description ?? '';
    expect(tag).toMatch(/RFC 8707/);
    expect(tag).toMatch(/resource=<Identifier>/);
    expect(tag).toMatch(/aud is then exactly that Identifier/);
    expect(tag).toMatch(/invalid_target/);
  });

  it('documents exactly the contract\'s operations (lib/api/contract.test.ts checks that the router answers exactly these)', () => {
    const documented = Object.entries(doc.paths).flatMap(([path, item]) => Object.keys(item).filter((k) => k !== 'parameters').map((m) => `${m} ${path}`));
    expect(documented.sort()).toEqual(CONTRACT.map((o) => `${o.method} ${o.path}`).sort());
    expect(Object.keys(doc.paths)).toEqual([...new Set(CONTRACT.map((o) => o.path))]);
  });

  it('lists the component schemas in the order of their modules (lib/api/contract.ts imports them in this order)', () => {
    expect(Object.keys(doc.components.schemas)).toEqual([
      ...['ClientCredentialClientUpdate', 'ClientCredentialClientRolesUpdate', 'ClientRolesUpdate', 'AuthorizationCodeClientCreate', 'HybridClientCreate'],
      ...['AuthorizationCodeClientUpdate', 'HybridClientUpdate', 'DeviceCodeClientCreate', 'DeviceCodeClientUpdate', 'ClientSecretCreate', 'ClientSecretUpdate'],
      ...['ClientKeyCreate', 'FederatedCredentialCreate', 'FederatedCredentialUpdate', 'NotificationChannelCreate', 'NotificationChannelUpdate'],
      ...['ApiCreate', 'ApiUpdate', 'ApiAccessUpdate', 'ClientCredentialClientCreate'],
      ...['ClientCredentialClient', 'AuthorizationCodeClient', 'HybridClient', 'DeviceCodeClient', 'HybridClientCreateResponse', 'Role', 'ClientSecret'],
      ...['ClientSecretCreateResponse', 'ErrorResponse', 'ClientKey', 'FederatedCredential', 'NotificationChannel', 'NotificationChannelCreateResponse'],
      ...['Api', 'ApiAccess', 'ClientCredentialClientCreateResponse'],
    ]);
  });

  it('every operation documents 401 and 403 and its success answer', () => {
    for (const op of CONTRACT) {
      const responses = (doc.paths[op.path][op.method] as { responses: Record<string, unknown> }).responses;
      expect(Object.keys(responses), op.operationId).toEqual(expect.arrayContaining(['401', '403', String(op.success.status)]));
    }
  });
});
