import { z } from 'zod';
import { createClientSchema } from '../lib/clients/create-client.schema';
const s = createClientSchema.shape;
const api = z.object({ Id: s.clientId, Name: s.name.meta({description:'The name'}), AccessTokenLifetime: s.tokenLifetime, RoleIds: s.roleIds, SecretDescription: s.description, SecretExpirationDate: s.expiresAt, Enabled: z.boolean().default(true) });
console.log(JSON.stringify(z.toJSONSchema(api, { io: 'input', unrepresentable: (ctx) => ctx.zodSchema._zod.def.type === 'date' ? { type: 'string', format: 'date-time' } : 'throw' }), null, 1));
