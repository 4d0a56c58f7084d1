import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clientSecrets } from '../db/schema';
import { actorFromUser } from '../actions/admin-action';
import { CLIENT_CHANGED_CHANNEL, onLocalChange } from '../tokens/invalidation';
import { hashSecret, isWellFormedSecret, secretHashesEqual } from '../secrets/secret';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import { getClientDetails } from './queries';
import { addSecretSchema } from './secret.schema';
import { addSecret } from './secrets';
import { secretStatus } from './secret-status';
import { actionsAs, inDays, newClientInput } from './test-helpers';

let h: DbHandle;
let t: TestTenant;
let other: TestTenant;
const notified: string[] = [];
let stopListening: () => void;

beforeAll(async () => {
  h = await createTestDb();
  t = await createTestTenant(h.db, 'Secrets');
  other = await createTestTenant(h.db, 'Other');
  stopListening = onLocalChange((channel, payload) => {
    if (channel === CLIENT_CHANGED_CHANNEL) notified.push(payload);
  });
});
afterAll(async () => {
  stopListening();
  await h.close();
});
afterEach(() => {
  notified.length = 0;
});

async function newClient(tt: TestTenant = t) {
  const input = newClientInput();
  const r = await actionsAs(tt.admin).createClient(input);
  if (!r.ok) throw new Error(JSON.stringify(r));
  notified.length = 0;
  return (await getClientDetails(h.db, tt.tenantId, input.clientId))!;
}
const secretsOf = (clientId: string) => h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, clientId));
const auditFor = (clientId: string, action: string) =>
  h.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, clientId), eq(auditEvents.action, action)));

describe('Add Secret', () => {
  it('adds a hashed secret, returns the plaintext once, and audits it without the secret', async () => {
    const c = await newClient();
    const r = await actionsAs(t.admin).addSecret({ clientId: c.id, description: ' rotation 2027 ', expiresAt: inDays(90) });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(isWellFormedSecret(r.data.secret)).toBe(true);
    const row = (await secretsOf(c.id)).find((s) => s.id === r.data.secretId)!;
    expect(row).toMatchObject({ description: 'rotation 2027', createdBy: t.admin.email, lastUsedAt: null });
    expect(secretHashesEqual(row.secretHash, hashSecret(r.data.secret))).toBe(true);
    const [event] = await auditFor(c.id, 'secret.added');
    expect(event.details).toMatchObject({ secret: { id: r.data.secretId, hint: row.displayHint, description: 'rotation 2027' } });
    expect(JSON.stringify(event.details)).not.toContain(r.data.secret);
    expect(JSON.stringify(event.details)).not.toContain(row.secretHash);
    expect(notified).toEqual([c.id]);
    // Details list secrets without their hashes.
    const details = (await getClientDetails(h.db, t.tenantId, c.id))!;
    expect(details.secrets).toHaveLength(2);
    expect(JSON.stringify(details)).not.toContain(row.secretHash);
  });

  it('adds a never-expiring secret', async () => {
    const c = await newClient();
    const r = await actionsAs(t.admin).addSecret({ clientId: c.id, neverExpires: true, expiresAt: inDays(-5) });
    expect(r.ok).toBe(true);
    const row = (await secretsOf(c.id)).find((s) => r.ok && s.id === r.data.secretId)!;
    expect(row.expiresAt).toBeNull();
  });

  it('refuses an expiration in the past, a missing date and a long description, with nothing written', async () => {
    const c = await newClient();
    for (const [input, field] of [
      [{ expiresAt: inDays(-1) }, 'expiresAt'],
      [{ expiresAt: '' }, 'expiresAt'],
      [{ expiresAt: 'soon' }, 'expiresAt'],
      [{ expiresAt: inDays(1), description: 'd'.repeat(201) }, 'description'],
    ] as const) {
      const r = await actionsAs(t.admin).addSecret({ clientId: c.id, ...input });
      expect(r.ok).toBe(false);
      expect(!r.ok && r.fieldErrors?.[field]).toBeTruthy();
    }
    expect(await secretsOf(c.id)).toHaveLength(1);
  });

  it('allows 10 secrets and refuses the 11th', async () => {
    const c = await newClient();
    for (let i = 2; i <= 10; i++) expect((await actionsAs(t.admin).addSecret({ clientId: c.id, neverExpires: true })).ok).toBe(true);
    const r = await actionsAs(t.admin).addSecret({ clientId: c.id, neverExpires: true });
    expect(r).toMatchObject({ ok: false, code: 'limit', formError: expect.stringMatching(/already has 10 secrets/) });
    expect(await secretsOf(c.id)).toHaveLength(10);
  });

  it('holds the limit of 10 under 15 concurrent requests', async () => {
    const c = await newClient();
    const results = await Promise.all(Array.from({ length: 15 }, () => actionsAs(t.admin).addSecret({ clientId: c.id, neverExpires: true })));
    expect(results.filter((r) => r.ok)).toHaveLength(9);
    expect(results.filter((r) => !r.ok && r.code === 'limit')).toHaveLength(6);
    expect(await secretsOf(c.id)).toHaveLength(10);
  });

  it('is atomic: a failure after the insert leaves no secret and no audit event', async () => {
    const c = await newClient();
    const input = addSecretSchema.parse({ clientId: c.id, neverExpires: true });
    // A secret equal to an existing one collides on the unique hash after the count and before the audit event.
    const existing = await actionsAs(t.admin).addSecret({ clientId: c.id, neverExpires: true });
    if (!existing.ok) throw new Error('setup');
    await expect(addSecret(h.db, actorFromUser(t.admin), input, { generateSecret: () => existing.data.secret })).rejects.toThrow();
    expect(await secretsOf(c.id)).toHaveLength(2);
    expect(await auditFor(c.id, 'secret.added')).toHaveLength(1);
  });
});

