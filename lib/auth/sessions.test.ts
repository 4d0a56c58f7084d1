import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../db';
import { sessions, tenantSettings } from '../db/schema';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import {
  checkSession,
  clearSessionCache,
  createSession,
  endOwnSession,
  endSession,
  endUserSessions,
  forgetSessions,
  listUserSessions,
  TOUCH_INTERVAL_MS,
} from './sessions';

let h: DbHandle;
let db: Db;
let t: TestTenant;

beforeAll(async () => {
  h = await createTestDb();
  db = h.db;
  t = await createTestTenant(db, 'Sessions');
});
afterAll(async () => {
  await h.close();
});

const MIN = 60_000;
const row = async (id: string) => (await db.select().from(sessions).where(eq(sessions.id, id)))[0];

describe('console sessions', () => {
  it('a new session is valid, records how the user signed in, and ends when deleted', async () => {
    const s = await createSession(db, { userId: t.admin.id, tenantId: t.tenantId, amr: ['pwd', 'otp'], ip: '203.0.113.9', userAgent: 'Test browser' });
    expect(s.expiresAt.getTime() - s.createdAt.getTime()).toBe(12 * 3_600_000);
    const active = await checkSession(s.id, { db });
    expect(active).toMatchObject({ id: s.id, userId: t.admin.id, tenantId: t.tenantId, amr: ['pwd', 'otp'] });
    expect((await row(s.id)).ip).toBe('203.0.113.9');
    expect(await endSession(db, s.id)).toBe(true);
    expect(await checkSession(s.id, { db })).toBeNull();
    expect(await row(s.id)).toBeUndefined();
  });

  it('refuses ids that are not sessions, without asking twice', async () => {
    for (const id of [undefined, 42, '', 'not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      expect(await checkSession(id, { db })).toBeNull();
    }
  });

  it('ends a session idle longer than the tenant allows (default 30 minutes) and deletes its row', async () => {
    const s = await createSession(db, { userId: t.member.id, tenantId: t.tenantId, amr: ['pwd'] });
    const start = s.createdAt.getTime();
    expect(await checkSession(s.id, { db, nowMs: start + 29 * MIN })).not.toBeNull();
    // Seen at +29 min, so still valid 29 minutes later.
    expect(await checkSession(s.id, { db, nowMs: start + 58 * MIN })).not.toBeNull();
    expect(await checkSession(s.id, { db, nowMs: start + 58 * MIN + 30 * MIN })).toBeNull();
    expect(await row(s.id)).toBeUndefined();
  });

  it('ends a session at its absolute lifetime however active, and follows the tenant settings', async () => {
    const { tenantId, admin } = await createTestTenant(db, 'Sessions limits');
    await db.insert(tenantSettings).values({ tenantId, sessionIdleMinutes: 5, sessionMaxHours: 1, updatedBy: 'test' });
    const s = await createSession(db, { userId: admin.id, tenantId, amr: ['pwd'] });
    expect(s.expiresAt.getTime() - s.createdAt.getTime()).toBe(3_600_000);
    const start = s.createdAt.getTime();
    // Active every four minutes: never idle for five.
    for (let m = 4; m < 60; m += 4) expect(await checkSession(s.id, { db, nowMs: start + m * MIN }), `at +${m} min`).not.toBeNull();
    expect(await checkSession(s.id, { db, nowMs: start + 60 * MIN })).toBeNull();
    expect(await row(s.id)).toBeUndefined();

    const idle = await createSession(db, { userId: admin.id, tenantId, amr: ['pwd'] });
    expect(await checkSession(idle.id, { db, nowMs: idle.createdAt.getTime() + 5 * MIN })).toBeNull();
  });

  it('the rows decide: timestamps set in the database are honoured once the cache is refreshed', async () => {
    const s = await createSession(db, { userId: t.member.id, tenantId: t.tenantId, amr: ['pwd'] });
    await db.update(sessions).set({ lastSeenAt: new Date(Date.now() - 31 * MIN) }).where(eq(sessions.id, s.id));
    clearSessionCache();
    expect(await checkSession(s.id, { db })).toBeNull();

    const old = await createSession(db, { userId: t.member.id, tenantId: t.tenantId, amr: ['pwd'] });
    await db.update(sessions).set({ createdAt: new Date(Date.now() - 13 * 3_600_000) }).where(eq(sessions.id, old.id));
    clearSessionCache();
    expect(await checkSession(old.id, { db })).toBeNull();
  });

  it('marks a session as seen at most once a minute', async () => {
    const s = await createSession(db, { userId: t.member.id, tenantId: t.tenantId, amr: ['pwd'] });
    const start = s.createdAt.getTime();
    await checkSession(s.id, { db, nowMs: start + 30_000 });
    expect((await row(s.id)).lastSeenAt.getTime()).toBe(start);
    await checkSession(s.id, { db, nowMs: start + TOUCH_INTERVAL_MS + 1 });
    expect((await row(s.id)).lastSeenAt.getTime()).toBe(start + TOUCH_INTERVAL_MS + 1);
  });

  it('lists a user’s valid sessions; a user can end only their own; "everywhere else" keeps the current one', async () => {
    const { tenantId, admin, member } = await createTestTenant(db, 'Sessions list');
    const a = await createSession(db, { userId: admin.id, tenantId, amr: ['pwd'], userAgent: 'Browser A' });
    const b = await createSession(db, { userId: admin.id, tenantId, amr: ['pwd'], userAgent: 'Browser B' });
    const c = await createSession(db, { userId: admin.id, tenantId, amr: ['pwd'], userAgent: 'Browser C' });
    const theirs = await createSession(db, { userId: member.id, tenantId, amr: ['pwd'] });
    expect((await listUserSessions(db, admin.id)).map((s) => s.userAgent).sort()).toEqual(['Browser A', 'Browser B', 'Browser C']);

    expect(await endOwnSession(db, admin.id, theirs.id)).toBe(false);
    expect(await checkSession(theirs.id, { db })).not.toBeNull();
    expect(await endOwnSession(db, admin.id, c.id)).toBe(true);

    const ended = await endUserSessions(db, admin.id, a.id);
    forgetSessions(ended);
    expect(ended).toEqual([b.id]);
    expect(await checkSession(a.id, { db })).not.toBeNull();
    expect(await checkSession(b.id, { db })).toBeNull();
    expect((await listUserSessions(db, admin.id)).map((s) => s.id)).toEqual([a.id]);
  });
});
