import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { ChangePasswordForm } from '@/components/account/change-password-form';
import { SessionsList, type SessionView } from '@/components/account/sessions-list';
import { getCurrentSession } from '@/lib/auth/session';
import { listUserSessions } from '@/lib/auth/sessions';
import { describeAmr, describeUserAgent } from '@/lib/auth/user-agent';
import { getDb } from '@/lib/db';
import { MfaSummary } from '@/components/account/mfa-summary';
import { getMfaOverview } from '@/lib/auth/mfa/factors';
import { MFA_ENROLMENT_PATH } from '@/lib/auth/mfa/requirement';

export const metadata: Metadata = { title: 'Your account' };

const ROLE_NAMES: Record<string, string> = {
  tenant_administrator: 'Tenant Administrator',
  tenant_contributor: 'Tenant Contributor',
  tenant_member: 'Tenant Member',
  tenant_viewer: 'Tenant Viewer',
  tenant_data_steward: 'Tenant Data Steward',
  custom: 'Custom role',
};

export default async function AccountPage() {
  const current = await getCurrentSession();
  if (!current) redirect(`/sign-in?callbackUrl=${encodeURIComponent('/account')}`);
  const { user, sessionId } = current;
  // An administrator who must set up multi-factor authentication does that first (lib/auth/mfa/requirement.ts).
  if (user.mfaEnrolmentRequired) redirect(MFA_ENROLMENT_PATH);
  const db = await getDb();
  const [rows, mfa] = await Promise.all([listUserSessions(db, user.id), getMfaOverview(db, user.id)]);
  const sessions: SessionView[] = rows
    .map((s) => ({
      id: s.id,
      browser: describeUserAgent(s.userAgent),
      userAgent: s.userAgent,
      ip: s.ip,
      methods: describeAmr(s.amr),
      createdAt: s.createdAt.toISOString(),
      lastSeenAt: s.lastSeenAt.toISOString(),
      current: s.id === sessionId,
    }))
    // This browser first, then the most recently active.
    .sort((a, b) => Number(b.current) - Number(a.current));
  return (
    <section className="max-w-4xl">
      <h1 className="text-2xl font-semibold">Your account</h1>
      <dl className="mt-6 grid max-w-xl grid-cols-[10rem_1fr] gap-y-2 text-sm">
        <dt className="text-slate-600">Name</dt>
        <dd>{user.name}</dd>
        <dt className="text-slate-600">Email</dt>
        <dd>{user.email}</dd>
        <dt className="text-slate-600">Roles</dt>
        <dd>{[...new Set(user.roleTypes.map((r) => ROLE_NAMES[r] ?? r))].join(', ')}</dd>
      </dl>
      <ChangePasswordForm email={user.email} />
      <MfaSummary overview={mfa} />
      <SessionsList sessions={sessions} />
    </section>
  );
}
