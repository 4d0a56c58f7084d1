import { randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DbHandle } from '../db';
import { auditEvents, clientRoles, clientSecrets } from '../db/schema';
import { createTestCommunity } from '../clients/test-helpers';
import { createTestClient } from '../testing/clients';
import { createTestDb } from '../testing/db';
import { startApiTestServer } from './testing/api-server';
import { apiClient, apiTenant, type ApiServer } from './testing/fixtures';
import type { ApiErrorBody as ErrorBody } from '../http/api-answers';

let h: DbHandle;
let srv: ApiServer;
let api: ReturnType<typeof apiClient>;
let t: Awaited<ReturnType<typeof apiTenant>>;
let other: Awaited<ReturnType<typeof apiTenant>>;
let token: string;

type Role = { Id: string; Name: string; Description: string; RoleScope: 'Tenant' | 'Community'; RoleType: string };
type Secret = { Id: number; Description: string; Expiration: string | null; Expires: boolean; DisplayHint: string; CreatedBy: string; Revoked: boolean; RevokedDate: string | null };

const clientsPath = (tenantId: string) => `/api/v1/Tenants/${tenantId}/ClientCredentialClients`;

beforeAll(async () => {
  h = await createTestDb();
  srv = await startApiTestServer(h);
  api = apiClient(srv);
  t = await apiTenant(h, 'Secrets API');
  other = await apiTenant(h, 'Secrets API other');
  token = await api.tokenFor(t.adminClient);
});
afterAll(async () => {
  await srv?.close();
  await h?.close();
});

/** A client of the test tenant with `n` secrets (the first never expires, the others in 10, 20, ... days). */
async function clientWithSecrets(n: number, tenantId = t.tenantId) {
  return createTestClient(h.db, {
    tenantId,
    roleTypes: ['tenant_viewer'],
    secrets: Array.from({ length: n }, (_, i) => ({
      description: `secret ${i + 1}`,
      expiresAt: i === 0 ? null : new Date(Date.now() + (i * 10) * 86_400_000),
    })),
  });
}

describe('GET Roles (the roles clients can be given)', () => {
  it('the tenant\'s built-in roles first, then its communities\' roles, with Total-Count and paging', async () => {
    const { role: communityRole } = await createTestCommunity(h.db, t.tenantId);
    const res = await api.call('GET', `/api/v1/Tenants/${t.tenantId}/Roles`, { token });
    expect(res.status).toBe(200);
    const roles = res.body as Role[];
    expect(roles.slice(0, 5).map((r) => r.Name)).toEqual([
      'Tenant Administrator',
      'Tenant Contributor',
      'Tenant Member',
      'Tenant Viewer',
      'Tenant Data Steward',
    ]);
    expect(roles.find((r) => r.Id === communityRole.id)).toMatchObject({ RoleScope: 'Community', RoleType: 'community_member' });
    expect(res.headers.get('total-count')).toBe(String(roles.length));
    expect(roles.some((r) => other.roles.some((o) => o.id === r.Id))).toBe(false);
    const page = await api.call('GET', `/api/v1/Tenants/${t.tenantId}/Roles?skip=1&count=2`, { token });
    expect((page.body as Role[]).map((r) => r.Name)).toEqual(['Tenant Contributor', 'Tenant Member']);
  });
});

describe('GET ClientCredentialClients/{clientId}/Roles', () => {
  it('the client\'s roles with their details; 404 for another tenant\'s client', async () => {
    const c = await clientWithSecrets(1);
    const res = await api.call('GET', `${clientsPath(t.tenantId)}/${c.clientId}/Roles`, { token });
    expect(res.status).toBe(200);
    expect((res.body as Role[]).map((r) => r.Name)).toEqual(['Tenant Member', 'Tenant Viewer']);
    expect(res.headers.get('total-count')).toBe('2');
    expect((res.body as Role[])[0]).toMatchObject({ RoleScope: 'Tenant', RoleType: 'tenant_member', Description: expect.any(String) });
    const cross = await api.call('GET', `${clientsPath(t.tenantId)}/${other.plainClient.clientId}/Roles`, { token });
    expect(cross.status).toBe(404);
  });
});

