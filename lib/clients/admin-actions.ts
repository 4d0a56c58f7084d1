import type { SessionUser } from '../auth/users';
import { makeAdminAction } from '../actions/admin-action';
import { createClientSchema } from './create-client.schema';
import { createClient } from './create-client';
import { addKeySchema, removeKeySchema } from './key.schema';
import { addKey, removeKey } from './keys';
import { addSecretSchema, removeSecretSchema, updateSecretSchema } from './secret.schema';
import { addSecret, removeSecret, updateSecret } from './secrets';
import { removeClientSchema, setClientEnabledSchema, updateClientSchema } from './update-client.schema';
import { removeClient, setClientEnabled, updateClient } from './update-client';
import { createUserClientSchema, updateClientUrlsSchema } from './user-client.schema';
import { createUserClient } from './create-user-client';
import { updateClientUrls } from './update-client-urls';
import { clientApiAccessSchema } from './api-access.schema';
import { setClientApiAccess } from './api-access';

/**
 * The console's client operations, each wrapped by makeAdminAction (authenticate, require Tenant Administrator of
 * the session's tenant, validate with the form's schema). app/(console)/security/clients/actions.ts binds these to
 * the session; integration tests bind them to a fake user, so both run exactly this code.
 */
export function clientAdminActions(getUser: () => Promise<SessionUser | null>) {
  const action = makeAdminAction(getUser);
  return {
    createClient: action(createClientSchema, ({ db, actor }, input) => createClient(db, actor, input)),
    updateClient: action(updateClientSchema, ({ db, actor }, input) => updateClient(db, actor, input)),
    setClientEnabled: action(setClientEnabledSchema, ({ db, actor }, input) => setClientEnabled(db, actor, input)),
    removeClient: action(removeClientSchema, ({ db, actor }, input) => removeClient(db, actor, input)),
    addSecret: action(addSecretSchema, ({ db, actor }, input) => addSecret(db, actor, input)),
    updateSecret: action(updateSecretSchema, ({ db, actor }, input) => updateSecret(db, actor, input)),
    removeSecret: action(removeSecretSchema, ({ db, actor }, input) => removeSecret(db, actor, input)),
    createUserClient: action(createUserClientSchema, ({ db, actor }, input) => createUserClient(db, actor, input)),
    updateClientUrls: action(updateClientUrlsSchema, ({ db, actor }, input) => updateClientUrls(db, actor, input)),
    addKey: action(addKeySchema, ({ db, actor }, input) => addKey(db, actor, input)),
    removeKey: action(removeKeySchema, ({ db, actor }, input) => removeKey(db, actor, input)),
    setClientApiAccess: action(clientApiAccessSchema, ({ db, actor }, input) => setClientApiAccess(db, actor, input)),
  };
}
