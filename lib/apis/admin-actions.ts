import type { SessionUser } from '../auth/users';
import { makeAdminAction } from '../actions/admin-action';
import { createApi, removeApi, setClientApiAccess, updateApi } from './apis';
import { clientApiAccessSchema, createApiSchema, removeApiSchema, updateApiSchema } from './apis.schema';

/** The console's API operations (Security > APIs, a client's API Access) behind makeAdminAction. */
export function apiAdminActions(getUser: () => Promise<SessionUser | null>) {
  const action = makeAdminAction(getUser);
  return {
    createApi: action(createApiSchema, ({ db, actor }, input) => createApi(db, actor, input)),
    updateApi: action(updateApiSchema, ({ db, actor }, input) => updateApi(db, actor, input)),
    removeApi: action(removeApiSchema, ({ db, actor }, input) => removeApi(db, actor, input)),
    setClientApiAccess: action(clientApiAccessSchema, ({ db, actor }, input) => setClientApiAccess(db, actor, input)),
  };
}