describe('GET Secrets and Secrets/{secretId}', () => {
  it('information about every secret, newest first, never a value or a hash', async () => {
    const c = await clientWithSecrets(3);
    const res = await api.call('GET', `${clientsPath(t.tenantId)}/${c.clientId}/Secrets`, { token });
    expect(res.status).toBe(200);
    expect(res.headers.get('total-count')).toBe('3');
    const secrets = res.body as Secret[];
    expect(secrets).toHaveLength(3);
    const never = secrets.find((s) => s.Description === 'secret 1')!;
    expect(never).toMatchObject({ Expires: false, Expiration: null });
    expect(secrets.find((s) => s.Description === 'secret 2')).toMatchObject({ Expires: true, Expiration: expect.any(String) });
    for (const s of c.secrets) expect(res.text).not.toContain(s.value);
    const [row] = await h.db.select().from(clientSecrets).where(eq(clientSecrets.id, never.Id));
    expect(res.text).not.toContain(row.secretHash);
    expect(never.DisplayHint).toBe(row.displayHint);

    const page = await api.call('GET', `${clientsPath(t.tenantId)}/${c.clientId}/Secrets?skip=2&count=5`, { token });
    expect(page.body as Secret[]).toHaveLength(1);

    const one = await api.call('GET', `${clientsPath(t.tenantId)}/${c.clientId}/Secrets/${never.Id}`, { token });
    expect(one.status).toBe(200);
    expect(one.body).toEqual(never);
  });

  it('Revoked and RevokedDate: a secret revoked by a leaked-secret report says so', async () => {
    const c = await clientWithSecrets(2);
    const revokedAt = new Date('2026-11-30T12:00:00.000Z');
    await h.db.update(clientSecrets).set({ revokedAt }).where(eq(clientSecrets.id, c.secrets[1].id));
    const res = await api.call('GET', `${clientsPath(t.tenantId)}/${c.clientId}/Secrets`, { token });
    const secrets = res.body as Secret[];
    expect(secrets.find((s) => s.Id === c.secrets[1].id)).toMatchObject({ Revoked: true, RevokedDate: revokedAt.toISOString() });
    expect(secrets.find((s) => s.Id === c.secrets[0].id)).toMatchObject({ Revoked: false, RevokedDate: null });
    const one = await api.call('GET', `${clientsPath(t.tenantId)}/${c.clientId}/Secrets/${c.secrets[1].id}`, { token });
    expect(one.body).toMatchObject({ Revoked: true, RevokedDate: revokedAt.toISOString() });
  });

  it('404 for an unknown secret id, a malformed one, another client\'s secret, and another tenant\'s client', async () => {
    const mine = await clientWithSecrets(1);
    const sibling = await clientWithSecrets(1);
    const foreign = await clientWithSecrets(1, other.tenantId);
    const paths = [
      `${mine.clientId}/Secrets/999999999`,
      `${mine.clientId}/Secrets/abc`,
      `${mine.clientId}/Secrets/0`,
      `${mine.clientId}/Secrets/-1`,
      `${mine.clientId}/Secrets/99999999999999`,
      `${mine.clientId}/Secrets/${sibling.secrets[0].id}`,
      `${foreign.clientId}/Secrets/${foreign.secrets[0].id}`,
      `${foreign.clientId}/Secrets`,
      `${randomUUID()}/Secrets`,
    ];
    for (const p of paths) {
      const res = await api.call('GET', `${clientsPath(t.tenantId)}/${p}`, { token });
      expect(res.status, p).toBe(404);
      expect((res.body as ErrorBody).Error).toBe('Not found.');
    }
  });
});

describe('reads write nothing', () => {
  it('no audit event and no role change from GETs', async () => {
    const c = await clientWithSecrets(2);
    await api.call('GET', `${clientsPath(t.tenantId)}/${c.clientId}/Secrets`, { token });
    await api.call('GET', `${clientsPath(t.tenantId)}/${c.clientId}/Roles`, { token });
    expect(await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.clientId))).toHaveLength(0);
    expect(await h.db.select().from(clientRoles).where(eq(clientRoles.clientId, c.clientId))).toHaveLength(2);
  });
});

