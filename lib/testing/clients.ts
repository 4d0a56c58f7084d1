import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from '../db';
import { clientRoles, clients, clientSecrets, roles } from '../db/schema';
import { displayHint, generateSecret, hashSecret } from '../secrets/secret';

export type TestClient = {
  clientId: string;
  tenantId: string;
  /** The plaintext of each secret, in the order of `secrets`. */
  secrets: { id: number; value: string }[];
  /** The first secret's value, for the common single-secret case. */
  secret: string;
  roleIds: string[];
};

/**
 * A client-credentials client written straight into the database (client, Tenant Member + extra roles, hashed
 * secrets), for token-service tests that must not depend on the console's Add Client code.
 */
export async function createTestClient(
  db: Db,
  input: {
    tenantId: string;
    name?: string;
    id?: string;
    tokenLifetime?: number;
    enabled?: boolean;
    clientType?: 'client_credentials' | 'authorization_code' | 'hybrid' | 'device_code';
    redirectUris?: string[];
    postLogoutRedirectUris?: string[];
    allowedCorsOrigins?: string[];
    refreshTokenLifetime?: number;
    /** Extra built-in role types besides Tenant Member, e.g. ['tenant_contributor']. */
    roleTypes?: string[];
    /** One entry per secret; expiresAt null (default) never expires. */
    secrets?: { expiresAt?: Date | null; description?: string }[];
  },
): Promise<TestClient> {
  const clientId = input.id ?? randomUUID();
  const wanted = ['tenant_member', ...(input.roleTypes ?? [])];
  const roleRows = await db
    .select({ id: roles.id })
    .from(roles)
    .where(and(eq(roles.tenantId, input.tenantId), inArray(roles.roleType, wanted as never[])));
  const secretSpecs = input.secrets ?? [{}];
  const values = secretSpecs.map(() => generateSecret());
  const inserted = await db.transaction(async (tx) => {
    await tx.insert(clients).values({
      id: clientId,
      tenantId: input.tenantId,
      name: input.name ?? `Test client ${clientId.slice(0, 8)}`,
      tokenLifetime: input.tokenLifetime ?? 3600,
      enabled: input.enabled ?? true,
      clientType: input.clientType ?? 'client_credentials',
      redirectUris: input.redirectUris ?? [],
      postLogoutRedirectUris: input.postLogoutRedirectUris ?? [],
      allowedCorsOrigins: input.allowedCorsOrigins ?? [],
      refreshTokenLifetime: input.refreshTokenLifetime ?? 2592000,
      createdBy: 'test',
      updatedBy: 'test',
    });
    if (roleRows.length) await tx.insert(clientRoles).values(roleRows.map((r) => ({ clientId, roleId: r.id })));
    if (values.length === 0) return [];
    return tx
      .insert(clientSecrets)
      .values(
        values.map((value, i) => ({
          clientId,
          secretHash: hashSecret(value),
          displayHint: displayHint(value),
          description: secretSpecs[i].description ?? '',
          expiresAt: secretSpecs[i].expiresAt ?? null,
          createdBy: 'test',
        })),
      )
      .returning({ id: clientSecrets.id, secretHash: clientSecrets.secretHash });
  });
  const secrets = values.map((value) => ({ id: inserted.find((r) => r.secretHash === hashSecret(value))!.id, value }));
  return { clientId, tenantId: input.tenantId, secrets, secret: values[0] ?? '', roleIds: roleRows.map((r) => r.id) };
}
