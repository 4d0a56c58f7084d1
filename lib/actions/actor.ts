/** Who makes a change: a console user or an API client, of one tenant (audit events and created/updated by). */
export type Actor = {
  tenantId: string;
  /** Shown in created/updated by and in audit events: the user's email, or "client:<id>" for the API. */
  label: string;
  type: 'user' | 'client';
  id: string;
  via: 'console' | 'api';
};
