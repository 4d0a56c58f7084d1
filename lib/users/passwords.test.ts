import { and, eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import type { Db } from '../db';
import { auditEvents, sessions, tenantSettings, users } from '../db/schema';
import { actorFromUser, type Actor } from '../actions/admin-action';
import { checkSession, createSession } from '../auth/sessions';
import { getSessionPolicy, updateSessionPolicy } from '../auth/session-policy';
import { signInKeys, signInLockOf, takeSignInAttempt } from '../auth/throttle';
import { verifyCredentials } from '../auth/users';
import { createTestTenant, type TestTenant } from '../testing/db';
import { withTwoTenants } from '../testing/tenants-fixture';
import { endMyOtherSessions } from './account-actions';
import { changeOwnPassword, chooseOwnPassword, clearUserSignInLock, CURRENT_PASSWORD_WRONG, endAllSessionsOfUser, resetUserPassword, tenantSignInStatus } from './passwords';
import { inviteUser, removeUser } from './users';

let db: Db;
let t: TestTenant;
let other: TestTenant;
let actor: Actor;
const PASSWORD = 'correct horse battery staple';

withTwoTenants('Passwords', (s) => ({ db, t, other, actor } = s));

const open = (userId: string, tenantId = t.tenantId) => createSession(db, { userId, tenantId, amr: ['pwd'] });
const audits = async (action: string, targetId: string) =>
  db.select().from(auditEvents).where(and(eq(auditEvents.action, action), eq(auditEvents.targetId, targetId)));

async function freshUser(label: string) {
  const invited = await inviteUser(db, actor, { email: `${label}-${Date.now().toString(36)}${Math.random().toString(36).slice(2, 5)}@example.test`, name: label });
  if (!invited.ok) throw new Error(JSON.stringify(invited));
  return invited.data;
}

describe('passwords', () => {
  it('an invited user must choose their own password, which must differ from the one they were given', async () => {
    const u = await freshUser('invited');
    expect((await db.select().from(users).where(eq(users.id, u.id)))[0].mustChangePassword).toBe(true);
    expect(await chooseOwnPassword(db, u.id, { newPassword: u.initialPassword, confirmPassword: u.initialPassword })).toMatchObject({
      ok: false,
      fieldErrors: { newPassword: 'Choose a password different from the one you were given.' },
    });
    const chosen = 'my own long passphrase';
    expect((await chooseOwnPassword(db, u.id, { newPassword: chosen, confirmPassword: chosen })).ok).toBe(true);
    const [row] = await db.select().from(users).where(eq(users.id, u.id));
    expect(row.mustChangePassword).toBe(false);
    expect(row.passwordChangedAt).not.toBeNull();
    expect(await verifyCredentials(db, u.email, chosen)).not.toBeNull();
    expect(await verifyCredentials(db, u.email, u.initialPassword)).toBeNull();
  });

  it('Change password: the current password is required; other sessions end, this one stays; audited', async () => {
    const { tenantId, member } = await createTestTenant(db, 'Change');
    const here = await open(member.id, tenantId);
    const there = await open(member.id, tenantId);
    const self = { userId: member.id, email: member.email, tenantId };
    const ctx = { keepSessionId: here.id, address: '203.0.113.40' };
    const next = 'a brand new long passphrase';
    const wrong = await changeOwnPassword(db, self, { currentPassword: 'not it at all', newPassword: next, confirmPassword: next }, ctx);
    expect(wrong).toMatchObject({ ok: false, fieldErrors: { currentPassword: CURRENT_PASSWORD_WRONG } });
    expect((await signInLockOf(db, member.email)).failures).toBe(1);

    const done = await changeOwnPassword(db, self, { currentPassword: PASSWORD, newPassword: next, confirmPassword: next }, ctx);
    expect(done).toEqual({ ok: true, data: { sessionsEnded: 1 } });
    expect(await checkSession(here.id, { db })).not.toBeNull();
    expect(await checkSession(there.id, { db })).toBeNull();
    expect(await verifyCredentials(db, member.email, PASSWORD)).toBeNull();
    expect(await verifyCredentials(db, member.email, next)).not.toBeNull();
    // A success clears the account's count.
    expect((await signInLockOf(db, member.email)).failures).toBe(0);
    const [event] = await audits('user.password_changed', member.id);
    expect(event.details).toMatchObject({ email: member.email, otherSessionsEnded: 1 });
    expect(JSON.stringify(event)).not.toContain(next);
  });

  it('Reset password: a one-time password to be replaced, every session ended, the lock cleared; not for yourself or another tenant', async () => {
    const u = await freshUser('reset');
    await chooseOwnPassword(db, u.id, { newPassword: 'first own passphrase', confirmPassword: 'first own passphrase' });
    const s = await open(u.id);
    for (let i = 0; i < 11; i++) await takeSignInAttempt(db, signInKeys(u.email, `198.51.100.${i}`));
    expect((await signInLockOf(db, u.email)).lockedUntil).not.toBeNull();

    const r = await resetUserPassword(db, actor, { userId: u.id });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.sessionsEnded).toBe(1);
    expect(r.data.oneTimePassword.length).toBeGreaterThanOrEqual(20);
    expect(await checkSession(s.id, { db })).toBeNull();
    expect((await db.select().from(users).where(eq(users.id, u.id)))[0].mustChangePassword).toBe(true);
    expect(await verifyCredentials(db, u.email, r.data.oneTimePassword)).not.toBeNull();
    expect((await signInLockOf(db, u.email)).lockedUntil).toBeNull();
    const [event] = await audits('user.password_reset', u.id);
    expect(JSON.stringify(event)).not.toContain(r.data.oneTimePassword);

    expect(await resetUserPassword(db, actor, { userId: t.admin.id })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await resetUserPassword(db, actor, { userId: other.member.id })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('Sign out all sessions and Clear lock, each audited; Security > Users shows both', async () => {
    const u = await freshUser('admin-ends');
    const a = await open(u.id);
    await open(u.id);
    for (let i = 0; i < 11; i++) await takeSignInAttempt(db, signInKeys(u.email, `192.0.2.${i}`));
    const status = await tenantSignInStatus(db, t.tenantId, [{ id: u.id, email: u.email }]);
    expect(status[u.id].activeSessions).toBe(2);
    expect(status[u.id].lockedUntil).not.toBeNull();

    expect(await endAllSessionsOfUser(db, actor, { userId: u.id })).toEqual({ ok: true, data: { email: u.email, sessionsEnded: 2 } });
    expect(await checkSession(a.id, { db })).toBeNull();
    expect(await clearUserSignInLock(db, actor, { userId: u.id })).toEqual({ ok: true, data: { email: u.email } });
    const after = await tenantSignInStatus(db, t.tenantId, [{ id: u.id, email: u.email }]);
    expect(after[u.id]).toEqual({ activeSessions: 0, lockedUntil: null });
    expect(await audits('user.sessions_ended', u.id)).toHaveLength(1);
    expect(await audits('user.sign_in_lock_cleared', u.id)).toHaveLength(1);
    expect(await endAllSessionsOfUser(db, actor, { userId: other.admin.id })).toMatchObject({ ok: false, code: 'not_found' });
  });

  it('Sign out everywhere else keeps the current session; removing a user ends theirs', async () => {
    const u = await freshUser('everywhere');
    const here = await open(u.id);
    const there = await open(u.id);
    const session = { user: { id: u.id, email: u.email, name: u.name, tenantId: t.tenantId, roleTypes: ['tenant_member'] }, sessionId: here.id };
    expect(await endMyOtherSessions(db, session)).toEqual({ ok: true, data: { sessionsEnded: 1 } });
    expect(await checkSession(there.id, { db })).toBeNull();
    expect(await checkSession(here.id, { db })).not.toBeNull();

    expect((await removeUser(db, actor, { userId: u.id })).ok).toBe(true);
    expect(await checkSession(here.id, { db })).toBeNull();
    expect(await db.select().from(sessions).where(eq(sessions.userId, u.id))).toHaveLength(0);
  });
});

describe('session policy (Security > Settings)', () => {
  it('defaults, saves within bounds, refuses outside them, audits the change', async () => {
    const { tenantId, admin } = await createTestTenant(db, 'Session policy');
    expect(await getSessionPolicy(db, tenantId)).toEqual({ idleMinutes: 30, maxHours: 12 });
    const a = actorFromUser(admin);
    expect(await updateSessionPolicy(db, a, { idleMinutes: '60', maxHours: 8 })).toEqual({ ok: true, data: { idleMinutes: 60, maxHours: 8 } });
    expect(await getSessionPolicy(db, tenantId)).toEqual({ idleMinutes: 60, maxHours: 8 });
    // A tenant without a settings row before: "Require MFA for Tenant Administrators" stays at its default (on).
    expect((await db.select().from(tenantSettings).where(eq(tenantSettings.tenantId, tenantId)))[0].requireAdminMfa).toBe(true);
    for (const bad of [{ idleMinutes: 4, maxHours: 8 }, { idleMinutes: 1441, maxHours: 8 }, { idleMinutes: 30, maxHours: 0 }, { idleMinutes: 30, maxHours: 721 }, { idleMinutes: '1e3', maxHours: 8 }, { idleMinutes: 30.5, maxHours: 8 }]) {
      expect((await updateSessionPolicy(db, a, bad)).ok, JSON.stringify(bad)).toBe(false);
    }
    expect(await getSessionPolicy(db, tenantId)).toEqual({ idleMinutes: 60, maxHours: 8 });
    const [event] = await audits('policy.sessions_updated', tenantId);
    expect(event.details).toMatchObject({ changes: { from: { idleMinutes: 30, maxHours: 12 }, to: { idleMinutes: 60, maxHours: 8 } } });
  });
});