describe('PUT ClientCredentialClients/{clientId}/Roles', () => {
  const putRoles = (clientId: string, body: unknown) =>
    api.call('PUT', `${clientsPath(t.tenantId)}/${clientId}/Roles`, { token, json: body });

  it('replaces the roles (ids or Role objects); Tenant Member always stays; audited via the API', async () => {
    const c = await clientWithSecrets(1);
    const { role: communityRole } = await createTestCommunity(h.db, t.tenantId);
    const res = await putRoles(c.clientId, [t.roleId('tenant_contributor'), { Id: communityRole.id, Name: 'ignored' }]);
    expect(res.status).toBe(200);
    expect((res.body as Role[]).map((r) => r.Name).sort()).toEqual([communityRole.name, 'Tenant Contributor', 'Tenant Member'].sort());
    expect(res.headers.get('total-count')).toBe('3');
    const rows = await h.db.select().from(clientRoles).where(eq(clientRoles.clientId, c.clientId));
    expect(rows.map((r) => r.roleId).sort()).toEqual([t.roleId('tenant_member'), t.roleId('tenant_contributor'), communityRole.id].sort());
    const [event] = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.clientId));
    expect(event).toMatchObject({
      action: 'client.updated',
      actor: `client:${t.adminClient.clientId}`,
      details: expect.objectContaining({ via: 'api', changes: expect.objectContaining({ rolesRemoved: ['Tenant Viewer'] }) }),
    });

    const emptied = await putRoles(c.clientId, []);
    expect((emptied.body as Role[]).map((r) => r.Name)).toEqual(['Tenant Member']);
  });

  it('400 for another tenant\'s role, an unknown or malformed id, or a body that is not a list; nothing changes', async () => {
    const c = await clientWithSecrets(1);
    for (const body of [[other.roleId('tenant_viewer')], [randomUUID()], ['viewer'], { RoleIds: [] }, [42]]) {
      const res = await putRoles(c.clientId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      // An item of the wrong type is named by its position ("RoleIds[0]").
      expect(Object.keys((res.body as ErrorBody).Errors ?? {}).join(), JSON.stringify(body)).toMatch(/^RoleIds/);
    }
    const rows = await h.db.select().from(clientRoles).where(eq(clientRoles.clientId, c.clientId));
    expect(rows).toHaveLength(2);
  });

  it('404 for another tenant\'s client', async () => {
    const res = await api.call('PUT', `${clientsPath(t.tenantId)}/${other.plainClient.clientId}/Roles`, { token, json: [] });
    expect(res.status).toBe(404);
  });

  it('a client that takes Tenant Administrator away from itself is refused from its next call', async () => {
    const self = await createTestClient(h.db, { tenantId: t.tenantId, roleTypes: ['tenant_administrator'] });
    const selfToken = await api.tokenFor(self);
    const res = await api.call('PUT', `${clientsPath(t.tenantId)}/${self.clientId}/Roles`, { token: selfToken, json: [] });
    expect(res.status).toBe(200);
    expect((await api.call('GET', clientsPath(t.tenantId), { token: selfToken })).status).toBe(403);
  });
});

