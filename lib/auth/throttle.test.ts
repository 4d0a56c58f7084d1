import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createTestDb } from '../testing/db';
import type { DbHandle } from '../db';
import { signInThrottle } from '../db/schema';
import {
  clearSignInLock,
  emailKey,
  LOCK_STEPS_SECONDS,
  SIGN_IN_BUDGET,
  signInKeys,
  signInLockOf,
  signInSucceeded,
  takeSignInAttempt,
  WINDOW_SECONDS,
} from './throttle';

let h: DbHandle;
beforeAll(async () => {
  h = await createTestDb();
});
afterAll(async () => {
  await h.close();
});

let n = 0;
const run = `${Date.now().toString(36)}${Math.random().toString(36).slice(2, 6)}`;
const fresh = () => `throttle-${run}-${n++}@example.test`;
/** An address no other test (in this file or another sharing the database) counts against. */
const address = (i: number | string) => `test-${run}-${i}`;
const at = (base: Date, seconds: number) => new Date(base.getTime() + seconds * 1000);

describe('sign-in throttle (shared through the database)', () => {
  it('lets exactly the budget through for 150 parallel attempts at one account, then locks', async () => {
    const email = fresh();
    const now = new Date();
    const verdicts = await Promise.all(
      Array.from({ length: 150 }, (_, i) => takeSignInAttempt(h.db, signInKeys(email, address(`burst-${i % 50}`)), now)),
    );
    expect(verdicts.filter((v) => v.allowed)).toHaveLength(SIGN_IN_BUDGET.email);
    const lock = await signInLockOf(h.db, email, now);
    expect(lock.lockedUntil?.getTime()).toBe(now.getTime() + LOCK_STEPS_SECONDS[0] * 1000);
    // Locked: the right password would not even be checked.
    const during = await takeSignInAttempt(h.db, signInKeys(email, address('during')), at(now, 30));
    expect(during).toEqual({ allowed: false, retryAfterSeconds: 30 });
    // Only one lock was taken for the whole burst.
    const [row] = await h.db.select().from(signInThrottle).where(eq(signInThrottle.key, emailKey(email)));
    expect(row.lockCount).toBe(1);
  });

  it('grows the lock 1, 5, 15 minutes as the budget is spent again', async () => {
    const email = fresh();
    let now = new Date();
    for (const step of LOCK_STEPS_SECONDS.concat(LOCK_STEPS_SECONDS[2])) {
      for (let i = 0; i < SIGN_IN_BUDGET.email; i++) {
        expect((await takeSignInAttempt(h.db, [emailKey(email)], now)).allowed).toBe(true);
      }
      const refused = await takeSignInAttempt(h.db, [emailKey(email)], now);
      expect(refused).toEqual({ allowed: false, retryAfterSeconds: step });
      now = at(now, step);
    }
  });

  it('starts a new window after 15 minutes without a lock', async () => {
    const email = fresh();
    const now = new Date();
    for (let i = 0; i < SIGN_IN_BUDGET.email; i++) await takeSignInAttempt(h.db, [emailKey(email)], now);
    expect((await signInLockOf(h.db, email, now)).failures).toBe(SIGN_IN_BUDGET.email);
    const later = at(now, WINDOW_SECONDS + 1);
    expect((await takeSignInAttempt(h.db, [emailKey(email)], later)).allowed).toBe(true);
    expect((await signInLockOf(h.db, email, later)).failures).toBe(1);
  });

  it('a success clears the account and gives the address back only its own attempt', async () => {
    const email = fresh();
    const ipAddress = address(`success-${n++}`);
    const now = new Date();
    for (let i = 0; i < 3; i++) await takeSignInAttempt(h.db, signInKeys(email, ipAddress), now);
    await signInSucceeded(h.db, signInKeys(email, ipAddress));
    expect(await signInLockOf(h.db, email, now)).toEqual({ lockedUntil: null, failures: 0 });
    const [ip] = await h.db.select().from(signInThrottle).where(eq(signInThrottle.key, `ip:${ipAddress}`));
    expect(ip.failures).toBe(2);
  });

  it('an address has its own, larger budget across accounts', async () => {
    const shared = address(`budget-${n++}`);
    const now = new Date();
    const verdicts = [];
    for (let i = 0; i < SIGN_IN_BUDGET.ip + 1; i++) verdicts.push(await takeSignInAttempt(h.db, signInKeys(fresh(), shared), now));
    expect(verdicts.slice(0, SIGN_IN_BUDGET.ip).every((v) => v.allowed)).toBe(true);
    expect(verdicts[SIGN_IN_BUDGET.ip].allowed).toBe(false);
  });

  it('an administrator clears a lock', async () => {
    const email = fresh();
    const now = new Date();
    for (let i = 0; i <= SIGN_IN_BUDGET.email; i++) await takeSignInAttempt(h.db, [emailKey(email)], now);
    expect((await signInLockOf(h.db, email, now)).lockedUntil).not.toBeNull();
    await clearSignInLock(h.db, email.toUpperCase());
    expect((await takeSignInAttempt(h.db, [emailKey(email)], now)).allowed).toBe(true);
  });
});
