import type { SessionUser } from '../auth/users';
import { makeAdminAction } from '../actions/admin-action';
import { inviteUser, removeUser, setUserRoles } from './users';
import { inviteUserSchema, removeUserSchema, setUserRolesSchema } from './users.schema';
import { clearUserSignInLock, endAllSessionsOfUser, resetUserPassword, userTargetSchema } from './passwords';

/** The console's user operations behind makeAdminAction (see lib/roles/admin-actions.ts). */
export function userAdminActions(getUser: () => Promise<SessionUser | null>) {
  const action = makeAdminAction(getUser);
  return {
    inviteUser: action(inviteUserSchema, ({ db, actor }, input) => inviteUser(db, actor, input)),
    setUserRoles: action(setUserRolesSchema, ({ db, actor }, input) => setUserRoles(db, actor, input)),
    removeUser: action(removeUserSchema, ({ db, actor }, input) => removeUser(db, actor, input)),
    resetPassword: action(userTargetSchema, ({ db, actor }, input) => resetUserPassword(db, actor, input)),
    endUserSessions: action(userTargetSchema, ({ db, actor }, input) => endAllSessionsOfUser(db, actor, input)),
    clearSignInLock: action(userTargetSchema, ({ db, actor }, input) => clearUserSignInLock(db, actor, input)),
  };
}
