import type { SessionUser } from '../auth/users';
import { makeAdminAction } from '../actions/admin-action';
import { createApi, removeApi, updateApi } from './apis';
import { createApiSchema, removeApiSchema, updateApiSchema } from './apis.schema';

/** The console's API operations (Security > APIs; a client's API Access is lib/clients') behind makeAdminAction. */
export function apiAdminActions(getUser: () => Promise<SessionUser | null>) {
  const action = makeAdminAction(getUser);
  return {
    createApi: action(createApiSchema, ({ db, actor }, input) => createApi(db, actor, input)),
    updateApi: action(updateApiSchema, ({ db, actor }, input) => updateApi(db, actor, input)),
    removeApi: action(removeApiSchema, ({ db, actor }, input) => removeApi(db, actor, input)),
  };
}
