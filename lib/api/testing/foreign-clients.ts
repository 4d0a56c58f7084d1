import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { expect, it } from 'vitest';
import type { Db } from '../../db';
import { clients } from '../../db/schema';
import type { ApiAnswer } from './fixtures';

/** What the foreign-client checks need from a test file (getters: the file sets these up in its beforeAll). */
export type ForeignClientContext = {
  db: () => Db;
  get: (path: string) => Promise<ApiAnswer>;
  put: (path: string, body: unknown) => Promise<ApiAnswer>;
  remove: (path: string) => Promise<ApiAnswer>;
  /** A role id the caller's tenant has (sent in the Roles PUT). */
  roleId: () => string;
};

/**
 * One test per case: a client under a collection that is not its type's, or another tenant's client, answers GET, PUT,
 * DELETE and Roles (GET and PUT) with the same 404 as an unknown id (apart from the OperationId), and its row is
 * unchanged. `cases`: [label, collection path, client id].
 */
export function itAnswersForeignClientsAsUnknown(ctx: ForeignClientContext, cases: [string, () => string, () => string][]) {
  for (const [label, base, id] of cases) {
    it(`404 for ${label}: GET, PUT, DELETE, Roles; nothing changes`, async () => {
      const path = `${base()}/${id()}`;
      const [before] = await ctx.db().select().from(clients).where(eq(clients.id, id()));
      const unknown = await ctx.get(`${base()}/${randomUUID()}`);
      const answers = [
        await ctx.get(path),
        await ctx.put(path, { Name: 'Taken over', Enabled: false }),
        await ctx.get(`${path}/Roles`),
        await ctx.put(`${path}/Roles`, [ctx.roleId()]),
        await ctx.remove(path),
      ];
      for (const res of answers) {
        expect(res.status).toBe(404);
        expect({ ...(res.body as object), OperationId: 0 }).toEqual({ ...(unknown.body as object), OperationId: 0 });
      }
      const [after] = await ctx.db().select().from(clients).where(eq(clients.id, id()));
      expect(after).toEqual(before);
    });
  }
}
