import { getDb } from '../../db';
import type { SessionUser } from '../users';
import { mustEnrolMfa } from './factors';

/** Where an administrator who must set up multi-factor authentication is sent. */
export const MFA_ENROLMENT_PATH = '/account/security';

export { MFA_ENROLMENT_REQUIRED } from '../../actions/admin-action';

/**
 * The session user, marked when the tenant requires MFA of its administrators and this one has no factor yet. Pages
 * (requireAdminPage, requireSignedInPage), server actions (makeAdminAction) and the REST API's session path refuse
 * such a user everything but the enrolment page. Only administrators cost a query.
 */
export async function withMfaRequirement(user: SessionUser): Promise<SessionUser> {
  if (!user.roleTypes.includes('tenant_administrator')) return user;
  return (await mustEnrolMfa(await getDb(), user)) ? { ...user, mfaEnrolmentRequired: true } : user;
}
