import { describe, expect, it } from 'vitest';
import { BUILTIN_TENANT_ROLES, roleDescription } from './builtin';

describe('roleDescription', () => {
  it('shows the current text of a built-in role, whatever an older tenant row holds', () => {
    expect(roleDescription('tenant_viewer', 'No permissions by default.')).toBe(BUILTIN_TENANT_ROLES[3].description);
    expect(roleDescription('tenant_viewer', 'x')).toMatch(/^For read-only access/);
  });
  it("keeps a custom role's own description", () => {
    expect(roleDescription('custom', 'Reads invoices')).toBe('Reads invoices');
  });
  it('explains every built-in role instead of only saying it has no permissions', () => {
    for (const r of BUILTIN_TENANT_ROLES) expect(r.description).not.toMatch(/^No permissions/);
  });
});
