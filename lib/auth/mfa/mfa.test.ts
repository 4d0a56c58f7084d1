import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Db, DbHandle } from '../../db';
import { auditEvents, sessions, signInThrottle, tenantSettings, userRecoveryCodes, userTotp, webauthnChallenges } from '../../db/schema';
import { actorFromUser, type Actor } from '../../actions/admin-action';
import { createTestDb, createTestTenant, type TestTenant } from '../../testing/db';
import { endUserSessions } from '../sessions';
import { CHALLENGE_TTL_MS, storeChallenge, takeChallenge } from './challenges';
import {
  checkProof,
  confirmAuthenticatorApp,
  hasSecondFactor,
  mustEnrolMfa,
  regenerateRecoveryCodes,
  removeAuthenticatorApp,
  resetUserMfa,
} from './factors';
import { beginPasskeyAuthentication, beginPasskeyRegistration, finishPasskeyRegistration, relyingPartyFor } from './passkeys';
import { hashRecoveryCode, normalizeRecoveryCode, RECOVERY_CODE_COUNT, useRecoveryCode } from './recovery-codes';
import { openTotpSeed, SeedDecryptionError, sealTotpSeed } from './seal';
import { verifySecondFactorCode } from './second-factor';
import { beginTotpEnrolment, matchTotpStep, totpCode, totpStep, TOTP_PERIOD_SECONDS, verifyTotp } from './totp';

let h: DbHandle;
let db: Db;
let t: TestTenant;

beforeAll(async () => {
  h = await createTestDb();
  db = h.db;
  t = await createTestTenant(db, 'MFA');
});
afterAll(async () => {
  await h.close();
});

const STEP_MS = TOTP_PERIOD_SECONDS * 1000;

/** A fresh user of the tenant (each test gets its own factors). */
async function freshUser(): Promise<{ actor: Actor; userId: string }> {
  const tt = await createTestTenant(db, 'MFA user');
  return { actor: actorFromUser(tt.admin), userId: tt.admin.id };
}

async function enrolledUser(): Promise<{ actor: Actor; userId: string; seed: string; codes: string[] }> {
  const u = await freshUser();
  const seed = (await beginTotpEnrolment(db, u.userId))!;
  const result = await confirmAuthenticatorApp(db, u.actor, totpCode(seed));
  if (!result.ok) throw new Error('enrolment failed');
  return { ...u, seed, codes: result.data.recoveryCodes! };
}

describe('TOTP seeds at rest', () => {
  it('stores the seed encrypted, bound to its user, and only the right AUTH_SECRET opens it', async () => {
    const { userId } = await freshUser();
    const seed = (await beginTotpEnrolment(db, userId))!;
    const [row] = await db.select().from(userTotp).where(eq(userTotp.userId, userId));
    expect(row.secretEncrypted).not.toContain(seed);
    expect(row.secretEncrypted.startsWith('v1.')).toBe(true);
    expect(openTotpSeed(row.secretEncrypted, userId)).toBe(seed);
    // Moved to another user's row, or read with another secret: refused.
    expect(() => openTotpSeed(row.secretEncrypted, t.member.id)).toThrow(SeedDecryptionError);
    expect(() => openTotpSeed(row.secretEncrypted, userId, 'another-secret')).toThrow(SeedDecryptionError);
    expect(() => openTotpSeed(sealTotpSeed(seed, userId).replace('v1.', 'v9.'), userId)).toThrow(/unknown format/);
  });

  it('does not replace a confirmed authenticator app by starting over', async () => {
    const { userId } = await enrolledUser();
    expect(await beginTotpEnrolment(db, userId)).toBeNull();
  });
});

