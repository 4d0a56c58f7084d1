import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '../../db';
import { clients } from '../../db/schema';
import type { apiClient } from './fixtures';

/**
 * What the foreign-client checks need from a test file, read when the tests run (the file sets them up in its
 * beforeAll): its database, API client and token, and a role id of the caller's tenant (sent in the Roles PUT).
 */
export type ForeignClientContext = () => { db: Db; api: ReturnType<typeof apiClient>; token: string; roleId: string };

/**
 * One test per case: a client under a collection that is not its type's, or another tenant's client, answers GET, PUT,
 * DELETE and Roles (GET and PUT) with the same 404 as an unknown id (apart from the OperationId), and its row is
 * unchanged. `cases`: [label, collection path, client id].
 */
export function itAnswersForeignClientsAsUnknown(context: ForeignClientContext, cases: [string, () => string, () => string][]) {
  for (const [label, base, id] of cases) {
    it(`404 for ${label}: GET, PUT, DELETE, Roles; nothing changes`, async () => {
      const { db, api, token, roleId } = context();
      const path = `${base()}/${id()}`;
      const [before] = await db.select().from(clients).where(eq(clients.id, id()));
      const unknown = await api.call('GET', `${base()}/${randomUUID()}`, { token });
      const answers = [
        await api.call('GET', path, { token }),
        await api.call('PUT', path, { token, json: { Name: 'Taken over', Enabled: false } }),
        await api.call('GET', `${path}/Roles`, { token }),
        await api.call('PUT', `${path}/Roles`, { token, json: [roleId] }),
        await api.call('DELETE', path, { token }),
      ];
      for (const res of answers) {
        expect(res.status).toBe(404);
        expect({ ...(res.body as object), OperationId: 0 }).toEqual({ ...(unknown.body as object), OperationId: 0 });
      }
      const [after] = await db.select().from(clients).where(eq(clients.id, id()));
      expect(after).toEqual(before);
    });
  }
}
