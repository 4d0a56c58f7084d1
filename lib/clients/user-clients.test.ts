import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clients, clientSecrets } from '../db/schema';
import { createTestDb, createTestTenant, type TestTenant } from '../testing/db';
import { isWellFormedSecret } from '../secrets/secret';
import { listClients } from './queries';
import { actionsAs, newClientInput } from './test-helpers';
import { createUserClientSchema } from './user-client.schema';

let h: DbHandle;
let t: TestTenant;
let other: TestTenant;

beforeAll(async () => {
  h = await createTestDb();
  t = await createTestTenant(h.db, 'User clients');
  other = await createTestTenant(h.db, 'User clients other');
});
afterAll(async () => {
  await h.close();
});

const input = (overrides: Record<string, unknown> = {}) =>
  newClientInput({
    clientType: 'authorization_code',
    redirectUris: 'https://app.example.com/callback\n\nhttp://127.0.0.1:8080/cb\nhttps://app.example.com/callback',
    postLogoutRedirectUris: 'https://app.example.com/',
    allowedCorsOrigins: 'https://app.example.com',
    refreshTokenLifetime: '',
    ...overrides,
  });

describe('Redirect URLs, CORS origins and Refresh Token lifetime (schema)', () => {
  const errorOf = (overrides: Record<string, unknown>) => {
    const r = createUserClientSchema.safeParse(input(overrides));
    return r.success ? null : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join(' | ');
  };
  it('accepts https and loopback http, trims and deduplicates, defaults the refresh lifetime to 30 days', () => {
    const r = createUserClientSchema.parse(input());
    expect(r.redirectUris).toEqual(['https://app.example.com/callback', 'http://127.0.0.1:8080/cb']);
    expect(r.refreshTokenLifetime).toBe(2_592_000);
  });
  it('refuses non-loopback http, fragments, relative URLs, custom schemes, no redirect URL, origins with a path', () => {
    expect(errorOf({ redirectUris: 'http://app.example.com/cb' })).toContain('Use https');
    expect(errorOf({ redirectUris: 'https://app.example.com/cb#x' })).toContain('fragment');
    expect(errorOf({ redirectUris: '/callback' })).toContain('absolute URL');
    expect(errorOf({ redirectUris: 'javascript:alert(1)' })).toContain('Use https');
    expect(errorOf({ redirectUris: '' })).toContain('Enter at least one Redirect URL.');
    expect(errorOf({ redirectUris: 'https://user:pw@app.example.com/cb' })).toContain('user name or password');
    expect(errorOf({ allowedCorsOrigins: 'https://app.example.com/path' })).toContain('Enter an origin only');
    expect(errorOf({ refreshTokenLifetime: '299' })).toContain('from 300 to 7776000');
    expect(errorOf({ redirectUris: Array.from({ length: 21 }, (_, i) => `https://a.example/${i}`) })).toContain('at most 20');
  });
});

describe('Add Client for Authorization Code and Hybrid clients', () => {
  it('creates an Authorization Code client without a secret, with its URLs, and lists it under its own type', async () => {
    const r = await actionsAs(t.admin).createUserClient(input());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.data.secret).toBeNull();
    const [row] = await h.db.select().from(clients).where(eq(clients.id, r.data.clientId));
    expect(row).toMatchObject({
      clientType: 'authorization_code',
      redirectUris: ['https://app.example.com/callback', 'http://127.0.0.1:8080/cb'],
      postLogoutRedirectUris: ['https://app.example.com/'],
      allowedCorsOrigins: ['https://app.example.com'],
      refreshTokenLifetime: 2_592_000,
    });
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, r.data.clientId))).toHaveLength(0);
    const [audit] = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, r.data.clientId));
    expect(audit.details).toMatchObject({ clientType: 'authorization_code' });
    const listed = await listClients(h.db, t.tenantId, { type: 'authorization_code' });
    expect(listed.rows.map((c) => c.id)).toContain(r.data.clientId);
    expect((await listClients(h.db, t.tenantId, { type: 'client_credentials' })).rows.map((c) => c.id)).not.toContain(r.data.clientId);
    // A public client cannot get a secret.
    const added = await actionsAs(t.admin).addSecret({ clientId: r.data.clientId, description: 'x', neverExpires: true });
    expect(added.ok).toBe(false);
  });

  it('creates a Hybrid client with a one-time secret; CORS origins are not kept for it', async () => {
    const r = await actionsAs(t.admin).createUserClient(input({ clientType: 'hybrid' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(isWellFormedSecret(r.data.secret)).toBe(true);
    const [row] = await h.db.select().from(clients).where(eq(clients.id, r.data.clientId));
    expect(row.allowedCorsOrigins).toEqual([]);
    const [audit] = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, r.data.clientId));
    expect(JSON.stringify(audit.details)).not.toContain(r.data.secret!);
  });

  it('requires a Tenant Administrator and reports bad URLs at the field', async () => {
    expect((await actionsAs(t.member).createUserClient(input())).ok).toBe(false);
    expect((await actionsAs(null).createUserClient(input())).ok).toBe(false);
    const bad = await actionsAs(t.admin).createUserClient(input({ redirectUris: 'http://evil.example/cb' }));
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.fieldErrors?.redirectUris).toContain('Use https');
  });
});

describe('Edit Sign-In Settings', () => {
  it('updates the URLs with a version check and an audit event; other tenants and client-credentials clients are not found', async () => {
    const created = await actionsAs(t.admin).createUserClient(input());
    if (!created.ok) throw new Error('setup');
    const id = created.data.clientId;
    const edit = (user: TestTenant['admin'], version: number, overrides: Record<string, unknown> = {}) =>
      actionsAs(user).updateClientUrls({
        clientId: id,
        version,
        redirectUris: 'https://app.example.com/new',
        postLogoutRedirectUris: '',
        allowedCorsOrigins: '',
        refreshTokenLifetime: '3600',
        ...overrides,
      });
    const r = await edit(t.admin, 1);
    expect(r).toMatchObject({ ok: true, data: { version: 2, changed: true } });
    const [row] = await h.db.select().from(clients).where(eq(clients.id, id));
    expect(row).toMatchObject({ redirectUris: ['https://app.example.com/new'], postLogoutRedirectUris: [], refreshTokenLifetime: 3600 });
    expect(await edit(t.admin, 1)).toMatchObject({ ok: false, code: 'conflict' });
    expect(await edit(other.admin, 2)).toMatchObject({ ok: false, code: 'not_found' });
    const cc = await actionsAs(t.admin).createClient(newClientInput());
    if (!cc.ok) throw new Error('setup');
    const ccEdit = await actionsAs(t.admin).updateClientUrls({ clientId: cc.data.clientId, version: 1, redirectUris: 'https://a.example/cb' });
    expect(ccEdit).toMatchObject({ ok: false, code: 'not_found' });
  });
});
