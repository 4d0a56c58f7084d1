import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { clientRoles, clients, clientSecrets, roles, tenants } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, fieldFail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { assignableRoleIds } from '../roles/queries';
import { displayHint, generateSecret, hashSecret } from '../secrets/secret';
import type { CreateClientInput } from './create-client.schema';
import { expirationOf } from './fields.schema';
import { MAX_CLIENTS_PER_TENANT } from './limits';
import { clientChanged } from './changed';
import { roleNamesOf } from './roles';
import { getCredentialPolicy, policyErrors, SECRETS_NOT_ALLOWED } from '../policy/credential-policy';
import { insertKey, keyValues } from './keys';
import { federatedValues, insertFederatedCredential } from '../federation/credentials';
import { federatedOfCreateInput } from './create-client.schema';
import { planApiAccessField, writeClientApiAccess } from './api-access';

export type CreatedClient = {
  clientId: string;
  name: string;
  /** The plaintext secret: returned once, from here only. Never log it or put it anywhere else. null: added with a key. */
  secret: string | null;
  secretId: number | null;
  /** The public key's id, when the client was added with a key instead of a secret. */
  keyId?: number;
  /** The federated credential's id, when the client was added with one instead of a secret. */
  federatedCredentialId?: number;
};

export const UNASSIGNABLE_ROLES = 'One or more of the selected roles do not exist in this tenant or its communities.';

/**
 * Add a client-credentials client: the client, Tenant Member plus the selected roles, its first (hashed) secret and
 * the audit event, in one transaction. The tenant row is locked first, so the 50,000-client limit holds under
 * concurrent requests. `deps` lets tests make a later step fail to check that nothing is left behind.
 * Pass the database, not a transaction: the change notification goes out after the commit.
 */
export async function createClient(
  db: Db,
  actor: Actor,
  input: CreateClientInput,
  deps: { generateSecret?: () => string } = {},
): Promise<ActionResult<CreatedClient>> {
  const clientId = input.clientId ?? randomUUID();
  const expiresAt = expirationOf(input);
  // With a public key: parsed (and a private key refused) before anything is written.
  const key = input.credential === 'key' ? await keyValues({ ...input, source: 'key', jwksUrl: '', clientId }) : null;
  if (key && !key.ok) return key;
  // With a federated credential: its pasted JWKS parsed, or its issuer's keys fetched once, before anything is written.
  const federated = input.credential === 'federated' ? await federatedValues(federatedOfCreateInput(input)) : null;
  if (federated && !federated.ok) {
    return { ...federated, fieldErrors: Object.fromEntries(Object.entries(federated.fieldErrors ?? {}).map(([k, v]) => [`federated.${k}`, v])) };
  }
  const result = await db.transaction(async (txRaw): Promise<ActionResult<CreatedClient>> => {
    const tx = txRaw as unknown as Db;
    const allowed = await assignableRoleIds(tx, actor.tenantId, input.roleIds);
    if (allowed.size !== input.roleIds.length) return fieldFail({ roleIds: UNASSIGNABLE_ROLES });
    // The policy is about secrets: a public key or a federated credential has nothing to leak.
    const policy = key || federated ? null : await getCredentialPolicy(tx, actor.tenantId);
    if (policy?.secretlessClients) return fieldFail({ credential: SECRETS_NOT_ALLOWED });
    const refused = policy ? policyErrors(policy, expiresAt) : null;
    if (refused) return fieldFail(refused);

    await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, actor.tenantId)).for('no key update');
    const [{ n }] = await tx.select({ n: count() }).from(clients).where(eq(clients.tenantId, actor.tenantId));
    if (n >= MAX_CLIENTS_PER_TENANT) {
      return fail(
        `This tenant has reached the limit of ${MAX_CLIENTS_PER_TENANT.toLocaleString('en-US')} clients. Remove a client before adding another.`,
        'limit',
      );
    }
    // Checked before anything is written: a failure here must leave nothing behind.
    const access = await planApiAccessField(tx, actor.tenantId, null, input.apiAccess);
    if (!access.ok) return access;

    const inserted = await tx
      .insert(clients)
      .values({
        id: clientId,
        tenantId: actor.tenantId,
        clientType: 'client_credentials',
        name: input.name,
        tokenLifetime: input.tokenLifetime,
        createdBy: actor.label,
        updatedBy: actor.label,
      })
      .onConflictDoNothing({ target: clients.id })
      .returning({ id: clients.id });
    if (inserted.length === 0) {
      // A replay of a request that already succeeded (double submit, network retry), or an Id taken by any tenant.
      return fail('A client with this Client Id already exists: it was already created. Check the list of clients.', 'conflict', {
        clientId: 'A client with this Client Id already exists.',
      });
    }

    const [member] = await tx
      .select({ id: roles.id })
      .from(roles)
      .where(and(eq(roles.tenantId, actor.tenantId), eq(roles.roleType, 'tenant_member')));
    const roleIds = [...new Set([...(member ? [member.id] : []), ...input.roleIds])];
    if (roleIds.length) await tx.insert(clientRoles).values(roleIds.map((roleId) => ({ clientId, roleId })));
    const roleNames = await roleNamesOf(tx, roleIds);
    if (access.data) await writeClientApiAccess(tx, clientId, access.data);
    const apiAccess = access.data?.to.length ? { apiAccess: access.data.to } : {};

    if (key?.ok) {
      await recordAudit(tx, actor, {
        action: 'client.created',
        targetType: 'client',
        targetId: clientId,
        details: { name: input.name, tokenLifetime: input.tokenLifetime, roles: roleNames, ...apiAccess, credential: 'key' },
      });
      const keyId = await insertKey(tx, actor, { id: clientId, name: input.name }, key.data);
      return ok({ clientId, name: input.name, secret: null, secretId: null, keyId });
    }

    if (federated?.ok) {
      await recordAudit(tx, actor, {
        action: 'client.created',
        targetType: 'client',
        targetId: clientId,
        details: { name: input.name, tokenLifetime: input.tokenLifetime, roles: roleNames, ...apiAccess, credential: 'federated' },
      });
      const federatedCredentialId = await insertFederatedCredential(tx, actor, { id: clientId, name: input.name }, federated.data);
      return ok({ clientId, name: input.name, secret: null, secretId: null, federatedCredentialId });
    }

    const secret = (deps.generateSecret ?? generateSecret)();
    const hint = displayHint(secret);
    const [row] = await tx
      .insert(clientSecrets)
      .values({
        clientId,
        secretHash: hashSecret(secret),
        displayHint: hint,
        description: input.description,
        expiresAt,
        createdBy: actor.label,
      })
      .returning({ id: clientSecrets.id });

    await recordAudit(tx, actor, {
      action: 'client.created',
      targetType: 'client',
      targetId: clientId,
      details: {
        name: input.name,
        tokenLifetime: input.tokenLifetime,
        roles: roleNames,
        ...apiAccess,
        secret: { id: row.id, hint, description: input.description, expiresAt: expiresAt?.toISOString() ?? null },
      },
    });
    return ok({ clientId, name: input.name, secret, secretId: row.id });
  });
  if (result.ok) await clientChanged(clientId);
  return result;
}