describe('Edit Secret', () => {
  it('changes description and expiration and records the change', async () => {
    const c = await newClient();
    const s = c.secrets[0];
    const newDate = inDays(45);
    const r = await actionsAs(t.admin).updateSecret({ clientId: c.id, secretId: s.id, description: 'renamed', expiresAt: newDate });
    expect(r).toEqual({ ok: true, data: { clientId: c.id, secretId: s.id, changed: true } });
    const [row] = await secretsOf(c.id);
    expect(row.description).toBe('renamed');
    expect(row.expiresAt!.toISOString()).toBe(new Date(newDate).toISOString());
    const [event] = await auditFor(c.id, 'secret.updated');
    expect(event.details).toMatchObject({
      secret: { id: s.id, hint: s.displayHint },
      changes: { description: { from: s.description, to: 'renamed' }, expiresAt: { to: new Date(newDate).toISOString() } },
    });
    expect(notified).toEqual([c.id]);
  });

  it('makes a secret never expire, and back', async () => {
    const c = await newClient();
    const s = c.secrets[0];
    expect((await actionsAs(t.admin).updateSecret({ clientId: c.id, secretId: s.id, neverExpires: true })).ok).toBe(true);
    expect((await secretsOf(c.id))[0].expiresAt).toBeNull();
    expect((await actionsAs(t.admin).updateSecret({ clientId: c.id, secretId: s.id, expiresAt: inDays(10) })).ok).toBe(true);
    expect((await secretsOf(c.id))[0].expiresAt).not.toBeNull();
  });

  it('refuses a new expiration in the past, but keeps an expired one when only the description changes', async () => {
    const c = await newClient();
    const s = c.secrets[0];
    const r = await actionsAs(t.admin).updateSecret({ clientId: c.id, secretId: s.id, description: 'x', expiresAt: inDays(-1) });
    expect(r).toMatchObject({ ok: false, fieldErrors: { expiresAt: 'The expiration date must be in the future.' } });

    const past = new Date(Date.now() - 86_400_000);
    await h.db.update(clientSecrets).set({ expiresAt: past }).where(eq(clientSecrets.id, s.id));
    // Even if the form claims the past date is the current one, the server compares with what is stored.
    const lie = await actionsAs(t.admin).updateSecret({
      clientId: c.id,
      secretId: s.id,
      expiresAt: inDays(-3),
      currentExpiresAt: inDays(-3),
    });
    expect(lie).toMatchObject({ ok: false, fieldErrors: { expiresAt: expect.any(String) } });
    const keep = await actionsAs(t.admin).updateSecret({
      clientId: c.id,
      secretId: s.id,
      description: 'expired but described',
      expiresAt: past.toISOString(),
      currentExpiresAt: past.toISOString(),
    });
    expect(keep.ok).toBe(true);
    const [row] = await secretsOf(c.id);
    expect(row.description).toBe('expired but described');
    expect(secretStatus(row.expiresAt)).toBe('expired');
  });

  it('saving without changes writes nothing', async () => {
    const c = await newClient();
    const s = c.secrets[0];
    const r = await actionsAs(t.admin).updateSecret({
      clientId: c.id,
      secretId: s.id,
      description: s.description,
      expiresAt: s.expiresAt!.toISOString(),
    });
    expect(r).toMatchObject({ ok: true, data: { changed: false } });
    expect(await auditFor(c.id, 'secret.updated')).toHaveLength(0);
    expect(notified).toEqual([]);
  });

  it("refuses an unknown secret, another client's secret and another tenant's secret alike", async () => {
    const c = await newClient();
    const sibling = await newClient();
    const foreign = await newClient(other);
    const answers = await Promise.all([
      actionsAs(t.admin).updateSecret({ clientId: c.id, secretId: 2 ** 31 - 1, neverExpires: true }),
      actionsAs(t.admin).updateSecret({ clientId: c.id, secretId: sibling.secrets[0].id, neverExpires: true }),
      actionsAs(t.admin).updateSecret({ clientId: c.id, secretId: foreign.secrets[0].id, neverExpires: true }),
    ]);
    for (const r of answers) expect(r).toMatchObject({ ok: false, code: 'not_found', formError: expect.stringMatching(/secret does not exist/) });
    expect(await actionsAs(t.admin).updateSecret({ clientId: c.id, secretId: 'abc', neverExpires: true })).toMatchObject({
      ok: false,
      fieldErrors: { secretId: 'Unknown secret.' },
    });
    expect((await secretsOf(sibling.id))[0].expiresAt).not.toBeNull();
    expect((await secretsOf(foreign.id))[0].expiresAt).not.toBeNull();
  });
});

