import type { SessionUser } from '../auth/users';
import { makeAdminAction } from '../actions/admin-action';
import { createClientSchema } from './create-client.schema';
import { createClient } from './create-client';

/**
 * The console's client operations, each wrapped by makeAdminAction (authenticate, require Tenant Administrator of
 * the session's tenant, validate with the form's schema). app/(console)/security/clients/actions.ts binds these to
 * the session; integration tests bind them to a fake user, so both run exactly this code.
 */
export function clientAdminActions(getUser: () => Promise<SessionUser | null>) {
  const action = makeAdminAction(getUser);
  return {
    createClient: action(createClientSchema, ({ db, actor }, input) => createClient(db, actor, input)),
  };
}
