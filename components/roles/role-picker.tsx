'use client';

import { Checkbox } from '@/components/ui/checkbox';
import { Tabs, TabsContent, TabsList, TabsTrigger } from '@/components/ui/tabs';
import type { RoleOption } from '@/lib/roles/queries';

type RolePickerProps = {
  tenantRoles: RoleOption[];
  communityRoles: RoleOption[];
  value: string[];
  onChange: (roleIds: string[]) => void;
  /** What holds the roles, for the locked Tenant Member's explanation ("user", "client"). */
  holder: string;
  error?: string;
  disabled?: boolean;
};

/**
 * Tenant Roles and Community Roles tabs of checkboxes. Tenant Member is always checked and cannot be unchecked:
 * every holder has it.
 */
export function RolePicker({ tenantRoles, communityRoles, value, onChange, holder, error, disabled }: RolePickerProps) {
  const toggle = (id: string, on: boolean) => onChange(on ? [...new Set([...value, id])] : value.filter((v) => v !== id));
  const box = (role: RoleOption) => {
    const locked = role.roleType === 'tenant_member';
    return (
      <li key={role.id}>
        <Checkbox
          label={role.name}
          description={locked ? `Every ${holder} has this role; it cannot be removed.` : role.description || undefined}
          checked={locked || value.includes(role.id)}
          disabled={locked || disabled}
          onCheckedChange={(on) => toggle(role.id, on)}
        />
      </li>
    );
  };
  return (
    <fieldset aria-describedby={error ? 'role-picker-error' : undefined}>
      <legend className="text-sm font-medium text-slate-800">Roles</legend>
      <Tabs defaultValue="tenant" className="mt-1">
        <TabsList>
          <TabsTrigger value="tenant">Tenant Roles</TabsTrigger>
          <TabsTrigger value="community">Community Roles</TabsTrigger>
        </TabsList>
        <TabsContent value="tenant">
          <ul className="space-y-3">{tenantRoles.map(box)}</ul>
        </TabsContent>
        <TabsContent value="community">
          {communityRoles.length === 0 ? (
            <p className="text-sm text-slate-600">This tenant belongs to no community, so there are no community roles.</p>
          ) : (
            <ul className="space-y-3">{communityRoles.map(box)}</ul>
          )}
        </TabsContent>
      </Tabs>
      {error && (
        <p id="role-picker-error" role="alert" className="mt-3 text-sm text-red-700">
          {error}
        </p>
      )}
    </fieldset>
  );
}
