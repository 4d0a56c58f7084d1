import type { ClientSecretRow } from '../clients/queries';
import type { ApiClientRow, ApiRoleRow } from './queries';
import type { AuthorizationCodeClientBody, ClientBody, DeviceCodeClientBody, HybridClientBody, RoleBody, SecretBody } from './schemas';

/** Database rows to the API's bodies (lib/api/schemas.ts). Nothing here ever sees a secret or its hash. */
export function clientBody(row: ApiClientRow): ClientBody {
  return {
    Id: row.id,
    Name: row.name,
    Enabled: row.enabled,
    RequireDpop: row.requireDpop,
    AccessTokenLifetime: row.tokenLifetime,
    RoleIds: row.roleIds,
    CreatedDate: row.createdAt.toISOString(),
    CreatedBy: row.createdBy,
    ModifiedDate: row.updatedAt.toISOString(),
    ModifiedBy: row.updatedBy,
  };
}

/** An Authorization Code client: the common fields plus its sign-in settings. */
export function authorizationCodeClientBody(row: ApiClientRow): AuthorizationCodeClientBody {
  return { ...hybridClientBody(row), AllowedCorsOrigins: row.allowedCorsOrigins };
}

/** A Hybrid client: the common fields plus its sign-in settings (it has no CORS origins: it runs on a server). */
export function hybridClientBody(row: ApiClientRow): HybridClientBody {
  return {
    ...clientBody(row),
    RefreshTokenLifetime: row.refreshTokenLifetime,
    RedirectUris: row.redirectUris,
    PostLogoutRedirectUris: row.postLogoutRedirectUris,
  };
}

/** A Device Code client: the common fields plus its refresh token lifetime (it has no URLs: users approve it at /device). */
export function deviceCodeClientBody(row: ApiClientRow): DeviceCodeClientBody {
  return { ...clientBody(row), RefreshTokenLifetime: row.refreshTokenLifetime };
}

export function roleBody(row: ApiRoleRow): RoleBody {
  return {
    Id: row.id,
    Name: row.name,
    Description: row.description,
    RoleScope: row.scope === 'community' ? 'Community' : 'Tenant',
    RoleType: row.roleType,
  };
}

export function secretBody(row: ClientSecretRow): SecretBody {
  return {
    Id: row.id,
    Description: row.description,
    Expiration: row.expiresAt ? row.expiresAt.toISOString() : null,
    Expires: row.expiresAt !== null,
    DisplayHint: row.displayHint,
    CreatedDate: row.createdAt.toISOString(),
    CreatedBy: row.createdBy,
    LastUsedDate: row.lastUsedAt ? row.lastUsedAt.toISOString() : null,
    Revoked: row.revokedAt !== null,
    RevokedDate: row.revokedAt ? row.revokedAt.toISOString() : null,
  };
}