describe('POST ClientCredentialClients/{clientId}/Secrets', () => {
  const postSecret = (clientId: string, body: unknown) =>
    api.call('POST', `${clientsPath(t.tenantId)}/${clientId}/Secrets`, { token, json: body });

  it('201 with the one-time secret, which gets a token; one year by default; audited via the API', async () => {
    const c = await clientWithSecrets(1);
    const res = await postSecret(c.clientId, { Description: 'rotation' });
    expect(res.status).toBe(201);
    const s = res.body as Secret & { ClientSecret: string };
    expect(s).toMatchObject({ Description: 'rotation', Expires: true, CreatedBy: `client:${t.adminClient.clientId}` });
    const inAYear = new Date();
    inAYear.setUTCFullYear(inAYear.getUTCFullYear() + 1);
    expect(Math.abs(new Date(s.Expiration!).getTime() - inAYear.getTime())).toBeLessThan(60_000);
    expect(res.headers.get('location')).toBe(`${clientsPath(t.tenantId)}/${c.clientId}/Secrets/${s.Id}`);
    expect(await api.tokenFor({ clientId: c.clientId, secret: s.ClientSecret })).toMatch(/^ey/);

    const [event] = await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.clientId));
    expect(event).toMatchObject({ action: 'secret.added', actor: `client:${t.adminClient.clientId}`, details: expect.objectContaining({ via: 'api' }) });
    expect(JSON.stringify(event)).not.toContain(s.ClientSecret);
    // Never shown again.
    const listed = await api.call('GET', `${clientsPath(t.tenantId)}/${c.clientId}/Secrets`, { token });
    expect(listed.text).not.toContain(s.ClientSecret);
  });

  it('Expires and Expiration: never, a date, both; explicit null never expires', async () => {
    const c = await clientWithSecrets(0);
    const date = new Date(Date.now() + 40 * 86_400_000).toISOString();
    const cases: [unknown, string | null][] = [
      [{ Expires: false }, null],
      [{ Expiration: date }, date],
      [{ Expires: true, Expiration: date }, date],
      [{ Expiration: null }, null],
    ];
    for (const [body, expected] of cases) {
      const res = await postSecret(c.clientId, body);
      expect(res.status, JSON.stringify(body)).toBe(201);
      expect(res.body).toMatchObject({ Expiration: expected, Expires: expected !== null });
    }
  });

  it('400 for Expires true without Expiration, false with one, and other invalid fields; nothing written', async () => {
    const c = await clientWithSecrets(1);
    const date = new Date(Date.now() + 86_400_000).toISOString();
    const cases: [unknown, string, RegExp][] = [
      [{ Expires: true }, 'Expiration', /Give an Expiration/],
      [{ Expires: true, Expiration: null }, 'Expiration', /Give an Expiration/],
      [{ Expires: false, Expiration: date }, 'Expiration', /Leave Expiration out/],
      [{ Expires: 'no' }, 'Expires', /true or false/],
      [{ Expiration: '2000-01-01T00:00:00Z' }, 'Expiration', /future/],
      [{ Expiration: 'soon' }, 'Expiration', /expiration date/],
      [{ Description: 'd'.repeat(201) }, 'Description', /at most 200/],
      [{ Description: 'a\nb' }, 'Description', /control characters/],
    ];
    for (const [body, field, message] of cases) {
      const res = await postSecret(c.clientId, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((res.body as ErrorBody).Errors?.[field], JSON.stringify(body)).toMatch(message);
    }
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, c.clientId))).toHaveLength(1);
    expect(await h.db.select().from(auditEvents).where(eq(auditEvents.targetId, c.clientId))).toHaveLength(0);
  });

  it('400 when the client has 10 secrets', async () => {
    const c = await clientWithSecrets(10);
    const res = await postSecret(c.clientId, {});
    expect(res.status).toBe(400);
    expect((res.body as ErrorBody).Reason).toMatch(/already has 10 secrets/);
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, c.clientId))).toHaveLength(10);
  });

  it('404 for another tenant\'s client', async () => {
    const foreign = await clientWithSecrets(1, other.tenantId);
    expect((await postSecret(foreign.clientId, {})).status).toBe(404);
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.clientId, foreign.clientId))).toHaveLength(1);
  });
});

