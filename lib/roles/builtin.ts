export const BUILTIN_TENANT_ROLES = [
  {
    roleType: 'tenant_administrator',
    name: 'Tenant Administrator',
    description: 'Read, write, delete and manage permissions. The only role that may add and manage clients.',
  },
  { roleType: 'tenant_contributor', name: 'Tenant Contributor', description: 'Read and write.' },
  {
    roleType: 'tenant_member',
    name: 'Tenant Member',
    description: 'Read. Every user and every client has it; it cannot be removed from a client.',
  },
  { roleType: 'tenant_viewer', name: 'Tenant Viewer', description: 'No permissions by default.' },
  { roleType: 'tenant_data_steward', name: 'Tenant Data Steward', description: 'No permissions by default.' },
] as const;

export type BuiltinRoleType = (typeof BUILTIN_TENANT_ROLES)[number]['roleType'];
export type RoleType = BuiltinRoleType | 'community_member' | 'custom';

/** Order of built-in roles in lists: as above, then custom roles by name. */
export const BUILTIN_ORDER: Record<string, number> = Object.fromEntries(
  BUILTIN_TENANT_ROLES.map((r, i) => [r.roleType, i]),
);
