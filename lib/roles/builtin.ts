/**
 * The five built-in tenant roles. Their descriptions say what each role is for: a role grants what the APIs that
 * check it allow, so "no permissions of its own" is a fact to explain, not a gap.
 */
export const BUILTIN_TENANT_ROLES = [
  {
    roleType: 'tenant_administrator',
    name: 'Tenant Administrator',
    description: 'Read, write, delete and manage permissions. The only role that may add and manage clients.',
  },
  {
    roleType: 'tenant_contributor',
    name: 'Tenant Contributor',
    description: 'Read and write: for people and services that change the tenant’s data but not who may access it.',
  },
  {
    roleType: 'tenant_member',
    name: 'Tenant Member',
    description: 'Read. Every user and every client has it; it cannot be removed from a client.',
  },
  {
    roleType: 'tenant_viewer',
    name: 'Tenant Viewer',
    description: 'For read-only access: grants nothing by itself; your APIs check for it where viewing is allowed.',
  },
  {
    roleType: 'tenant_data_steward',
    name: 'Tenant Data Steward',
    description: 'For those who look after the tenant’s data: grants nothing by itself; your APIs check for it where data is curated.',
  },
] as const;

const BUILTIN_DESCRIPTIONS: Record<string, string> = Object.fromEntries(BUILTIN_TENANT_ROLES.map((r) => [r.roleType, r.description]));

/**
 * A role's description as shown: built-in roles always use the text above (they cannot be edited, and tenants made
 * before a wording change keep the old text in their rows); custom roles their own.
 */
export function roleDescription(roleType: string, stored: string): string {
  return BUILTIN_DESCRIPTIONS[roleType] ?? stored;
}

export type BuiltinRoleType = (typeof BUILTIN_TENANT_ROLES)[number]['roleType'];
export type RoleType = BuiltinRoleType | 'community_member' | 'custom';

/** Order of built-in roles in lists: as above, then custom roles by name. */
export const BUILTIN_ORDER: Record<string, number> = Object.fromEntries(
  BUILTIN_TENANT_ROLES.map((r, i) => [r.roleType, i]),
);