describe('Remove Secret', () => {
  it('removes any secret, including a never-expiring one and the last one', async () => {
    const c = await newClient();
    const added = await actionsAs(t.admin).addSecret({ clientId: c.id, neverExpires: true });
    if (!added.ok) throw new Error('setup');
    notified.length = 0;
    expect(await actionsAs(t.admin).removeSecret({ clientId: c.id, secretId: added.data.secretId })).toEqual({
      ok: true,
      data: { clientId: c.id, secretId: added.data.secretId, remaining: 1 },
    });
    expect(await actionsAs(t.admin).removeSecret({ clientId: c.id, secretId: c.secrets[0].id })).toMatchObject({
      ok: true,
      data: { remaining: 0 },
    });
    expect(await secretsOf(c.id)).toHaveLength(0);
    const events = await auditFor(c.id, 'secret.removed');
    expect(events).toHaveLength(2);
    expect(notified).toEqual([c.id, c.id]);
    // Removed meanwhile: a clear message.
    expect(await actionsAs(t.admin).removeSecret({ clientId: c.id, secretId: c.secrets[0].id })).toMatchObject({
      ok: false,
      code: 'not_found',
      formError: expect.stringMatching(/may have been removed/),
    });
  });

  it("cannot remove another tenant's secret, even through one of its own clients", async () => {
    const mine = await newClient();
    const foreign = await newClient(other);
    const viaMine = await actionsAs(t.admin).removeSecret({ clientId: mine.id, secretId: foreign.secrets[0].id });
    const direct = await actionsAs(t.admin).removeSecret({ clientId: foreign.id, secretId: foreign.secrets[0].id });
    expect(viaMine).toMatchObject({ ok: false, code: 'not_found' });
    expect(direct).toEqual(await actionsAs(t.admin).removeSecret({ clientId: randomUUID(), secretId: 1 }));
    expect(await secretsOf(foreign.id)).toHaveLength(1);
  });
});
