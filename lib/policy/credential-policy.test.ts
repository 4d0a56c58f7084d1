import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clientSecrets, tenantSettings } from '../db/schema';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import { actionsAs, inDays, newClientInput } from '../clients/test-helpers';
import { policyAdminActions } from './admin-actions';
import { getCredentialPolicy, NO_POLICY } from './credential-policy';

let h: DbHandle;
let t: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  h = await createTestDb();
  t = await createTestTenant(h.db, 'Policy');
  other = await createTestTenant(h.db, 'Policy other');
});
afterAll(async () => {
  await h.close();
});

const policyAs = (user: TestTenant['admin'] | null) => policyAdminActions(async () => user);

describe('credential policy', () => {
  it('defaults to no limit with Never Expires allowed; only a Tenant Administrator can change it, for their own tenant', async () => {
    expect(await getCredentialPolicy(h.db, t.tenantId)).toEqual(NO_POLICY);
    expect(await policyAs(t.member).updateCredentialPolicy({ limitLifetime: true, maxDays: '30', allowNeverExpires: false })).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await policyAs(null).updateCredentialPolicy({ limitLifetime: true, maxDays: '30', allowNeverExpires: false })).toMatchObject({ ok: false, code: 'unauthenticated' });
    const bad = await policyAs(t.admin).updateCredentialPolicy({ limitLifetime: true, maxDays: '0', allowNeverExpires: true });
    expect(bad).toMatchObject({ ok: false, fieldErrors: { maxDays: 'Enter a whole number of days from 1 to 3650, or choose No limit.' } });
    expect(await h.db.select().from(tenantSettings).where(eq(tenantSettings.tenantId, t.tenantId))).toEqual([]);
  });

  it('refuses a secret that lives too long or never expires at the field; edits keep old secrets', async () => {
    const before = await actionsAs(t.admin).createClient(newClientInput({ neverExpires: true, expiresAt: null }));
    expect(before.ok).toBe(true);
    const saved = await policyAs(t.admin).updateCredentialPolicy({ limitLifetime: true, maxDays: '90', allowNeverExpires: false });
    expect(saved).toEqual({ ok: true, data: { maxSecretLifetimeDays: 90, allowNeverExpires: false, secretlessClients: false } });
    const [event] = await h.db.select().from(auditEvents).where(and(eq(auditEvents.action, 'policy.updated'), eq(auditEvents.tenantId, t.tenantId)));
    expect(event).toMatchObject({ tenantId: t.tenantId, actor: t.admin.email });
    // The other tenant is not affected.
    expect(await getCredentialPolicy(h.db, other.tenantId)).toEqual(NO_POLICY);
    expect((await actionsAs(other.admin).createClient(newClientInput({ neverExpires: true, expiresAt: null }))).ok).toBe(true);

    const a = actionsAs(t.admin);
    const tooLong = await a.createClient(newClientInput({ expiresAt: inDays(365) }));
    expect(tooLong).toMatchObject({ ok: false, fieldErrors: { expiresAt: expect.stringMatching(/at most 90 days/) } });
    const never = await a.createClient(newClientInput({ neverExpires: true, expiresAt: null }));
    expect(never).toMatchObject({
      ok: false,
      fieldErrors: { neverExpires: 'Your tenant\'s credential policy does not allow secrets that never expire. Choose an expiration date.' },
    });
    const okClient = await a.createClient(newClientInput({ expiresAt: inDays(90) }));
    expect(okClient.ok).toBe(true);
    if (!okClient.ok || !before.ok) return;
    const clientId = okClient.data.clientId;
    expect(await a.addSecret({ clientId, description: 'long', neverExpires: false, expiresAt: inDays(91) })).toMatchObject({
      ok: false,
      fieldErrors: { expiresAt: expect.stringMatching(/at most 90 days/) },
    });
    expect((await a.addSecret({ clientId, description: 'fine', neverExpires: false, expiresAt: inDays(30) })).ok).toBe(true);
    // The never-expiring secret from before the policy: its description can still be edited, its date not made endless again.
    const old = before.data;
    const edit = await a.updateSecret({ clientId: old.clientId, secretId: old.secretId, description: 'renamed', neverExpires: true, expiresAt: null, currentExpiresAt: null });
    expect(edit.ok).toBe(true);
    const [row] = await h.db.select().from(clientSecrets).where(eq(clientSecrets.id, old.secretId!));
    expect(row).toMatchObject({ description: 'renamed', expiresAt: null });
    const longer = await a.updateSecret({ clientId: old.clientId, secretId: old.secretId, description: 'renamed', neverExpires: false, expiresAt: inDays(200), currentExpiresAt: null });
    expect(longer).toMatchObject({ ok: false, fieldErrors: { expiresAt: expect.stringMatching(/at most 90 days/) } });

    // No limit again.
    await policyAs(t.admin).updateCredentialPolicy({ limitLifetime: false, maxDays: '', allowNeverExpires: true });
    expect((await a.addSecret({ clientId, description: 'forever', neverExpires: true, expiresAt: null })).ok).toBe(true);
  });
});
