import type { SessionUser } from '../auth/users';
import { makeAdminAction } from '../actions/admin-action';
import { createCommunity, removeCommunity } from './communities';
import { createCommunitySchema, removeCommunitySchema } from './communities.schema';

/** The console's community operations behind makeAdminAction (see lib/roles/admin-actions.ts). */
export function communityAdminActions(getUser: () => Promise<SessionUser | null>) {
  const action = makeAdminAction(getUser);
  return {
    createCommunity: action(createCommunitySchema, ({ db, actor }, input) => createCommunity(db, actor, input)),
    removeCommunity: action(removeCommunitySchema, ({ db, actor }, input) => removeCommunity(db, actor, input)),
  };
}
