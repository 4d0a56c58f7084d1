import { and, eq } from 'drizzle-orm';
import { z } from 'zod';
import type { SessionUser } from '../auth/users';
import { makeAdminAction } from '../actions/admin-action';
import { fail, ok } from '../actions/result';
import { guidField } from './fields.schema';
import { clients } from '../db/schema';
import { clientUsage, USAGE_RANGES, type UsageRange } from '../usage/queries';

export const clientUsageSchema = z.object({
  clientId: guidField('Unknown client.'),
  range: z.enum(Object.keys(USAGE_RANGES) as [UsageRange, ...UsageRange[]], { error: 'Choose 24h, 7d or 30d.' }),
});

/** The Usage tab's data, read behind makeAdminAction: Tenant Administrator, and only a client of the session's tenant. */
export function usageAdminActions(getUser: () => Promise<SessionUser | null>) {
  const action = makeAdminAction(getUser);
  return {
    clientUsage: action(clientUsageSchema, async ({ db, actor }, input) => {
      const [client] = await db
        .select({ id: clients.id })
        .from(clients)
        .where(and(eq(clients.id, input.clientId.toLowerCase()), eq(clients.tenantId, actor.tenantId)));
      if (!client) return fail('This client no longer exists.', 'not_found');
      return ok(await clientUsage(db, client.id, input.range));
    }),
  };
}
