import { z } from 'zod';
import {
  API_IDENTIFIER_MAX,
  API_SCOPE_MAX,
  createApiSchema,
  MAX_API_SCOPES,
  MAX_APIS_PER_TENANT,
  updateApiSchema,
} from '../apis/apis.schema';
import { clientApiAccessSchema } from '../clients/api-access.schema';
import { requestSchemas, responseSchemas } from './schemas';

/*
 * The REST API's bodies for APIs (Security > APIs, RFC 8707 resource indicators) and a client's API Access. As in
 * schemas.ts, every request field is the console's own field schema (lib/apis/apis.schema.ts), renamed; only the
 * read-only Identifier of an edit is the API's own.
 */

const create = createApiSchema.shape;
const edit = updateApiSchema.shape;
const accessItem = clientApiAccessSchema.shape.access.element.shape;
const unchanged = { 'x-unchanged-when-omitted': true } as const;

const identifierText =
  `The absolute URI clients send as resource= to the token endpoint, and the aud of the tokens they get for it (RFC 8707): ` +
  `https, http or urn; no fragment, no user name or password, at most ${API_IDENTIFIER_MAX} characters. Unique in the tenant.`;
const scopesText =
  `The API's scopes: at most ${MAX_API_SCOPES}, each 1 to ${API_SCOPE_MAX} printable characters without spaces, quotes or ` +
  'backslashes (RFC 6749 scope tokens); not openid, profile, email or offline_access, which are about the user. ' +
  'An array; one string of scopes separated by spaces is read too. Duplicates are dropped.';

export const apiCreateRequest = z
  .object({
    Name: create.name.meta({ description: 'The API\'s name, as the console lists it. No control characters (tabs, line breaks).' }),
    Identifier: create.identifier.meta({ description: `${identifierText} Fixed once the API is added: resource servers check it in every token.` }),
    Scopes: create.scopes.meta({ description: `${scopesText} Left out: none.` }),
  })
  .register(requestSchemas, { id: 'ApiCreate', description: `A new API (at most ${MAX_APIS_PER_TENANT} per tenant).` });

export const apiUpdateRequest = z
  .object({
    Name: edit.name.optional().meta({ description: 'The API\'s name. Left out: unchanged.', ...unchanged }),
    Scopes: edit.scopes.meta({
      description: `${scopesText} Replaces the list; clients granted all of the API's scopes get the new ones at once. Left out: unchanged.`,
      ...unchanged,
    }),
    Identifier: z.string().optional().meta({
      description: 'Read-only: it cannot change. It may be sent back as a GET gave it; any other value is refused with 400.',
    }),
  })
  .register(requestSchemas, { id: 'ApiUpdate', description: 'Edit an API: its name and scopes.' });

export const apiAccessUpdateRequest = z
  .array(
    z.object({
      ApiId: accessItem.apiId.meta({ description: 'The API\'s Id (.../Apis/{apiId}); an API of this tenant, each at most once.' }),
      Scopes: accessItem.scopes.meta({
        description: 'The API\'s scopes the client may ask for (each one of the API\'s). null: all of them, including scopes added later.',
      }),
    }),
  )
  .max(MAX_APIS_PER_TENANT)
  .register(requestSchemas, {
    id: 'ApiAccessUpdate',
    description: 'The complete list of the APIs the client may get tokens for; an empty list withdraws all of them.',
  });

const dateTime = z.string().meta({ format: 'date-time' });
const uuid = z.string().meta({ format: 'uuid' });

export const apiResponse = z
  .object({
    Id: uuid.meta({ description: 'The API\'s id, for .../Apis/{apiId} and ApiAccess.' }),
    Name: z.string(),
    Identifier: z.string().meta({ description: 'What clients send as resource=, and the aud of their tokens for it. Never changes.' }),
    Scopes: z.array(z.string()).meta({ description: 'The API\'s scopes.' }),
    ClientCount: z.number().int().meta({ description: 'How many clients of the tenant may get tokens for it.' }),
    CreatedDate: dateTime,
    CreatedBy: z.string().meta({ description: 'Who added it: an email, or client:<Client Id> for a change through the API.' }),
    ModifiedDate: dateTime,
    ModifiedBy: z.string().meta({ description: 'Who changed it last, in the same form.' }),
  })
  .register(responseSchemas, { id: 'Api', description: 'An API (resource server) clients can get tokens for by its Identifier (RFC 8707).' });

export const apiAccessResponse = z
  .object({
    ApiId: uuid.meta({ description: 'The API\'s Id.' }),
    Identifier: z.string().meta({ description: 'The API\'s Identifier: what the client sends as resource=.' }),
    Name: z.string().meta({ description: 'The API\'s name.' }),
    Scopes: z
      .array(z.string())
      .nullable()
      .meta({ description: 'The scopes granted. null: all of the API\'s scopes, including ones added later.' }),
  })
  .register(responseSchemas, { id: 'ApiAccess', description: 'An API a client may get tokens for, and with which of its scopes.' });

export type ApiBody = z.output<typeof apiResponse>;
export type ApiAccessBody = z.output<typeof apiAccessResponse>;
