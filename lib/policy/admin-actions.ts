import type { SessionUser } from '../auth/users';
import { makeAdminAction } from '../actions/admin-action';
import { updateCredentialPolicy } from './credential-policy';
import { updateCredentialPolicySchema } from './credential-policy.schema';
import { updateMfaPolicySchema } from '../auth/mfa/mfa.schema';
import { updateMfaPolicy } from './mfa-policy';

/** Security > Settings behind makeAdminAction (authenticate, Tenant Administrator, tenant from the session, schema). */
export function policyAdminActions(getUser: () => Promise<SessionUser | null>) {
  const action = makeAdminAction(getUser);
  return {
    updateCredentialPolicy: action(updateCredentialPolicySchema, ({ db, actor }, input) => updateCredentialPolicy(db, actor, input)),
    updateMfaPolicy: action(updateMfaPolicySchema, ({ db, actor }, input) => updateMfaPolicy(db, actor, input)),
  };
}
