import { buildOpenApiDocument } from '../lib/api/openapi';
const doc = buildOpenApiDocument();
console.log(JSON.stringify((doc.components.schemas.ClientCredentialClient as any).properties.Id), JSON.stringify((doc.components.schemas.ClientCredentialClientCreate as any).properties.Name));