describe('PUT and DELETE Secrets/{secretId}', () => {
  const secretPath = (clientId: string, secretId: number | string) => `${clientsPath(t.tenantId)}/${clientId}/Secrets/${secretId}`;

  it('PUT changes the description and expiration; fields left out stay', async () => {
    const c = await clientWithSecrets(2);
    const id = c.secrets[1].id;
    const desc = await api.call('PUT', secretPath(c.clientId, id), { token, json: { Description: 'renamed' } });
    expect(desc.status).toBe(200);
    const [before] = await h.db.select().from(clientSecrets).where(eq(clientSecrets.id, id));
    expect(desc.body).toMatchObject({ Id: id, Description: 'renamed', Expiration: before.expiresAt!.toISOString() });

    const never = await api.call('PUT', secretPath(c.clientId, id), { token, json: { Expires: false } });
    expect(never.body).toMatchObject({ Description: 'renamed', Expires: false, Expiration: null });
    const date = new Date(Date.now() + 5 * 86_400_000).toISOString();
    const dated = await api.call('PUT', secretPath(c.clientId, id), { token, json: { Expires: true, Expiration: date } });
    expect(dated.body).toMatchObject({ Expires: true, Expiration: date });

    const events = await h.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, c.clientId), eq(auditEvents.action, 'secret.updated')));
    expect(events).toHaveLength(3);
    expect(events[0].details).toMatchObject({ via: 'api' });
  });

  it('an expired secret can keep its (past) expiration while its description changes; a new past date is refused', async () => {
    const c = await createTestClient(h.db, { tenantId: t.tenantId, secrets: [{ expiresAt: new Date(Date.now() - 86_400_000), description: 'old' }] });
    const id = c.secrets[0].id;
    const got = (await api.call('GET', secretPath(c.clientId, id), { token })).body as Secret;
    const keep = await api.call('PUT', secretPath(c.clientId, id), { token, json: { Description: 'still old', Expiration: got.Expiration } });
    expect(keep.status).toBe(200);
    expect(keep.body).toMatchObject({ Description: 'still old', Expiration: got.Expiration });
    const past = await api.call('PUT', secretPath(c.clientId, id), { token, json: { Expiration: '2001-01-01T00:00:00Z' } });
    expect(past.status).toBe(400);
    expect((past.body as ErrorBody).Errors?.Expiration).toMatch(/future/);
  });

  it('PUT refuses the same Expires/Expiration combinations as POST', async () => {
    const c = await clientWithSecrets(1);
    const id = c.secrets[0].id;
    expect((await api.call('PUT', secretPath(c.clientId, id), { token, json: { Expires: true } })).status).toBe(400);
    const date = new Date(Date.now() + 86_400_000).toISOString();
    expect((await api.call('PUT', secretPath(c.clientId, id), { token, json: { Expires: false, Expiration: date } })).status).toBe(400);
  });

  it('DELETE removes the secret: 204, it gets no more tokens, the others still do; audited', async () => {
    const c = await clientWithSecrets(2);
    const [keep, drop] = c.secrets;
    const res = await api.call('DELETE', secretPath(c.clientId, drop.id), { token });
    expect(res.status).toBe(204);
    expect(res.text).toBe('');
    await expect(api.tokenFor({ clientId: c.clientId, secret: drop.value })).rejects.toThrow(/401/);
    expect(await api.tokenFor({ clientId: c.clientId, secret: keep.value })).toMatch(/^ey/);
    expect((await api.call('GET', secretPath(c.clientId, drop.id), { token })).status).toBe(404);
    expect((await api.call('DELETE', secretPath(c.clientId, drop.id), { token })).status).toBe(404);
    const [event] = await h.db.select().from(auditEvents).where(and(eq(auditEvents.targetId, c.clientId), eq(auditEvents.action, 'secret.removed')));
    expect(event).toMatchObject({ actor: `client:${t.adminClient.clientId}`, details: expect.objectContaining({ via: 'api' }) });
  });

  it('PUT and DELETE of another client\'s or another tenant\'s secret: 404 and nothing changes', async () => {
    const mine = await clientWithSecrets(1);
    const sibling = await clientWithSecrets(1);
    const foreign = await clientWithSecrets(1, other.tenantId);
    for (const [clientId, secretId] of [
      [mine.clientId, sibling.secrets[0].id],
      [foreign.clientId, foreign.secrets[0].id],
    ] as const) {
      expect((await api.call('PUT', secretPath(clientId, secretId), { token, json: { Description: 'x' } })).status).toBe(404);
      expect((await api.call('DELETE', secretPath(clientId, secretId), { token })).status).toBe(404);
    }
    const rows = await h.db.select().from(clientSecrets).where(eq(clientSecrets.id, foreign.secrets[0].id));
    expect(rows[0].description).toBe('secret 1');
    expect(await h.db.select().from(clientSecrets).where(eq(clientSecrets.id, sibling.secrets[0].id))).toHaveLength(1);
  });
});
