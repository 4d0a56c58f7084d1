import type { SessionUser } from '../../auth/users';
import { makeAdminAction } from '../../actions/admin-action';
import { addFederatedCredential, removeFederatedCredential, updateFederatedCredential } from './credentials';
import { addFederatedCredentialSchema, removeFederatedCredentialSchema, testTokenSchema, updateFederatedCredentialSchema } from './federated-credential.schema';
import { testFederatedToken } from './test-token';

/** The Federated Credentials tab behind makeAdminAction (authenticate, Tenant Administrator, tenant from the session, schema). */
export function federationAdminActions(getUser: () => Promise<SessionUser | null>) {
  const action = makeAdminAction(getUser);
  return {
    addFederatedCredential: action(addFederatedCredentialSchema, ({ db, actor }, input) => addFederatedCredential(db, actor, input)),
    updateFederatedCredential: action(updateFederatedCredentialSchema, ({ db, actor }, input) => updateFederatedCredential(db, actor, input)),
    removeFederatedCredential: action(removeFederatedCredentialSchema, ({ db, actor }, input) => removeFederatedCredential(db, actor, input)),
    testFederatedToken: action(testTokenSchema, ({ db, actor }, input) => testFederatedToken(db, actor, input)),
  };
}
