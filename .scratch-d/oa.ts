import { Validator } from '@seriousme/openapi-schema-validator';
import { buildOpenApiDocument } from '../lib/api/openapi';
const doc = buildOpenApiDocument({ serverUrl: 'http://localhost:3000' });
const v = new Validator();
const r = await v.validate(doc as any);
console.log(JSON.stringify(r, null, 1).slice(0, 3000));
console.log(JSON.stringify(doc.components.schemas.ClientSecretUpdate, null, 1));
console.log(JSON.stringify(doc.components.parameters, null, 1));
