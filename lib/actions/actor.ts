/** Who makes a change: a console user or an API client, of one tenant (audit events and created/updated by). */
export type Actor = {
  tenantId: string;
  /** Shown in created/updated by and in audit events: the user's email, or "client:<id>" for the API. */
  label: string;
  type: 'user' | 'client';
  id: string;
  via: 'console' | 'api';
};

/** The signed-in console user, as lib/auth resolves the session (getSessionUser) and the action wrappers take it. */
export type SessionUser = {
  id: string;
  email: string;
  name: string;
  tenantId: string;
  roleTypes: string[];
  /**
   * Set by getSessionUser (lib/auth/mfa/requirement.ts): a Tenant Administrator of a tenant that requires MFA who has
   * no second factor yet. Everything but the enrolment page refuses them.
   */
  mfaEnrolmentRequired?: boolean;
};
