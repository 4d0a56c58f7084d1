import { z } from 'zod';
import { requestSchemas, responseSchemas } from '../lib/api/schemas';
const un = (ctx: any) => (ctx.zodSchema._zod.def.type === 'date' ? { type: 'string', format: 'date-time' } : 'throw');
console.log(JSON.stringify(z.toJSONSchema(requestSchemas, { io: 'input', uri: (id) => `#/components/schemas/${id}`, unrepresentable: un as any }), null, 1).slice(0, 6000));
console.log(JSON.stringify(z.toJSONSchema(responseSchemas, { io: 'output', uri: (id) => `#/components/schemas/${id}` }), null, 1).slice(0, 3000));
