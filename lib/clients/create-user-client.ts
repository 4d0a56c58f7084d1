import { randomUUID } from 'node:crypto';
import { and, count, eq } from 'drizzle-orm';
import type { Db } from '../db';
import { clientRoles, clients, clientSecrets, roles, tenants } from '../db/schema';
import type { Actor } from '../actions/actor';
import { fail, fieldFail, ok, type ActionResult } from '../actions/result';
import { recordAudit } from '../audit/audit';
import { assignableRoleIds } from '../roles/queries';
import { displayHint, generateSecret, hashSecret } from '../secrets/secret';
import { clientChanged } from './changed';
import { UNASSIGNABLE_ROLES } from './create-client';
import { expirationOf } from './fields.schema';
import { MAX_CLIENTS_PER_TENANT } from './limits';
import { roleNamesOf } from './roles';
import { planApiAccessField, writeClientApiAccess } from './api-access';
import type { CreateUserClientInput } from './user-client.schema';
import { REDIRECT_URIS_REQUIRED } from '../oidc/uris';
import { getCredentialPolicy, policyErrors, SECRETS_NOT_ALLOWED } from '../policy/credential-policy';

export type CreatedUserClient = {
  clientId: string;
  name: string;
  clientType: 'authorization_code' | 'hybrid' | 'device_code';
  /** Hybrid only: the plaintext secret, returned once, from here only. null for Authorization Code clients. */
  secret: string | null;
  secretId: number | null;
};

/**
 * Add an Authorization Code client (public: redirect URLs, no secret), a Hybrid client (confidential: redirect URLs
 * and a first hashed secret) or a Device Code client (public, no redirect URLs: RFC 8628): the client, Tenant Member plus the selected roles, the secret and the audit event in
 * one transaction, with the same tenant lock and limit as client-credentials clients (lib/clients/create-client.ts),
 * and the Hybrid client's first secret held to the tenant's credential policy like every other secret.
 * `options.enabled: false` (the REST API's `Enabled`) adds it disabled, in the same transaction: an Authorization
 * Code client needs no secret, so a client enabled for a moment could already sign users in.
 */
export async function createUserClient(
  db: Db,
  actor: Actor,
  input: CreateUserClientInput,
  options: { enabled?: boolean } = {},
): Promise<ActionResult<CreatedUserClient>> {
  const enabled = options.enabled ?? true;
  const clientId = input.clientId ?? randomUUID();
  const hybrid = input.clientType === 'hybrid';
  const expiresAt = hybrid ? expirationOf(input) : null;
  const allowedCorsOrigins = input.clientType === 'authorization_code' ? input.allowedCorsOrigins : [];
  // A Device Code client has no redirect URLs: the user approves the device at /device (RFC 8628).
  const device = input.clientType === 'device_code';
  const redirectUris = device ? [] : input.redirectUris;
  const postLogoutRedirectUris = device ? [] : input.postLogoutRedirectUris;
  if (!device && redirectUris.length === 0) return fieldFail({ redirectUris: REDIRECT_URIS_REQUIRED });
  const result = await db.transaction(async (txRaw): Promise<ActionResult<CreatedUserClient>> => {
    const tx = txRaw as unknown as Db;
    const allowed = await assignableRoleIds(tx, actor.tenantId, input.roleIds);
    if (allowed.size !== input.roleIds.length) return fieldFail({ roleIds: UNASSIGNABLE_ROLES });
    const policy = hybrid ? await getCredentialPolicy(tx, actor.tenantId) : null;
    if (policy?.secretlessClients) return fail(SECRETS_NOT_ALLOWED, 'invalid');
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
        clientType: input.clientType,
        name: input.name,
        enabled,
        tokenLifetime: input.tokenLifetime,
        redirectUris,
        postLogoutRedirectUris,
        allowedCorsOrigins,
        refreshTokenLifetime: input.refreshTokenLifetime,
        createdBy: actor.label,
        updatedBy: actor.label,
      })
      .onConflictDoNothing({ target: clients.id })
      .returning({ id: clients.id });
    if (inserted.length === 0) {
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

    let secret: string | null = null;
    let secretDetails: Record<string, unknown> | null = null;
    let secretId: number | null = null;
    if (hybrid) {
      secret = generateSecret();
      const hint = displayHint(secret);
      const [row] = await tx
        .insert(clientSecrets)
        .values({ clientId, secretHash: hashSecret(secret), displayHint: hint, description: input.description, expiresAt, createdBy: actor.label })
        .returning({ id: clientSecrets.id });
      secretId = row.id;
      secretDetails = { id: row.id, hint, description: input.description, expiresAt: expiresAt?.toISOString() ?? null };
    }
    await recordAudit(tx, actor, {
      action: 'client.created',
      targetType: 'client',
      targetId: clientId,
      details: {
        name: input.name,
        clientType: input.clientType,
        tokenLifetime: input.tokenLifetime,
        refreshTokenLifetime: input.refreshTokenLifetime,
        redirectUris,
        postLogoutRedirectUris,
        allowedCorsOrigins,
        roles: roleNames,
        ...(access.data?.to.length ? { apiAccess: access.data.to } : {}),
        ...(enabled ? {} : { enabled: false }),
        ...(secretDetails ? { secret: secretDetails } : {}),
      },
    });
    return ok({ clientId, name: input.name, clientType: input.clientType, secret, secretId });
  });
  if (result.ok) await clientChanged(clientId);
  return result;
}
