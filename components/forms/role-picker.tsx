'use client';

import type { RoleOption } from '@/lib/roles/queries';
import { Checkbox } from '@/components/ui/checkbox';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';

type RolePickerProps = {
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
  /** Selected role ids. Tenant Member is shown checked and locked whether it is in the list or not (the server adds it). */
  value: string[];
  onChange: (ids: string[]) => void;
  /** What holds the roles ("client" by default, "user"), for Tenant Member's explanation and the administrator warning. */
  holder?: 'client' | 'user';
  error?: string;
};

/**
 * The Tenant Roles and Community Roles tabs of checkboxes, wherever roles are given: Add Client, Edit Client, Invite
 * User, Edit Roles. Tenant Member is always checked and cannot be unchecked: every client and user has it.
 */
export function RolePicker({ tenantRoles, communityRoles, value, onChange, holder = 'client', error }: RolePickerProps) {
  const selected = new Set(value);
  const toggle = (id: string, on: boolean) => {
    const next = new Set(selected);
    if (on) next.add(id);
    else next.delete(id);
    onChange([...next]);
  };
  const adminRole = tenantRoles.find((r) => r.roleType === 'tenant_administrator');
  const errorId = 'role-picker-error';

  return (
    <fieldset aria-describedby={error ? errorId : undefined} className="space-y-2">
      <legend className="text-sm font-medium text-slate-800">Roles</legend>
      <Tabs defaultValue="tenant">
        <TabsList>
          <TabsTrigger value="tenant">Tenant Roles</TabsTrigger>
          <TabsTrigger value="community">
            Community Roles{communityRoles.length > 0 && ` (${communityRoles.filter((r) => selected.has(r.id)).length}/${communityRoles.length})`}
          </TabsTrigger>
        </TabsList>
        <TabsContent value="tenant" className="space-y-3">
          {tenantRoles.map((role) =>
            role.roleType === 'tenant_member' ? (
              <Checkbox
                key={role.id}
                label={role.name}
                description={`Every ${holder} has the Tenant Member role; it cannot be removed.`}
                checked
                disabled
                onCheckedChange={() => {}}
              />
            ) : (
              <Checkbox
                key={role.id}
                label={role.name}
                description={role.description || undefined}
                checked={selected.has(role.id)}
                onCheckedChange={(on) => toggle(role.id, on)}
              />
            ),
          )}
          {holder === 'client' && adminRole && selected.has(adminRole.id) && (
            <p role="note" className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900">
              <strong className="font-semibold">Clients should rarely have Tenant Administrator.</strong> It lets the
              client add, change and remove clients and permissions in this tenant. Give it only if the application
              really manages the tenant.
            </p>
          )}
        </TabsContent>
        <TabsContent value="community" className="space-y-3">
          {communityRoles.length === 0 ? (
            <p className="rounded-md border border-dashed border-slate-300 px-3 py-4 text-sm text-slate-600">
              This tenant is not a member of any community, so there are no community roles to assign.
            </p>
          ) : (
            communityRoles.map((role) => (
              <Checkbox
                key={role.id}
                label={role.name}
                description={role.communityName ? `Community: ${role.communityName}` : undefined}
                checked={selected.has(role.id)}
                onCheckedChange={(on) => toggle(role.id, on)}
              />
            ))
          )}
        </TabsContent>
      </Tabs>
      {error && (
        <p id={errorId} className="text-sm text-red-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}
