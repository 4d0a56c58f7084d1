import { generateKeyPairSync } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clientKeys, clients, clientSecrets } from '../db/schema';
import { PRIVATE_KEY_REFUSED } from '../keys/key-text';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import { listKeys } from './keys';
import { actionsAs, newClientInput } from './test-helpers';

let h: DbHandle;
let t: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  h = await createTestDb();
  t = await createTestTenant(h.db, 'Keys');
  other = await createTestTenant(h.db, 'Keys other');
});
afterAll(async () => {
  await h.close();
});

const ecPair = () => generateKeyPairSync('ec', { namedCurve: 'P-256' });
const spki = (k: ReturnType<typeof ecPair>) => k.publicKey.export({ type: 'spki', format: 'pem' }).toString();

describe('Add Client with a public key', () => {
  it('writes the client and its key, no secret, and returns no secret', async () => {
    const input = newClientInput({ credential: 'key', publicKey: spki(ecPair()), description: 'edge-01' });
    const r = await actionsAs(t.admin).createClient(input);
    expect(r).toMatchObject({ ok: true, data: { clientId: input.clientId, secret: null, secretId: null } });
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, input.clientId))).toEqual([]);
    const keys = await listKeys(h.db, input.clientId);
    expect(keys).toMatchObject([{ source: 'pem', alg: 'ES256', description: 'edge-01' }]);
    const events = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, input.clientId));
    expect(events.map((e) => e.action).sort()).toEqual(['client.created', 'key.added']);
  });

  it('refuses a private key at the field and writes nothing', async () => {
    const pair = ecPair();
    const input = newClientInput({ credential: 'key', publicKey: pair.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() });
    const r = await actionsAs(t.admin).createClient(input);
    expect(r).toEqual({ ok: false, code: 'invalid', fieldErrors: { publicKey: PRIVATE_KEY_REFUSED } });
    expect(await h.db.select().from(clients).where(eq(clients.id, input.clientId))).toEqual([]);
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const weak = await actionsAs(t.admin).createClient(newClientInput({ credential: 'key', publicKey: rsa }));
    expect(weak).toMatchObject({ ok: false, fieldErrors: { publicKey: expect.stringMatching(/at least 2048 bits/) } });
  });

  it('without the choice, Add Client is unchanged: a secret', async () => {
    const r = await actionsAs(t.admin).createClient(newClientInput());
    expect(r.ok && typeof r.data.secret === 'string' && r.data.secret.startsWith('tscs_')).toBe(true);
  });
});

describe('Add Key and Remove Key', () => {
  it('only a Tenant Administrator, only for the own tenant\'s clients', async () => {
    const c = await actionsAs(t.admin).createClient(newClientInput());
    if (!c.ok) throw new Error('setup');
    const key = { clientId: c.data.clientId, source: 'key', publicKey: spki(ecPair()), neverExpires: true };
    expect(await actionsAs(t.member).addKey(key)).toMatchObject({ ok: false, code: 'forbidden' });
    expect(await actionsAs(other.admin).addKey(key)).toMatchObject({ ok: false, code: 'not_found' });
    const added = await actionsAs(t.admin).addKey(key);
    expect(added.ok).toBe(true);
    if (!added.ok) return;
    expect(await actionsAs(other.admin).removeKey({ clientId: c.data.clientId, keyId: added.data.keyId })).toMatchObject({ ok: false, code: 'not_found' });
    expect(await actionsAs(t.admin).removeKey({ clientId: c.data.clientId, keyId: added.data.keyId })).toMatchObject({ ok: true, data: { remaining: 0 } });
    expect(await h.db.select().from(clientKeys).where(eq(clientKeys.clientId, c.data.clientId))).toEqual([]);
  });

  it('field messages for a JWKS URL that is not https, and an expiration in the past', async () => {
    const c = await actionsAs(t.admin).createClient(newClientInput());
    if (!c.ok) throw new Error('setup');
    const r = await actionsAs(t.admin).addKey({ clientId: c.data.clientId, source: 'jwks_url', jwksUrl: 'http://example.com/jwks', expiresAt: '2001-01-01T00:00:00Z' });
    expect(r).toMatchObject({ ok: false, fieldErrors: { expiresAt: 'The expiration date must be in the future.' } });
    const r2 = await actionsAs(t.admin).addKey({ clientId: c.data.clientId, source: 'jwks_url', jwksUrl: 'http://example.com/jwks', neverExpires: true });
    expect(r2).toMatchObject({ ok: false, fieldErrors: { jwksUrl: 'The JWKS URL must use https.' } });
  });
});
