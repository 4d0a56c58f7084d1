import { count, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { clientRoles, clients, tenants } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, fieldFail, ok, type ActionResult } from '../actions/result';
import { assignableRoleIds, clientRoleIds } from '../roles/queries';
import { planApiAccessField, writeClientApiAccess, type AccessEntry } from './api-access';
import { MAX_CLIENTS_PER_TENANT } from './limits';
import { UNASSIGNABLE_ROLES } from './messages';
import { roleNamesOf } from './roles';

/*
 * The one way a client comes to be, whatever its type (lib/clients/create-client.ts for client-credentials clients,
 * create-user-client.ts for Authorization Code, Hybrid and Device Code clients, and the REST API through both): checked,
 * counted against the tenant's limit under a lock, inserted with Tenant Member plus the chosen roles and its API
 * access. The caller adds its credential and the audit event in the same transaction.
 */

/** The client row as the caller decides it (type, name, lifetimes, URLs...); tenant and authorship are added here. */
export type NewClientRow = Omit<typeof clients.$inferInsert, 'tenantId' | 'createdBy' | 'updatedBy'> & { id: string };

export type InsertedClient = {
  /** The names of every role it has (Tenant Member included), for the audit event. */
  roleNames: string[];
  /** `{ apiAccess }` for the audit event when it was given access to any API, else nothing. */
  apiAccessDetails: { apiAccess?: string[] };
};

export const CLIENT_LIMIT = `This tenant has reached the limit of ${MAX_CLIENTS_PER_TENANT.toLocaleString('en-US')} clients. Remove a client before adding another.`;
export const CLIENT_ID_TAKEN = 'A client with this Client Id already exists: it was already created. Check the list of clients.';

/**
 * Insert a new client inside the caller's transaction. `check` runs after the roles are known to be assignable and
 * before anything is locked or written (the tenant's credential policy, for a client that starts with a secret); its
 * refusal is returned as is. The tenant row is locked before counting, so the 50,000-client limit holds under
 * concurrent requests. A Client Id already taken (a replayed request, or any tenant's) is a conflict, not an error.
 * Writes nothing when it fails; the caller must roll back what it wrote itself and announce the client after commit
 * (clientChangedAfterCommit).
 */
export async function insertNewClient(
  tx: Db,
  actor: Actor,
  row: NewClientRow,
  choices: { roleIds: string[]; apiAccess: AccessEntry[] | undefined },
  check: () => Promise<ActionResult<never> | null> = async () => null,
): Promise<ActionResult<InsertedClient>> {
  const allowed = await assignableRoleIds(tx, actor.tenantId, choices.roleIds);
  if (allowed.size !== choices.roleIds.length) return fieldFail({ roleIds: UNASSIGNABLE_ROLES });
  const refused = await check();
  if (refused) return refused;

  await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, actor.tenantId)).for('no key update');
  const [{ n }] = await tx.select({ n: count() }).from(clients).where(eq(clients.tenantId, actor.tenantId));
  if (n >= MAX_CLIENTS_PER_TENANT) return fail(CLIENT_LIMIT, 'limit');
  // Checked before anything is written: a failure here must leave nothing behind.
  const access = await planApiAccessField(tx, actor.tenantId, null, choices.apiAccess);
  if (!access.ok) return access;

  const inserted = await tx
    .insert(clients)
    .values({ ...row, tenantId: actor.tenantId, createdBy: actor.label, updatedBy: actor.label })
    .onConflictDoNothing({ target: clients.id })
    .returning({ id: clients.id });
  if (inserted.length === 0) {
    // A replay of a request that already succeeded (double submit, network retry), or an Id taken by any tenant.
    return fail(CLIENT_ID_TAKEN, 'conflict', { clientId: 'A client with this Client Id already exists.' });
  }

  const roleIds = await clientRoleIds(tx, actor.tenantId, choices.roleIds);
  if (roleIds.length) await tx.insert(clientRoles).values(roleIds.map((roleId) => ({ clientId: row.id, roleId })));
  const roleNames = await roleNamesOf(tx, roleIds);
  if (access.data) await writeClientApiAccess(tx, row.id, access.data);
  return ok({ roleNames, apiAccessDetails: access.data?.to.length ? { apiAccess: access.data.to } : {} });
}