describe('TOTP codes', () => {
  it('accepts the current code and one step either side, and nothing further', () => {
    const seed = 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP';
    const now = 1_800_000_015_000;
    expect(matchTotpStep(seed, totpCode(seed, now), now)).toBe(totpStep(now));
    expect(matchTotpStep(seed, totpCode(seed, now - STEP_MS), now)).toBe(totpStep(now) - 1);
    expect(matchTotpStep(seed, totpCode(seed, now + STEP_MS), now)).toBe(totpStep(now) + 1);
    expect(matchTotpStep(seed, totpCode(seed, now - 2 * STEP_MS), now)).toBeNull();
    expect(matchTotpStep(seed, totpCode(seed, now + 2 * STEP_MS), now)).toBeNull();
    expect(matchTotpStep(seed, 'abcdef', now)).toBeNull();
    expect(matchTotpStep(seed, '1234567', now)).toBeNull();
  });

  it('refuses a wrong confirmation code, and confirms with a right one', async () => {
    const u = await freshUser();
    const seed = (await beginTotpEnrolment(db, u.userId))!;
    const wrong = String((Number(totpCode(seed)) + 1) % 1_000_000).padStart(6, '0');
    const refused = await confirmAuthenticatorApp(db, u.actor, wrong);
    expect(refused.ok).toBe(false);
    expect(await hasSecondFactor(db, u.userId)).toBe(false);
    const confirmed = await confirmAuthenticatorApp(db, u.actor, totpCode(seed));
    expect(confirmed.ok).toBe(true);
    expect(await hasSecondFactor(db, u.userId)).toBe(true);
    const events = await db.select().from(auditEvents).where(eq(auditEvents.targetId, u.userId));
    expect(events.map((e) => e.action).sort()).toEqual(['mfa.recovery_codes_generated', 'mfa.totp_enrolled']);
    expect(JSON.stringify(events)).not.toContain(seed);
  });

  it('accepts each code once: a replay in the same window is refused, also when two race', async () => {
    const { userId, seed } = await enrolledUser();
    const now = Date.now() + STEP_MS; // the next step: the confirmation spent the current one
    const code = totpCode(seed, now);
    const raced = await Promise.all([verifyTotp(db, userId, code, now), verifyTotp(db, userId, code, now)]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(await verifyTotp(db, userId, code, now)).toBe(false);
    // An older code (the previous step, still inside the window) is refused after a newer one was used.
    expect(await verifyTotp(db, userId, totpCode(seed, now - STEP_MS), now)).toBe(false);
    // The next step's code works.
    expect(await verifyTotp(db, userId, totpCode(seed, now + STEP_MS), now + STEP_MS)).toBe(true);
  });
});

describe('recovery codes', () => {
  it('are ten, stored hashed, and each works once whatever the case or dashes', async () => {
    const { userId, codes } = await enrolledUser();
    expect(codes).toHaveLength(RECOVERY_CODE_COUNT);
    expect(new Set(codes).size).toBe(RECOVERY_CODE_COUNT);
    for (const c of codes) expect(c).toMatch(/^[0-9a-z]{4}(-[0-9a-z]{4}){3}$/);
    const rows = await db.select().from(userRecoveryCodes).where(eq(userRecoveryCodes.userId, userId));
    expect(rows).toHaveLength(RECOVERY_CODE_COUNT);
    const stored = JSON.stringify(rows);
    for (const c of codes) {
      expect(stored).not.toContain(c);
      expect(stored).not.toContain(normalizeRecoveryCode(c));
    }
    expect(rows.map((r) => r.codeHash).sort()).toEqual(codes.map(hashRecoveryCode).sort());

    const typed = codes[0].toUpperCase().replace(/-/g, ' ');
    const raced = await Promise.all([useRecoveryCode(db, userId, typed), useRecoveryCode(db, userId, codes[0])]);
    expect(raced.filter(Boolean)).toHaveLength(1);
    expect(await useRecoveryCode(db, userId, codes[0])).toBe(false);
    expect(await useRecoveryCode(db, userId, codes[1])).toBe(true);
    expect(await useRecoveryCode(db, t.admin.id, codes[2])).toBe(false); // another user's code
  });

  it('a new set replaces the old one', async () => {
    const { actor, userId, codes } = await enrolledUser();
    const fresh = await regenerateRecoveryCodes(db, actor);
    if (!fresh.ok) throw new Error('regenerate failed');
    expect(await useRecoveryCode(db, userId, codes[0])).toBe(false);
    expect(await useRecoveryCode(db, userId, fresh.data.recoveryCodes[0])).toBe(true);
  });
});

describe('the second sign-in step', () => {
  it('takes an app code or a recovery code once, audits failures and the codes used, and is throttled', async () => {
    const { userId, seed, codes } = await enrolledUser();
    const meta = { address: '203.0.113.9' };
    const next = totpCode(seed, Date.now() + STEP_MS);
    // The current step was spent by the confirmation: the same code again is a replay.
    expect(await verifySecondFactorCode(db, userId, totpCode(seed), meta)).toMatchObject({ ok: false });
    expect(await verifySecondFactorCode(db, userId, codes[3], meta)).toMatchObject({ ok: true, amr: ['otp', 'mfa'], recoveryCodesLeft: 9 });
    expect(await verifySecondFactorCode(db, userId, codes[3], meta)).toMatchObject({ ok: false });
    const actions = (await db.select().from(auditEvents).where(eq(auditEvents.targetId, userId))).map((e) => e.action);
    expect(actions.filter((a) => a === 'mfa.verification_failed')).toHaveLength(2);
    expect(actions).toContain('mfa.recovery_code_used');
    // Spend the budget with wrong codes: then even a right code is refused while locked.
    let locked = false;
    for (let i = 0; i < 15 && !locked; i++) {
      const r = await verifySecondFactorCode(db, userId, '000000', meta);
      locked = !r.ok && Boolean(r.locked);
    }
    expect(locked).toBe(true);
    expect(await verifySecondFactorCode(db, userId, next, meta)).toMatchObject({ ok: false, locked: true });
    await db.delete(signInThrottle).where(eq(signInThrottle.key, `mfa:${userId}`));
  });

  it('asks for proof (password or app code) before a factor is removed', async () => {
    const { actor, userId, seed } = await enrolledUser();
    expect(await checkProof(db, userId, 'not the password')).toMatchObject({ ok: false });
    expect(await checkProof(db, userId, 'correct horse battery staple')).toEqual({ ok: true });
    expect(await checkProof(db, userId, totpCode(seed, Date.now() + STEP_MS))).toEqual({ ok: true });
    const removed = await removeAuthenticatorApp(db, actor);
    expect(removed.ok).toBe(true);
    expect(await hasSecondFactor(db, userId)).toBe(false);
    // Recovery codes without a factor are removed with the last factor.
    expect(await db.$count(userRecoveryCodes, eq(userRecoveryCodes.userId, userId))).toBe(0);
  });
});

describe('WebAuthn challenges', () => {
  it('are single use, expire, and are stored only as a hash of the state id', async () => {
    const stateId = await storeChallenge(db, { purpose: 'authenticate', userId: null, challenge: 'c-1' });
    const [row] = await db.select().from(webauthnChallenges).where(eq(webauthnChallenges.challenge, 'c-1'));
    expect(row.idHash).not.toBe(stateId);
    expect(await takeChallenge(db, stateId, 'register')).toBeNull(); // wrong purpose
    expect(await takeChallenge(db, stateId, 'authenticate')).toEqual({ challenge: 'c-1', userId: null });
    expect(await takeChallenge(db, stateId, 'authenticate')).toBeNull();

    const now = Date.now();
    const old = await storeChallenge(db, { purpose: 'register', userId: t.admin.id, challenge: 'c-2' }, now);
    expect(await takeChallenge(db, old, 'register', now + CHALLENGE_TTL_MS + 1)).toBeNull();
    expect(await takeChallenge(db, 'x'.repeat(500), 'register')).toBeNull();
  });

  it('registration options exclude nothing for a new user and a forged answer is refused', async () => {
    const { userId } = await freshUser();
    const rp = relyingPartyFor('http://localhost:3000');
    const { stateId, options } = await beginPasskeyRegistration(db, { id: userId, email: 'x@example.test', name: 'X' }, rp);
    expect(options.rp).toEqual({ name: 'Tenant Security Console', id: 'localhost' });
    expect(options.authenticatorSelection).toMatchObject({ residentKey: 'required', userVerification: 'required' });
    const forged = { id: 'AAAA', rawId: 'AAAA', type: 'public-key', response: { clientDataJSON: 'e30', attestationObject: 'oA' }, clientExtensionResults: {} };
    const result = await finishPasskeyRegistration(db, userId, { stateId, name: 'Forged', response: forged as never }, rp);
    expect(result).toEqual({ ok: false, reason: 'invalid' });
    // The challenge was spent by that attempt.
    expect(await finishPasskeyRegistration(db, userId, { stateId, name: 'Again', response: forged as never }, rp)).toEqual({ ok: false, reason: 'expired' });
    const auth = await beginPasskeyAuthentication(db, null, rp);
    expect(auth.options.allowCredentials).toEqual([]);
    expect(auth.options.userVerification).toBe('required');
  });
});

describe('tenant policy and Reset MFA', () => {
  it('requires MFA of administrators when the tenant has no settings row, not when it is turned off', async () => {
    const tt = await createTestTenant(db, 'MFA policy');
    expect(await mustEnrolMfa(db, tt.admin)).toBe(true);
    expect(await mustEnrolMfa(db, tt.member)).toBe(false);
    await db.insert(tenantSettings).values({ tenantId: tt.tenantId, requireAdminMfa: false, updatedBy: 'test' });
    expect(await mustEnrolMfa(db, tt.admin)).toBe(false);
  });

  it('removes every factor, ends the sessions and is audited, only within the administrator\'s tenant', async () => {
    const victim = await enrolledUser();
    await db.insert(sessions).values({ userId: victim.userId, tenantId: victim.actor.tenantId, expiresAt: new Date(Date.now() + 3_600_000) });
    const endSessions = (tx: Db, userId: string) => endUserSessions(tx, userId);
    const foreign = await resetUserMfa(db, actorFromUser(t.admin), victim.userId, endSessions);
    expect(foreign).toMatchObject({ ok: false, code: 'not_found' });
    expect(await hasSecondFactor(db, victim.userId)).toBe(true);
    const done = await resetUserMfa(db, victim.actor, victim.userId, endSessions);
    expect(done).toMatchObject({ ok: true, data: { endedSessionIds: [expect.any(String)] } });
    expect(await db.$count(sessions, eq(sessions.userId, victim.userId))).toBe(0);
    expect(await hasSecondFactor(db, victim.userId)).toBe(false);
    expect(await db.$count(userRecoveryCodes, eq(userRecoveryCodes.userId, victim.userId))).toBe(0);
    const [event] = await db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.targetId, victim.userId), eq(auditEvents.action, 'mfa.reset')));
    expect(event.details).toMatchObject({ authenticatorApp: true, recoveryCodes: 10, sessionsEnded: 1 });
  });
});
