import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../db';
import { userTotp } from '../db/schema';
import { createUser } from '../tenants/tenants';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import { passwordChecks, passwordStep, readNewPasswordPending, readPending, sealPending, PENDING_TTL_SECONDS } from './sign-in-steps';
import { SIGN_IN_BUDGET } from './throttle';

let h: DbHandle;
let db: Db;
let t: TestTenant;
const PASSWORD = 'correct horse battery staple';

beforeAll(async () => {
  h = await createTestDb();
  db = h.db;
  t = await createTestTenant(db, 'Sign-in steps');
});
afterAll(async () => {
  await h.close();
});

/** A fresh address per test, so the per-address budget of one test does not spill into another. */
const address = () => `198.51.100.${Math.floor(Math.random() * 250) + 1}-${randomUUID().slice(0, 4)}`;

describe('pending sign-in token', () => {
  const pending = { userId: randomUUID(), amr: ['pwd'], callbackUrl: '/security/users?x=1' };

  it('round-trips, bound to its stage', async () => {
    const token = await sealPending(pending, 'second-factor');
    expect(token).not.toContain(pending.userId); // encrypted, not just signed
    expect(await readPending(token)).toEqual(pending);
    expect(await readNewPasswordPending(token)).toBeNull();
    expect(await readNewPasswordPending(await sealPending(pending, 'new-password'))).toEqual(pending);
  });

  it('expires after five minutes, and a tampered or foreign token is nothing', async () => {
    const now = Math.floor(Date.now() / 1000);
    const token = await sealPending(pending, 'second-factor', now);
    expect(await readPending(token, now + PENDING_TTL_SECONDS - 5)).not.toBeNull();
    expect(await readPending(token, now + PENDING_TTL_SECONDS + 5)).toBeNull();
    // One character of the authentication tag changed (the one replaced is looked at: was the last one, so a token
    // whose third-last character was already 'A' stayed whole, 1 run in 64).
    const flipped = token.slice(0, -3) + (token.at(-3) === 'A' ? 'B' : 'A') + token.slice(-2);
    expect(flipped).not.toBe(token);
    for (const bad of [flipped, '', 'x'.repeat(5000), 42, undefined, token.split('.').slice(0, 3).join('.')]) {
      expect(await readPending(bad)).toBeNull();
    }
  });

  it('never carries a redirect to another origin', async () => {
    const token = await sealPending({ ...pending, callbackUrl: 'https://evil.example/phish' }, 'second-factor');
    expect((await readPending(token))?.callbackUrl).toBe('/overview');
  });
});

describe('passwordStep', () => {
  it('right password: complete with amr pwd; wrong or unknown: invalid', async () => {
    const ip = address();
    const ok = await passwordStep(db, { email: t.member.email.toUpperCase(), password: PASSWORD, address: ip });
    expect(ok).toMatchObject({ kind: 'complete', amr: ['pwd'], user: { id: t.member.id } });
    expect(await passwordStep(db, { email: t.member.email, password: 'wrong password!', address: ip })).toEqual({ kind: 'invalid' });
    expect(await passwordStep(db, { email: 'nobody@example.test', password: PASSWORD, address: ip })).toEqual({ kind: 'invalid' });
  });

  it('a user with a confirmed second factor gets a pending token instead of a session', async () => {
    const { tenantId } = await createTestTenant(db, 'Sign-in 2fa');
    const u = await createUser(db, { tenantId, email: `mfa-${randomUUID().slice(0, 8)}@example.test`, name: 'M', password: PASSWORD });
    await db.insert(userTotp).values({ userId: u.id, secretEncrypted: 'x' }); // enrolment started, not confirmed
    expect((await passwordStep(db, { email: u.email, password: PASSWORD, address: address() })).kind).toBe('complete');
    await db.update(userTotp).set({ confirmedAt: new Date() });
    const r = await passwordStep(db, { email: u.email, password: PASSWORD, address: address(), callbackUrl: '/account' });
    expect(r.kind).toBe('second-factor');
    if (r.kind !== 'second-factor') return;
    expect(await readPending(r.pending)).toEqual({ userId: u.id, amr: ['pwd'], callbackUrl: '/account' });
  });

  it('150 parallel wrong passwords: at most the budget reach the password check; then the right one is refused', async () => {
    const { tenantId } = await createTestTenant(db, 'Sign-in burst');
    const u = await createUser(db, { tenantId, email: `burst-${randomUUID().slice(0, 8)}@example.test`, name: 'B', password: PASSWORD });
    const before = passwordChecks.count;
    // Many addresses (as a botnet would): only the account's budget can stop them.
    const results = await Promise.all(
      Array.from({ length: 150 }, (_, i) => passwordStep(db, { email: u.email, password: `guess number ${i}`, address: `192.0.2.${i}` })),
    );
    const checked = passwordChecks.count - before;
    expect(checked).toBeLessThanOrEqual(SIGN_IN_BUDGET.email);
    expect(results.filter((r) => r.kind === 'invalid')).toHaveLength(checked);
    expect(results.filter((r) => r.kind === 'locked').length).toBe(150 - checked);
    const right = await passwordStep(db, { email: u.email, password: PASSWORD, address: address() });
    expect(right.kind).toBe('locked');
    if (right.kind === 'locked') expect(right.retryAfterSeconds).toBeGreaterThan(0);
    expect(passwordChecks.count - before).toBe(checked);
  });
});
