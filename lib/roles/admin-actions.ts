import type { SessionUser } from '../auth/users';
import { makeAdminAction } from '../actions/admin-action';
import { createRole, removeRole, updateRole } from './roles';
import { createRoleSchema, removeRoleSchema, updateRoleSchema } from './roles.schema';

/**
 * The console's role operations, each wrapped by makeAdminAction (authenticate, require Tenant Administrator of the
 * session's tenant, validate with the form's schema). app/(console)/security/roles/actions.ts binds them to the
 * session; integration tests bind them to a fake user, so both run exactly this code.
 */
export function roleAdminActions(getUser: () => Promise<SessionUser | null>) {
  const action = makeAdminAction(getUser);
  return {
    createRole: action(createRoleSchema, ({ db, actor }, input) => createRole(db, actor, input)),
    updateRole: action(updateRoleSchema, ({ db, actor }, input) => updateRole(db, actor, input)),
    removeRole: action(removeRoleSchema, ({ db, actor }, input) => removeRole(db, actor, input)),
  };
}
